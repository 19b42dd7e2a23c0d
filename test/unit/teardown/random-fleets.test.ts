/**
 * The teardown over random fleets: this stack's, another stack's and untagged resources mixed,
 * instances in every state, expiry times around now, random class statuses (some that cannot be
 * read), ports that sometimes fail, seats and groups in the teardown's region or another (a class
 * seated elsewhere). Only this stack's expired or orphaned resources are touched, every one of
 * them is, each in its own region, and a dry run touches nothing and reports the same set.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TAG, type Tags } from '../../../layers/core/tags';
import type { TeardownPorts } from '../../../layers/core/teardown/apply';
import type { ClassStatus } from '../../../layers/core/teardown/class-status';
import type { Fleet } from '../../../layers/core/teardown/fleet';
import type { TeardownSettings } from '../../../layers/core/teardown/plan';
import type { TeardownReport } from '../../../layers/core/teardown/report';
import { runTeardown } from '../../../layers/core/teardown/run';

const STACK = 'bakehouse-dev';
const OTHER = 'bakehouse-prod';
const ROLE = 'arn:aws:iam::123456789012:role/bakehouse-dev-scheduler';
const OTHER_ROLE = 'arn:aws:iam::123456789012:role/bakehouse-prod-scheduler';
const NOW = new Date('2027-01-14T03:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SETTINGS: TeardownSettings = {
  stackName: STACK,
  region: 'us-east-1',
  parameterPrefix: '/bakehouse/dev',
  schedulerRoleArn: ROLE,
  keepImagesPerRecipe: 3,
  imageRetentionDays: 30,
};
const CLASSES = ['class-a', 'class-b', 'class-c', 'class-d', 'class-e', 'class-f'];
const ZONE = 'Z0STACKZONE';
const OTHER_ZONE = 'Z0OTHERZONE';
const DOMAIN = 'classes.example.org';
/** A named class's suffix: its label (here its id) and the domain. */
const suffixOf = (classId: string) => `.${classId}-0a1b2c.${DOMAIN}`;
const STATES = ['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated'];
/** Where a seat or a group is: the teardown's own region (unset), or another. */
const region = fc.constantFrom<string | undefined>(undefined, undefined, 'eu-west-1');
const SURVIVING = new Set(['pending', 'running', 'stopping', 'stopped']);
const GONE = new Set<ClassStatus>(['deleted', 'failed', 'aborted']);

const owner = fc.constantFrom<string | undefined>(STACK, STACK, OTHER, undefined);
const classId = fc.option(fc.constantFrom(...CLASSES), { nil: undefined });
/** Around now: up to three days either side, or missing, or not a time at all. */
const expiry = fc.oneof(
  fc.integer({ min: -72, max: 72 }).map((h) => new Date(NOW.getTime() + h * HOUR).toISOString()),
  fc.constant(undefined),
  fc.constant('soon'),
);

function tags(stack: string | undefined, extra: Record<string, string | undefined>): Tags {
  const out: Tags = {};
  if (stack) out[TAG.stack] = stack;
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) out[k] = v;
  return out;
}

