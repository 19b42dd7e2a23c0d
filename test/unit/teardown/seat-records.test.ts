// The teardown and the seats' names in Route 53: only the names bakehouse writes for a class the
// store knows, deleted once the class is over, exactly as listed, one call per zone.
import { describe, expect, it } from 'vitest';
import { classLabel } from '../../../layers/core/classroom/request/dns';
import { applyTeardown, type TeardownPorts } from '../../../layers/core/teardown/apply';
import type { ClassStatus } from '../../../layers/core/teardown/class-status';
import type { Fleet, FleetRecord } from '../../../layers/core/teardown/fleet';
import { classesIn, planTeardown, type TeardownSettings } from '../../../layers/core/teardown/plan';
import {
  domainsToList,
  namedClassesOf,
  recordsByClass,
} from '../../../layers/core/teardown/seat-records';
import { record } from '../classroom/record/fixtures';

const ZONE = 'Z0123456789ABC';
const DNS = { hostedZoneId: ZONE, domain: 'classes.example.org' };
const NOW = new Date('2027-03-20T03:00:00Z');
const SETTINGS: TeardownSettings = {
  stackName: 'bakehouse-test',
  region: 'us-east-1',
  parameterPrefix: '/bakehouse/test',
  schedulerRoleArn: 'arn:aws:iam::123456789012:role/bakehouse-test-scheduler',
  keepImagesPerRecipe: 3,
  imageRetentionDays: 30,
};
const LABEL = classLabel('genomics-101', 'class-1');
/** The same class name, another class: its label's digest differs. */
const OTHER_LABEL = classLabel('genomics-101', 'class-2');

const a = (name: string, change: Partial<FleetRecord> = {}): FleetRecord => ({
  hostedZoneId: ZONE,
  name,
  type: 'A',
  ttl: 60,
  values: ['203.0.113.1'],
  ...change,
});

const fleet = (records: FleetRecord[]): Fleet => ({
  instances: [],
  images: [],
  snapshots: [],
  parameters: [],
  schedules: [],
  securityGroups: [],
  namedClasses: namedClassesOf([record({ dns: DNS })]),
  records,
});

const own = [
  a(`seat-001.${LABEL}.classes.example.org.`),
  a(`seat-002.${LABEL}.classes.example.org.`, { values: ['203.0.113.2'] }),
];
const notOurs = [
  a(`www.${LABEL}.classes.example.org.`),
  a(`seat-x.${LABEL}.classes.example.org.`),
  a(`seat-001.${OTHER_LABEL}.classes.example.org.`),
  a(`seat-003.${LABEL}.classes.example.org.`, { routed: true }),
  a(`seat-004.${LABEL}.classes.example.org.`, { type: 'TXT' }),
  a(`seat-005.${LABEL}.classes.example.org.`, { hostedZoneId: 'Z0OTHERZONE' }),
  a(`seat-006.x.${LABEL}.classes.example.org.`),
  a('seat-001.classes.example.org.'),
];

const plan = (f: Fleet, status?: ClassStatus) =>
  planTeardown(f, NOW, new Map(status ? [['class-1', status]] : []), SETTINGS);

describe("the teardown's view of seat names", () => {
  it('knows the classes of the store that name seats, and lists each zone and domain once', () => {
    const named = namedClassesOf([
      record({ dns: DNS }),
      record({ dns: DNS }),
      record(),
      { not: 'a class record' },
    ]);

    expect(named).toEqual([
      {
        classId: 'class-1',
        hostedZoneId: ZONE,
        domain: 'classes.example.org',
        suffix: `.${LABEL}.classes.example.org`,
      },
      {
        classId: 'class-1',
        hostedZoneId: ZONE,
        domain: 'classes.example.org',
        suffix: `.${LABEL}.classes.example.org`,
      },
    ]);
    expect(domainsToList(named)).toEqual([{ hostedZoneId: ZONE, domain: 'classes.example.org' }]);
  });

  it("matches a class's own seat names only, never another name under its domain", () => {
    const found = recordsByClass(fleet([...own, ...notOurs]));

    expect([...found.keys()]).toEqual(['class-1']);
    expect(found.get('class-1')).toEqual(own);
    expect(recordsByClass({ ...fleet(own), namedClasses: [] }).size).toBe(0);
  });

  it('asks for the status of a class that still has names, though nothing else of it is left', () => {
    expect(classesIn(fleet(own), SETTINGS)).toEqual(['class-1']);
    expect(classesIn(fleet(notOurs), SETTINGS)).toEqual([]);
  });
});

