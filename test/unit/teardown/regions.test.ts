// A class seated in another region than the teardown's: its seats and its group are judged as
// at home and removed there, each call sent to that region.
import { describe, expect, it } from 'vitest';
import { TAG } from '../../../layers/core/tags';
import { applyTeardown, type TeardownPorts } from '../../../layers/core/teardown/apply';
import type { ClassStatus } from '../../../layers/core/teardown/class-status';
import type { Fleet } from '../../../layers/core/teardown/fleet';
import { planTeardown } from '../../../layers/core/teardown/plan';
import { DEV_SETTINGS } from './settings';

const NOW = new Date('2027-01-14T03:00:00Z');
const SETTINGS = DEV_SETTINGS;
const classTags = (classId: string, kind: string) => ({
  [TAG.stack]: 'bakehouse-dev',
  [TAG.kind]: kind,
  [TAG.classroom]: classId,
  [TAG.expiresAt]: '2027-02-01T00:00:00Z',
});
const seat = (instanceId: string, classId: string, region?: string) => ({
  instanceId,
  state: 'running',
  securityGroupIds: [`sg-${classId}`],
  tags: classTags(classId, 'seat'),
  ...(region ? { region } : {}),
});

/** An aborted class seated in eu-west-1 and a live one at home. */
const fleet = (seats = true): Fleet => ({
  instances: seats
    ? [
        seat('i-0eu0000000000001', 'class-eu', 'eu-west-1'),
        seat('i-0eu0000000000002', 'class-eu', 'eu-west-1'),
        seat('i-0home00000000001', 'class-home'),
      ]
    : [seat('i-0home00000000001', 'class-home')],
  images: [],
  snapshots: [],
  parameters: [],
  schedules: [],
  securityGroups: [
    { groupId: 'sg-class-eu', tags: classTags('class-eu', 'security-group'), region: 'eu-west-1' },
    { groupId: 'sg-class-home', tags: classTags('class-home', 'security-group') },
  ],
});
const statuses = new Map<string, ClassStatus>([
  ['class-eu', 'aborted'],
  ['class-home', 'live'],
]);

function ports() {
  const calls: string[] = [];
  const port: TeardownPorts = {
    terminateInstances: async (ids, region) => {
      calls.push(`terminate ${region ?? 'home'} ${ids.join(',')}`);
      return ids;
    },
    deleteImage: async () => {},
    deleteSnapshot: async () => {},
    deleteParameters: async () => {},
    deleteSchedule: async () => {},
    deleteSecurityGroup: async (id, region) => {
      calls.push(`delete ${region ?? 'home'} ${id}`);
      return true;
    },
    deleteRecords: async () => ({ deleted: [], failed: [] }),
  };
  return { calls, port };
}

describe('the teardown of a class seated in another region', () => {
  it('terminates its seats there, one call for that region, then its group there, and leaves the live class at home', async () => {
    const actions = planTeardown(fleet(), NOW, statuses, SETTINGS);
    const { calls, port } = ports();

    const outcomes = await applyTeardown(actions, port, false);

    expect(actions.map((a) => [a.kind, a.id, 'region' in a ? a.region : undefined])).toEqual([
      ['terminate-instance', 'i-0eu0000000000001', 'eu-west-1'],
      ['terminate-instance', 'i-0eu0000000000002', 'eu-west-1'],
      ['delete-security-group', 'sg-class-eu', 'eu-west-1'],
    ]);
    expect(calls).toEqual([
      'terminate eu-west-1 i-0eu0000000000001,i-0eu0000000000002',
      'delete eu-west-1 sg-class-eu',
    ]);
    expect(outcomes.every((o) => o.result === 'done')).toBe(true);
  });

  it('deletes its group there once no seat holds it', async () => {
    const actions = planTeardown(fleet(false), NOW, statuses, SETTINGS);
    const { calls, port } = ports();

    await applyTeardown(actions, port, false);

    expect(calls).toEqual(['delete eu-west-1 sg-class-eu']);
  });

  it('sends the terminations of each region apart, a home batch without a region', async () => {
    const home = {
      ...seat('i-0home00000000002', 'class-gone'),
      tags: classTags('class-gone', 'seat'),
    };
    const f = fleet();
    f.instances.push(home);
    const actions = planTeardown(
      f,
      NOW,
      new Map([...statuses, ['class-gone', 'deleted']]),
      SETTINGS,
    );
    const { calls, port } = ports();

    await applyTeardown(actions, port, false);

    expect(calls.filter((c) => c.startsWith('terminate')).sort()).toEqual([
      'terminate eu-west-1 i-0eu0000000000001,i-0eu0000000000002',
      'terminate home i-0home00000000002',
    ]);
  });
});