const fleetArbitrary = fc
  .record({
    images: fc.array(
      fc.record({
        stack: owner,
        kind: fc.constantFrom<string | undefined>('image', 'image', 'builder', undefined),
        state: fc.constantFrom('available', 'available', 'available', 'pending', 'failed'),
        ageDays: fc.integer({ min: 0, max: 90 }),
        recipe: fc.constantFrom('stats', 'genomics', 'intro-python'),
        snapshots: fc.integer({ min: 0, max: 2 }),
      }),
      { maxLength: 14 },
    ),
    instances: fc.array(
      fc.record({
        stack: owner,
        kind: fc.constantFrom<string | undefined>('seat', 'seat', 'builder', undefined),
        state: fc.constantFrom(...STATES),
        classId,
        expiresAt: expiry,
        image: fc.nat(20),
        groups: fc.uniqueArray(fc.nat(8), { maxLength: 2 }),
        region,
      }),
      { maxLength: 24 },
    ),
    strays: fc.array(
      fc.record({
        stack: owner,
        kind: fc.constantFrom<string | undefined>('image', undefined),
        state: fc.constantFrom('completed', 'completed', 'pending', 'error'),
      }),
      { maxLength: 5 },
    ),
    parameters: fc.array(
      fc.record({
        prefix: fc.constantFrom('/bakehouse/dev', '/bakehouse/dev', '/bakehouse/prod', '/other'),
        classId: fc.constantFrom(...CLASSES),
        seat: fc.nat(3),
      }),
      { maxLength: 10 },
    ),
    schedules: fc.array(
      fc.record({
        prefix: fc.constantFrom('bakehouse-', 'bakehouse-', 'backup-'),
        role: fc.constantFrom<string | undefined>(ROLE, ROLE, OTHER_ROLE, undefined),
        targets: fc.uniqueArray(fc.nat(30), { maxLength: 3 }),
      }),
      { maxLength: 5 },
    ),
    groups: fc.array(
      fc.record({
        stack: owner,
        kind: fc.constantFrom<string | undefined>('security-group', 'security-group', undefined),
        classId,
        expiresAt: expiry,
        region,
      }),
      { maxLength: 9 },
    ),
    statuses: fc.dictionary(
      fc.constantFrom(...CLASSES),
      fc.constantFrom<ClassStatus | 'unreadable'>(
        'live',
        'ended',
        'deleted',
        'failed',
        'aborted',
        'unknown',
        'unreadable',
      ),
    ),
    /** The classes the store knows with a hosted zone. */
    named: fc.uniqueArray(fc.constantFrom(...CLASSES), { maxLength: 4 }),
    records: fc.array(
      fc.record({
        classId: fc.constantFrom(...CLASSES, 'class-x'),
        label: fc.constantFrom('seat-001', 'seat-002', 'seat-017', 'www', 'seat-x'),
        zone: fc.constantFrom(ZONE, ZONE, ZONE, OTHER_ZONE),
        type: fc.constantFrom('A', 'A', 'A', 'TXT'),
        routed: fc.constantFrom(false, false, false, true),
      }),
      { maxLength: 12 },
    ),
    failing: fc.uniqueArray(fc.nat(60), { maxLength: 4 }),
  })
  .map((g) => {
    const hex = (prefix: string, n: number) => `${prefix}-${n.toString(16).padStart(8, '0')}`;
    let snapshotNo = 0;
    const images = g.images.map((x, n) => {
      const t = tags(x.stack, { [TAG.kind]: x.kind, [TAG.name]: `${x.recipe} image` });
      return {
        imageId: hex('ami', n),
        name: `${x.recipe}-${n}`,
        state: x.state,
        createdAt: new Date(NOW.getTime() - x.ageDays * DAY - n * 1000).toISOString(),
        snapshotIds: Array.from({ length: x.snapshots }, () => hex('snap', snapshotNo++)),
        tags: t,
      };
    });
    const snapshots = [
      ...images.flatMap((i) =>
        i.snapshotIds.map((id) => ({ snapshotId: id, state: 'completed', tags: i.tags })),
      ),
      ...g.strays.map((s) => ({
        snapshotId: hex('snap', snapshotNo++),
        state: s.state,
        tags: tags(s.stack, { [TAG.kind]: s.kind }),
      })),
    ];
    const records = new Map(
      g.records.map((r) => {
        const name = `${r.label}${suffixOf(r.classId)}.`;
        const record = {
          hostedZoneId: r.zone,
          name,
          type: r.type,
          ttl: 60,
          values: ['203.0.113.7'],
          ...(r.routed ? { routed: true } : {}),
        };
        return [`${r.zone} ${name} ${r.type}`, record] as const;
      }),
    );
    const fleet: Fleet = {
      namedClasses: g.named.map((classId) => ({
        classId,
        hostedZoneId: ZONE,
        domain: DOMAIN,
        suffix: suffixOf(classId),
      })),
      records: [...records.values()],
      images,
      snapshots,
      instances: g.instances.map((x, n) => ({
        instanceId: hex('i', n),
        state: x.state,
        imageId: x.image < images.length ? images[x.image]?.imageId : 'ami-0base0000',
        securityGroupIds: x.groups.map((k) => hex('sg', k)),
        tags: tags(x.stack, {
          [TAG.kind]: x.kind,
          [TAG.classroom]: x.classId,
          [TAG.expiresAt]: x.expiresAt,
        }),
        ...(x.region ? { region: x.region } : {}),
      })),
      parameters: [
        ...new Set(g.parameters.map((p) => `${p.prefix}/classes/${p.classId}/b-1/s-${p.seat}`)),
      ],
      schedules: g.schedules.map((s, n) => ({
        name: `${s.prefix}${n}-b-1`,
        roleArn: s.role,
        instanceIds: s.targets.map((k) => hex('i', k)),
      })),
      securityGroups: g.groups.map((x, n) => ({
        groupId: hex('sg', n),
        tags: tags(x.stack, {
          [TAG.kind]: x.kind,
          [TAG.classroom]: x.classId,
          [TAG.expiresAt]: x.expiresAt,
        }),
        ...(x.region ? { region: x.region } : {}),
      })),
    };
    return { fleet, statuses: g.statuses, failing: new Set(g.failing) };
  });

