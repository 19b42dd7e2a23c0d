import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ClassPlan } from '../../../../layers/core/classroom/plan/class-plan';
import { type LaunchDeps, launchWaiting } from '../../../../layers/core/classroom/seats/launch';
import type { InstanceSummary, LaunchSpec } from '../../../../layers/core/launch';
import { batch, instance, placements } from './fixtures';

const plan = {
  classId: 'intro-1',
  name: 'intro',
  region: 'eu-west-1',
  imageId: 'ami-0123456789abcdef0',
  rootDeviceName: '/dev/xvda',
  volumeGiB: 30,
  port: 8888,
  tls: { mode: 'none' },
  parameterPath: '/bakehouse/dev/classes/intro-1',
  placements,
  stackName: 'bakehouse-dev',
  schedule: { endsAt: '2026-03-10T16:00:00.000Z' },
  sessions: [
    {
      start: '2026-03-10T13:00',
      end: '2026-03-10T16:00',
      startsAt: '2026-03-10T13:00:00.000Z',
      endsAt: '2026-03-10T16:00:00.000Z',
    },
  ],
  retainDays: 7,
} as ClassPlan;
const httpsPlan = {
  ...plan,
  tls: { mode: 'acme', directory: 'https://acme.example.org/dir' },
} as ClassPlan;

function fakeDeps() {
  const stored = new Map<string, string>();
  const specs: LaunchSpec[] = [];
  const named: Parameters<LaunchDeps['nameSeats']>[0][] = [];
  const before: InstanceSummary[] = [];
  let counter = 0;
  const deps: LaunchDeps = {
    secureParameters: async (names) =>
      new Map(names.flatMap((n) => (stored.has(n) ? [[n, stored.get(n) as string] as const] : []))),
    putSecureParameter: async (name, value) => {
      stored.set(name, value);
    },
    seatAddresses: async ({ seats }) =>
      new Map(
        seats.map((s, i) => [
          s.key,
          { allocationId: `eipalloc-${i}`, publicIp: `203.0.113.${i + 1}` },
        ]),
      ),
    runInstances: async (spec) => {
      specs.push(spec);
      return Array.from({ length: spec.count }, (_, k) => instance(`i-${k + 1}`, 'pending'));
    },
    instancesTagged: async () => before,
    nameSeats: async (request) => {
      named.push(request);
    },
    randomBytes: (n) => Uint8Array.from({ length: n }, () => counter++ % 256),
    now: () => 1_000,
  };
  return { deps, stored, specs, named, before };
}

const launch = {
  order: placements,
  securityGroupId: 'sg-1',
  instanceProfileName: 'bakehouse-dev-instance',
};
const script = (spec: LaunchSpec) => gunzipSync(spec.userData as Uint8Array).toString('utf8');

describe('launchWaiting', () => {
  it('stores one credential per seat first and launches with only its hash and digest in the user data', async () => {
    const { deps, stored, specs } = fakeDeps();

    const next = await launchWaiting(plan, batch(2), launch, deps);

    expect([...stored.keys()]).toEqual([
      '/bakehouse/dev/classes/intro-1/b00/seat-001',
      '/bakehouse/dev/classes/intro-1/b00/seat-002',
    ]);
    const text = script(specs[0] as LaunchSpec);
    for (const value of stored.values()) {
      const { password, token } = JSON.parse(value);
      expect(text).not.toContain(password);
      expect(text).not.toContain(token);
    }
    expect(text).toContain("PASSWORD_HASH='argon2:$argon2id$");
    expect(next.seats.map((s) => [s.phase, s.launchedAt, s.settingsDigest?.length])).toEqual([
      ['booting', 1_000, 32],
      ['booting', 1_000, 32],
    ]);
  });

  it('sends the same user data again on a retry, as a repeated ClientToken requires', async () => {
    const { deps, specs } = fakeDeps();

    await launchWaiting(plan, batch(2), launch, deps);
    await launchWaiting(plan, batch(2), launch, deps);

    expect(specs[1]?.clientToken).toBe(specs[0]?.clientToken);
    expect(script(specs[1] as LaunchSpec)).toBe(script(specs[0] as LaunchSpec));
  });

  it('chooses each TLS seat its Elastic IP before launch and names it in its settings', async () => {
    const { deps, specs } = fakeDeps();

    const next = await launchWaiting(httpsPlan, batch(2), launch, deps);

    expect(next.seats.map((s) => [s.host, s.allocationId])).toEqual([
      ['203.0.113.1', 'eipalloc-0'],
      ['203.0.113.2', 'eipalloc-1'],
    ]);
    expect(script(specs[0] as LaunchSpec)).toContain("SEAT_HOST='203.0.113.2'");
  });

  it('chooses no address for a class without TLS', async () => {
    const { deps } = fakeDeps();

    const next = await launchWaiting(plan, batch(1), launch, deps);

    expect(next.seats[0]?.host).toBeUndefined();
  });

  it("points each seat's name at its Elastic IP before launch, and its certificate names it", async () => {
    const { deps, specs, named } = fakeDeps();
    const dnsPlan = {
      ...httpsPlan,
      dns: { hostedZoneId: 'Z0123456789ABC', domain: 'classes.example.org', label: 'intro-4f1c2a' },
    } as ClassPlan;

    const next = await launchWaiting(dnsPlan, batch(2), launch, deps);

    expect(named).toEqual([
      {
        hostedZoneId: 'Z0123456789ABC',
        records: [
          { name: 'seat-001.intro-4f1c2a.classes.example.org', address: '203.0.113.1' },
          { name: 'seat-002.intro-4f1c2a.classes.example.org', address: '203.0.113.2' },
        ],
      },
    ]);
    expect(next.seats.map((s) => [s.host, s.publicIp])).toEqual([
      ['seat-001.intro-4f1c2a.classes.example.org', '203.0.113.1'],
      ['seat-002.intro-4f1c2a.classes.example.org', '203.0.113.2'],
    ]);
    expect(script(specs[0] as LaunchSpec)).toContain(
      "SEAT_HOST='seat-002.intro-4f1c2a.classes.example.org'",
    );
  });

  it('takes the instances an earlier attempt of this launch started, and launches only the rest', async () => {
    const { deps, specs, before } = fakeDeps();
    before.push({ ...instance('i-early', 'pending'), launchIndex: 0 });

    const next = await launchWaiting(plan, batch(3), launch, deps);

    expect(next.seats.map((s) => s.instanceId)).toEqual(['i-early', 'i-1', 'i-2']);
    expect(specs.map((s) => s.count)).toEqual([2]);
    expect(specs[0]?.tags['bakehouse:launch']).toMatch(/^[0-9a-f]{24}$/);
  });

  it('puts the idle stop in every seat of the user data', async () => {
    const { deps, specs } = fakeDeps();

    await launchWaiting({ ...plan, idleMinutes: 45 }, batch(2), launch, deps);

    expect(script(specs[0] as LaunchSpec).match(/IDLE_MINUTES='45'/g)).toHaveLength(2);
  });
});