describe('the teardown plan for seat names', () => {
  it('deletes the names of a class that is over, each exactly as listed', () => {
    const actions = plan(fleet([...own, ...notOurs]), 'aborted');

    expect(actions).toEqual(
      own.map((r) => ({
        kind: 'delete-record',
        id: r.name.replace(/\.$/, ''),
        hostedZoneId: ZONE,
        record: r,
        reason: 'seat name of a class that is over: class class-1 is aborted',
      })),
    );
  });

  it.each<ClassStatus>(['ended', 'deleted', 'failed'])(
    'deletes them when the class is %s',
    (status) => {
      expect(plan(fleet(own), status)).toHaveLength(2);
    },
  );

  it('keeps the names of a live class, and of a class whose status could not be told', () => {
    expect(plan(fleet(own), 'live')).toEqual([]);
    expect(plan(fleet(own))).toEqual([]);
  });
});

describe('applying seat-name deletions', () => {
  const ports = (answer: TeardownPorts['deleteRecords']) => {
    const calls: { zone: string; names: string[] }[] = [];
    const port: TeardownPorts = {
      terminateInstances: async (ids) => ids,
      deleteImage: async () => {},
      deleteSnapshot: async () => {},
      deleteParameters: async () => {},
      deleteSchedule: async () => {},
      deleteSecurityGroup: async () => true,
      deleteRecords: async (zone, records) => {
        calls.push({ zone, names: records.map((r) => r.name) });
        return answer(zone, records);
      },
    };
    return { calls, port };
  };
  const actions = () => [
    ...plan(fleet(own), 'failed'),
    ...plan(
      {
        ...fleet([a(`seat-001.${LABEL}.classes.example.org.`, { hostedZoneId: 'Z0SECOND' })]),
        namedClasses: [
          {
            classId: 'class-1',
            hostedZoneId: 'Z0SECOND',
            domain: 'classes.example.org',
            suffix: `.${LABEL}.classes.example.org`,
          },
        ],
      },
      'failed',
    ),
  ];

  it('sends one call per zone and reports each name as the adapter answers', async () => {
    const { calls, port } = ports(async (_zone, records) => ({
      deleted: records.slice(1).map((r) => r.name),
      failed: records
        .slice(0, 1)
        .map((r) => ({ name: r.name, error: 'InvalidChangeBatch: changed' })),
    }));

    const outcomes = await applyTeardown(actions(), port, false);

    expect(calls).toEqual([
      { zone: ZONE, names: own.map((r) => r.name) },
      { zone: 'Z0SECOND', names: [`seat-001.${LABEL}.classes.example.org.`] },
    ]);
    expect(outcomes.map((o) => [o.id, o.result, o.error])).toEqual([
      [`seat-001.${LABEL}.classes.example.org`, 'failed', 'InvalidChangeBatch: changed'],
      [`seat-002.${LABEL}.classes.example.org`, 'done', undefined],
      [`seat-001.${LABEL}.classes.example.org`, 'failed', 'InvalidChangeBatch: changed'],
    ]);
  });

  it('fails every name of a zone whose call throws, and calls nothing in a dry run', async () => {
    const { calls, port } = ports(async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
    });

    const outcomes = await applyTeardown(actions(), port, false);
    const dry = await applyTeardown(
      actions(),
      ports(async () => ({ deleted: [], failed: [] })).port,
      true,
    );

    expect(calls).toHaveLength(2);
    expect(
      outcomes.every((o) => o.result === 'failed' && o.error === 'Throttling: Rate exceeded'),
    ).toBe(true);
    expect(dry.map((o) => o.result)).toEqual(['planned', 'planned', 'planned']);
  });
});