type Case =
  fc.Arbitrary<ReturnType<typeof fleetArbitrary.generate>['value']> extends fc.Arbitrary<infer C>
    ? C
    : never;

/** The rules, stated resource by resource: what must go, as `kind id` keys. */
function expected({ fleet, statuses }: Case): Set<string> {
  const at = NOW.getTime();
  const mine = (t: Tags) => t[TAG.stack] === STACK;
  const status = (c: string | undefined) => {
    if (c === undefined) return undefined;
    const s = statuses[c] ?? 'unknown';
    return s === 'unreadable' ? undefined : s;
  };
  const expiredAt = (t: Tags) => {
    const ms = Date.parse(t[TAG.expiresAt] ?? '');
    return !Number.isNaN(ms) && ms < at;
  };
  const out = new Set<string>();
  const ending = fleet.instances.filter((i) => {
    if (!mine(i.tags) || !SURVIVING.has(i.state)) return false;
    if (i.tags[TAG.kind] === 'builder') return expiredAt(i.tags);
    if (i.tags[TAG.kind] !== 'seat') return false;
    const s = status(i.tags[TAG.classroom]);
    return expiredAt(i.tags) || (s !== undefined && GONE.has(s));
  });
  for (const i of ending) out.add(`terminate-instance ${i.instanceId}`);
  const survivors = fleet.instances.filter((i) => SURVIVING.has(i.state) && !ending.includes(i));

  const ours = fleet.images.filter((i) => mine(i.tags) && i.tags[TAG.kind] === 'image');
  const available = ours.filter((i) => i.state === 'available');
  const newest = (image: (typeof ours)[number]) =>
    available
      .filter((o) => o.tags[TAG.name] === image.tags[TAG.name])
      .sort((a, b) => Date.parse(b.createdAt ?? '') - Date.parse(a.createdAt ?? ''))
      .slice(0, SETTINGS.keepImagesPerRecipe)
      .includes(image);
  const goingImages = ours.filter(
    (i) =>
      i.state === 'failed' ||
      (i.state === 'available' &&
        !survivors.some((s) => s.imageId === i.imageId) &&
        !newest(i) &&
        at - Date.parse(i.createdAt ?? '') > SETTINGS.imageRetentionDays * DAY),
  );
  for (const i of goingImages) out.add(`delete-image ${i.imageId}`);
  const kept = fleet.images.filter((i) => !goingImages.includes(i));
  for (const s of fleet.snapshots) {
    const withImage = goingImages.some((i) => i.snapshotIds.includes(s.snapshotId));
    const used = kept.some((i) => i.snapshotIds.includes(s.snapshotId));
    if (
      !withImage &&
      !used &&
      mine(s.tags) &&
      s.tags[TAG.kind] === 'image' &&
      s.state !== 'pending'
    )
      out.add(`delete-snapshot ${s.snapshotId}`);
  }

  const over = (c: string) => {
    const s = status(c);
    if (s === undefined || s === 'live') return false;
    if (s !== 'unknown') return true;
    return !survivors.some((i) => mine(i.tags) && i.tags[TAG.classroom] === c);
  };
  for (const c of CLASSES)
    if (fleet.parameters.some((p) => p.startsWith(`/bakehouse/dev/classes/${c}/`)) && over(c))
      out.add(`delete-parameters /bakehouse/dev/classes/${c}`);
  for (const s of fleet.schedules)
    if (
      s.name.startsWith('bakehouse-') &&
      s.roleArn === ROLE &&
      !s.instanceIds.some((id) => survivors.some((i) => i.instanceId === id))
    )
      out.add(`delete-schedule ${s.name}`);
  for (const g of fleet.securityGroups) {
    const c = g.tags[TAG.classroom];
    if (!mine(g.tags) || g.tags[TAG.kind] !== 'security-group' || !c) continue;
    if (survivors.some((i) => i.securityGroupIds.includes(g.groupId))) continue;
    if (over(c)) out.add(`delete-security-group ${g.groupId}`);
  }
  for (const r of fleet.records ?? []) {
    const named = fleet.namedClasses?.find((n) => r.name.endsWith(`${n.suffix}.`));
    const seat = /^seat-\d+$/.test(r.name.split('.')[0] ?? '');
    if (!named || !seat || r.type !== 'A' || r.routed || r.hostedZoneId !== ZONE) continue;
    if (over(named.classId)) out.add(`delete-record ${r.name.replace(/\.$/, '')}`);
  }
  return out;
}

