// A TLS class whose Elastic IPs EC2 lets through a few at a time: what launches, what waits,
// what a retry finds, and when the class is polled again.
import { describe, expect, it, vi } from 'vitest';
import type { ClassPlan } from '../../../../layers/core/classroom/plan/class-plan';
import { type LaunchDeps, launchWaiting } from '../../../../layers/core/classroom/seats/launch';
import type { BatchState } from '../../../../layers/core/classroom/seats/lifecycle';
import { advanceSeating, type SeatActions } from '../../../../layers/core/classroom/seats/poll';
import {
  ADDRESS_POLL_SECONDS,
  FIRST_POLL_SECONDS,
} from '../../../../layers/core/classroom/seats/poll-bounds';
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
  tls: { mode: 'acme', directory: 'https://acme.example.org/dir' },
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

const launch = { order: placements, securityGroupId: 'sg-1', instanceProfileName: 'seat' };
const T0 = Date.UTC(2026, 11, 1, 9);

/**
 * An account whose bucket lets `budget` addresses through, then throttles: addresses are kept by
 * seat (as their tags keep them), instances by the launch tag they were started with.
 */
function account(budget: number) {
  const addresses = new Map<string, { allocationId: string; publicIp: string }>();
  const instances: (InstanceSummary & { launch: string })[] = [];
  const specs: LaunchSpec[] = [];
  const allocations: string[] = [];
  const stored = new Map<string, string>();
  const state = { budget };
  const deps: LaunchDeps = {
    secureParameters: async (names) =>
      new Map(names.flatMap((n) => (stored.has(n) ? [[n, stored.get(n) as string] as const] : []))),
    putSecureParameter: async (name, value) => {
      stored.set(name, value);
    },
    seatAddresses: vi.fn(async ({ seats }) => {
      const answer = new Map<string, { allocationId: string; publicIp: string }>();
      for (const { key } of seats) {
        if (!addresses.has(key)) {
          if (state.budget === 0) break;
          state.budget--;
          allocations.push(key);
          const n = addresses.size + 1;
          addresses.set(key, { allocationId: `eipalloc-${n}`, publicIp: `203.0.113.${n}` });
        }
        answer.set(key, addresses.get(key) as { allocationId: string; publicIp: string });
      }
      return answer;
    }),
    runInstances: async (spec) => {
      specs.push(spec);
      return Array.from({ length: spec.count }, (_, k) => {
        const made = {
          ...instance(`i-${instances.length + 1}`, 'pending'),
          launchIndex: k,
          instanceType: spec.instanceType,
          subnetId: spec.subnetId,
          launch: spec.tags['bakehouse:launch'] as string,
        };
        instances.push(made);
        return made;
      });
    },
    instancesTagged: async (tags) => instances.filter((i) => i.launch === tags['bakehouse:launch']),
    nameSeats: async () => {},
    randomBytes: (n) => new Uint8Array(n).fill(7),
    now: () => T0,
  };
  return { deps, state, specs, allocations, instances, addresses };
}

const phases = (b: BatchState) => b.seats.map((s) => s.phase);