/** A fake account over the fleet: records every call, fails the chosen ones, refuses foreign ids. */
function account(c: Case) {
  const touched: string[] = [];
  const byId = new Map<string, Tags>();
  for (const r of c.fleet.instances) byId.set(r.instanceId, r.tags);
  for (const r of c.fleet.images) byId.set(r.imageId, r.tags);
  for (const r of c.fleet.snapshots) byId.set(r.snapshotId, r.tags);
  for (const r of c.fleet.securityGroups) byId.set(r.groupId, r.tags);
  const regionOf = new Map<string, string | undefined>([
    ...c.fleet.instances.map((r) => [r.instanceId, r.region] as const),
    ...c.fleet.securityGroups.map((r) => [r.groupId, r.region] as const),
  ]);
  /** Calls sent to another region than their resource's (EC2 would not find it there). */
  const misdirected: string[] = [];
  const inRegion = (what: string, ids: string[], sentTo: string | undefined) => {
    for (const id of ids)
      if (regionOf.get(id) !== sentTo)
        misdirected.push(`${what} ${id} sent to ${sentTo ?? 'home'}`);
  };
  let call = 0;
  /** One API call naming `ids`: recorded, then failed when it is one of the chosen calls. */
  const touch = (what: string, ...ids: string[]) => {
    for (const id of ids) touched.push(`${what} ${id}`);
    if (c.failing.has(call++))
      throw Object.assign(new Error('simulated failure'), { name: 'Boom' });
  };
  const ended = new Set<string>();
  const ports: TeardownPorts = {
    terminateInstances: async (ids, where) => {
      inRegion('terminate-instance', ids, where);
      touch('terminate-instance', ...ids);
      for (const id of ids) ended.add(id);
      return ids;
    },
    deleteImage: async (a) => {
      touch('delete-image', a.id);
      for (const s of a.snapshotIds) touched.push(`snapshot-with-image ${s}`);
    },
    deleteSnapshot: async (id) => touch('delete-snapshot', id),
    deleteParameters: async (names) => {
      for (const name of names) touched.push(`parameter ${name}`);
      touch('delete-parameters', names[0]?.split('/').slice(0, 5).join('/') ?? '');
    },
    deleteSchedule: async (name) => touch('delete-schedule', name),
    deleteRecords: async (zone, records) => {
      touched.push(...records.map(() => `record-in ${zone}`));
      const names = records.map((r) => r.name);
      touch('delete-record', ...names.map((n) => n.replace(/\.$/, '')));
      return { deleted: names, failed: [] };
    },
    deleteSecurityGroup: async (id, where) => {
      inRegion('delete-security-group', [id], where);
      touch('delete-security-group', id);
      // Instances terminated in this run are still shutting down: they hold their groups.
      return !c.fleet.instances.some(
        (i) => ended.has(i.instanceId) && i.securityGroupIds.includes(id),
      );
    },
  };
  return { touched, ports, byId, misdirected };
}

const keys = (entries: TeardownReport['done']) => entries.map((e) => `${e.kind} ${e.id}`);

const classStatus = (c: Case) => async (id: string) => {
  const s = c.statuses[id];
  if (s === 'unreadable')
    throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
  return s ?? 'unknown';
};

describe('the nightly teardown over random fleets', () => {
  it("touches only the stack's expired or orphaned resources, every one of them, and a dry run touches nothing and reports the same", async () => {
    let fleets = 0;
    let resources = 0;
    let removed = 0;
    const kinds: Record<string, number> = {};
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(fleetArbitrary, async (c) => {
        fleets++;
        const f = c.fleet;
        resources +=
          f.instances.length +
          f.images.length +
          f.snapshots.length +
          f.parameters.length +
          f.schedules.length +
          f.securityGroups.length +
          (f.records?.length ?? 0);
        const want = expected(c);

        const dry = account(c);
        const preview = await runTeardown({
          fleet: f,
          now: NOW,
          classStatus: classStatus(c),
          settings: SETTINGS,
          dryRun: true,
          ports: dry.ports,
        });
        const real = account(c);
        const report = await runTeardown({
          fleet: f,
          now: NOW,
          classStatus: classStatus(c),
          settings: SETTINGS,
          dryRun: false,
          ports: real.ports,
        });

        const acted = real.touched.filter(
          (t) => !/^(parameter|snapshot-with-image|record-in) /.test(t),
        );
        removed += acted.length;
        for (const t of acted)
          kinds[t.split(' ')[0] ?? ''] = (kinds[t.split(' ')[0] ?? ''] ?? 0) + 1;
        kinds.failed = (kinds.failed ?? 0) + report.couldNot.length;
        // Every call names one of the stack's own resources: tagged with the stack, a parameter
        // under its path, a schedule running as its role.
        for (const t of real.touched) {
          const [what, id = ''] = t.split(' ');
          if (what === 'parameter' || what === 'delete-parameters')
            expect(id.startsWith('/bakehouse/dev/classes/')).toBe(true);
          else if (what === 'delete-schedule')
            expect(f.schedules.find((s) => s.name === id)?.roleArn).toBe(ROLE);
          else if (what === 'record-in') expect(id).toBe(ZONE);
          else if (what === 'delete-record')
            // Only the seat names of a class the store knows, never another name under the domain.
            expect(
              f.namedClasses?.some(
                (n) => id.endsWith(n.suffix) && /^seat-\d+$/.test(id.split('.')[0] ?? ''),
              ),
              t,
            ).toBe(true);
          else expect(real.byId.get(id)?.[TAG.stack], t).toBe(STACK);
        }
        // Each call in its resource's own region.
        expect(real.misdirected).toEqual([]);
        // Exactly the resources the rules name, each once.
        expect(new Set(acted).size).toBe(acted.length);
        expect(new Set(acted)).toEqual(want);
        // The report accounts for every call: done, or could not with the error.
        const failedKeys = report.couldNot.filter(
          (e) => e.error !== undefined && want.has(`${e.kind} ${e.id}`),
        );
        expect(new Set([...keys(report.done), ...keys(failedKeys)])).toEqual(want);
        for (const e of report.couldNot) expect(e.error).toBeTruthy();
        // A dry run calls nothing and reports what the real run did.
        expect(dry.touched).toEqual([]);
        expect(report.wouldDo).toEqual([]);
        expect(new Set(keys(preview.wouldDo))).toEqual(want);
        expect(preview.done).toEqual([]);
      }),
      { numRuns: 8000, seed: 20261201 },
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `teardown property: ${fleets} fleets, ${resources} resources, ${removed} removals checked in ${seconds.toFixed(1)} s`,
      JSON.stringify(kinds),
    );
    expect(resources).toBeGreaterThan(200_000);
    // Every kind of removal, and failures, came up often enough to mean something.
    for (const kind of [
      'terminate-instance',
      'delete-image',
      'delete-snapshot',
      'delete-parameters',
      'delete-schedule',
      'delete-security-group',
      'delete-record',
      'failed',
    ])
      expect(kinds[kind] ?? 0, kind).toBeGreaterThan(200);
    expect(seconds).toBeLessThan(20);
  }, 60_000);
});