describe('launchWaiting with fewer addresses than seats', () => {
  it('launches only the seats EC2 gave an address; the others wait, neither failed nor attempted', async () => {
    const { deps, specs } = account(2);

    const next = await launchWaiting(plan, batch(5), launch, deps);

    expect(phases(next)).toEqual(['booting', 'booting', 'launching', 'launching', 'launching']);
    expect(specs.map((s) => s.count)).toEqual([2]);
    const waiting = next.seats.slice(2);
    expect(waiting.map((s) => [s.attempt, s.host, s.launchedAt, s.reason])).toEqual(
      Array(3).fill([0, undefined, undefined, undefined]),
    );
    expect(next).toMatchObject({ settled: false, relaunch: true });
  });

  it('launches nothing and stores no credential while no address comes through', async () => {
    const { deps, specs } = account(0);
    const put = vi.spyOn(deps, 'putSecureParameter');

    const next = await launchWaiting(plan, batch(3), launch, deps);

    expect(phases(next)).toEqual(['launching', 'launching', 'launching']);
    expect(specs).toEqual([]);
    expect(put).not.toHaveBeenCalled();
  });

  it('on a retry after a lost answer takes the instances already started and never allocates twice', async () => {
    const { deps, state, specs, allocations } = account(2);
    const first = await launchWaiting(plan, batch(5), launch, deps);
    // The answer was lost: the retry starts again from the batch as stored, and the bucket has
    // refilled by one address meanwhile.
    state.budget = 1;

    const retried = await launchWaiting(plan, batch(5), launch, deps);

    expect(allocations).toEqual(['seat-001', 'seat-002', 'seat-003']);
    expect(retried.seats.slice(0, 2).map((s) => s.instanceId)).toEqual(
      first.seats.slice(0, 2).map((s) => s.instanceId),
    );
    expect(retried.seats.map((s) => s.host)).toEqual([
      '203.0.113.1',
      '203.0.113.2',
      '203.0.113.3',
      undefined,
      undefined,
    ]);
    expect(specs.map((s) => s.count)).toEqual([2, 1]);
    expect(new Set(retried.seats.flatMap((s) => s.instanceId ?? [])).size).toBe(3);
  });

  it('puts the seats that already had an address first, so a retry gives each its own instance', async () => {
    const { deps, instances } = account(1);
    // seat-003 is a replacement: it kept its address; seat-001 and seat-002 still have none.
    const stored = batch(3);
    stored.seats[2] = {
      ...(stored.seats[2] as BatchState['seats'][number]),
      attempt: 1,
      host: '198.51.100.9',
      publicIp: '198.51.100.9',
      allocationId: 'eipalloc-9',
    };

    const next = await launchWaiting(plan, stored, launch, deps);

    const byInstance = new Map(instances.map((i) => [i.instanceId, i.launchIndex]));
    expect(next.seats.map((s) => [s.seatId, byInstance.get(s.instanceId ?? '')])).toEqual([
      ['seat-001', 1],
      ['seat-002', undefined],
      ['seat-003', 0],
    ]);
  });

  it('asks for no address when told the bucket is empty, and still launches seats that have one', async () => {
    const { deps, specs } = account(5);
    const stored = batch(2);
    stored.seats[1] = {
      ...(stored.seats[1] as BatchState['seats'][number]),
      host: '198.51.100.9',
      publicIp: '198.51.100.9',
      allocationId: 'eipalloc-9',
    };

    const next = await launchWaiting(plan, stored, launch, deps, { allocate: false });

    expect(deps.seatAddresses).not.toHaveBeenCalled();
    expect(phases(next)).toEqual(['launching', 'booting']);
    expect(specs.map((s) => s.count)).toEqual([1]);
  });
});

function pollActions(relaunch: SeatActions['relaunch'], now = T0): SeatActions {
  return {
    instances: vi.fn(async () => []),
    associate: vi.fn(async () => new Set<string>()),
    terminate: vi.fn(async () => {}),
    relaunch: vi.fn(relaunch),
    email: vi.fn(async () => new Map()),
    now: () => now,
  };
}

const withBatchId = (b: BatchState, batchId: string): BatchState => ({ ...b, batchId });

describe('the class poll while EC2 paces addresses', () => {
  it('stops asking for addresses after the first batch that comes back still waiting', async () => {
    const batches = ['b00', 'b01', 'b02'].map((id) => withBatchId(batch(2), id));
    const replacement = batches[2] as BatchState;
    replacement.seats[0] = {
      ...(replacement.seats[0] as BatchState['seats'][number]),
      attempt: 1,
      host: '198.51.100.9',
    };
    // b00 gets one of its two addresses: the bucket is empty after it.
    const acts = pollActions(async (b) => ({
      ...b,
      seats: b.seats.map((s, i) =>
        b.batchId === 'b00' && i === 0 ? { ...s, phase: 'booting' } : s,
      ),
    }));

    const { seating } = await advanceSeating(batches, acts);

    const calls = (acts.relaunch as ReturnType<typeof vi.fn>).mock.calls;
    expect(calls.map(([b, options]) => [b.batchId, options])).toEqual([
      ['b00', { allocate: true }],
      // b01 has only seats without an address: not tried. b02's replacement has one.
      ['b02', { allocate: false }],
    ]);
    expect(seating.waitSeconds).toBe(ADDRESS_POLL_SECONDS);
  });

  it('tries every batch when none comes back waiting', async () => {
    const batches = ['b00', 'b01'].map((id) => withBatchId(batch(1), id));
    const acts = pollActions(async (b) => ({
      ...b,
      seats: b.seats.map((s) => ({ ...s, phase: 'booting', launchedAt: T0 })),
    }));

    const { seating } = await advanceSeating(batches, acts);

    expect(acts.relaunch).toHaveBeenCalledTimes(2);
    // Every seat launched just now: the next look is when the first can be ready.
    expect(seating.waitSeconds).toBe(FIRST_POLL_SECONDS);
  });
});
