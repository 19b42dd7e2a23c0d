import { describe, expect, it, vi } from 'vitest';
import type { Placement } from '../../../layers/core/classroom/plan/batches';
import {
  type BatchState,
  batchRoster,
  newBatch,
  observeBoot,
  observeReadiness,
  PHASE_LIMITS,
} from '../../../layers/core/classroom/seats/lifecycle';
import { placeSeats, spreadPlacements } from '../../../layers/core/classroom/seats/placement';
import { advanceBatch, type SeatPorts } from '../../../layers/core/classroom/seats/poll';
import type { InstanceSummary } from '../../../layers/core/launch';

const capacity = (name: string) => Object.assign(new Error(name), { name });
const instance = (
  id: string,
  state = 'running',
  publicIp = `198.51.100.${id.slice(2)}`,
): InstanceSummary => ({
  instanceId: id,
  state,
  publicIp,
  tags: {},
});

function batch(n: number): BatchState {
  return newBatch({
    batchId: 'b00',
    seats: Array.from({ length: n }, (_, i) => ({
      seatId: `seat-00${i + 1}`,
      student: { name: `S${i + 1}`, email: `s${i + 1}@example.edu` },
    })),
  });
}

const placements: Placement[] = [
  { instanceType: 't3.medium', subnetId: 'subnet-aaaaaaaa', market: 'on-demand' },
  { instanceType: 't3.medium', subnetId: 'subnet-bbbbbbbb', market: 'on-demand' },
  { instanceType: 't3.large', market: 'on-demand' },
];

describe('placeSeats', () => {
  it('launches the whole batch with one call when the first placement has room', async () => {
    const launch = vi.fn(async (_p: Placement, _i: number, count: number) =>
      Array.from({ length: count }, (_, k) => instance(`i-${k + 1}`, 'pending')),
    );

    const placed = await placeSeats(batch(3), placements, launch);

    expect(launch).toHaveBeenCalledTimes(1);
    expect(placed.seats.map((s) => [s.phase, s.instanceId])).toEqual([
      ['booting', 'i-1'],
      ['booting', 'i-2'],
      ['booting', 'i-3'],
    ]);
  });

  it('moves on to the next placement for capacity errors and for the seats a partial fill left', async () => {
    const launch = vi
      .fn<(p: Placement, i: number, count: number) => Promise<InstanceSummary[]>>()
      .mockRejectedValueOnce(capacity('InsufficientInstanceCapacity'))
      .mockResolvedValueOnce([instance('i-1', 'pending')])
      .mockResolvedValueOnce([instance('i-2', 'pending'), instance('i-3', 'pending')]);

    const placed = await placeSeats(batch(3), placements, launch);

    expect(launch.mock.calls.map(([, i, count]) => [i, count])).toEqual([
      [0, 3],
      [1, 3],
      [2, 2],
    ]);
    expect(placed.seats.map((s) => s.placement?.instanceType)).toEqual([
      't3.medium',
      't3.large',
      't3.large',
    ]);
  });

  it('reports seats no placement could take, with what was tried', async () => {
    const launch = vi.fn(async () => {
      throw capacity('InsufficientInstanceCapacity');
    });

    const placed = await placeSeats(batch(2), placements, launch);

    expect(placed.seats.every((s) => s.phase === 'unplaced')).toBe(true);
    expect(placed.seats[0]?.reason).toContain('t3.large on-demand: InsufficientInstanceCapacity');
    expect(placed.settled).toBe(true);
  });

  it('stops at an account quota instead of trying every other placement', async () => {
    const launch = vi.fn(async () => {
      throw capacity('VcpuLimitExceeded');
    });

    const placed = await placeSeats(batch(2), placements, launch);

    expect(launch).toHaveBeenCalledTimes(1);
    expect(placed.seats[0]?.reason).toContain('VcpuLimitExceeded');
  });

  it('throws what placement cannot fix, so the state machine retries it', async () => {
    const launch = vi.fn(async () => {
      throw capacity('RequestLimitExceeded');
    });

    await expect(placeSeats(batch(1), placements, launch)).rejects.toMatchObject({
      name: 'RequestLimitExceeded',
    });
  });
});

async function launched(n: number) {
  return placeSeats(batch(n), placements, async (_p, _i, count) =>
    Array.from({ length: count }, (_, k) => instance(`i-${k + 1}`, 'pending')),
  );
}

describe('spreadPlacements', () => {
  it('starts consecutive batches in different subnets, keeping the instance types in order', () => {
    const order = (batchNumber: number) =>
      spreadPlacements(placements, batchNumber).map(
        (p) => `${p.instanceType}/${p.subnetId ?? 'any'}`,
      );

    expect(order(0)).toEqual([
      't3.medium/subnet-aaaaaaaa',
      't3.medium/subnet-bbbbbbbb',
      't3.large/any',
    ]);
    expect(order(1)).toEqual([
      't3.medium/subnet-bbbbbbbb',
      't3.medium/subnet-aaaaaaaa',
      't3.large/any',
    ]);
  });

  it('keeps spot before on-demand within a subnet', () => {
    const spot: Placement[] = [
      { instanceType: 't3.medium', subnetId: 'subnet-aaaaaaaa', market: 'spot' },
      { instanceType: 't3.medium', subnetId: 'subnet-aaaaaaaa', market: 'on-demand' },
      { instanceType: 't3.medium', subnetId: 'subnet-bbbbbbbb', market: 'spot' },
      { instanceType: 't3.medium', subnetId: 'subnet-bbbbbbbb', market: 'on-demand' },
    ];

    expect(spreadPlacements(spot, 1).map((p) => `${p.subnetId?.slice(-1)}:${p.market}`)).toEqual([
      'b:spot',
      'b:on-demand',
      'a:spot',
      'a:on-demand',
    ]);
  });
});

describe('observeBoot', () => {
  it('marks seats online once the instance runs and its agent is Online', async () => {
    const state = await launched(2);

    const next = observeBoot(
      state,
      [instance('i-1'), instance('i-2', 'pending')],
      new Set(['i-1']),
    );

    expect(next.seats.map((s) => s.phase)).toEqual(['online', 'booting']);
  });

  it('fails a seat whose instance stopped or vanished, and one whose agent never came', async () => {
    let state = await launched(3);
    state = {
      ...state,
      seats: state.seats.map((s, i) => (i === 2 ? { ...s, polls: PHASE_LIMITS.booting - 1 } : s)),
    };

    const next = observeBoot(
      state,
      [instance('i-1', 'stopped'), instance('i-3', 'pending')],
      new Set(),
    );

    expect(next.seats.map((s) => [s.phase, s.reason])).toEqual([
      ['failed', 'instance stopped'],
      ['failed', 'instance vanished'],
      ['failed', expect.stringContaining('SSM agent not Online')],
    ]);
  });
});

describe('observeReadiness', () => {
  it('readies a seat whose check passes and fails one whose script failed', async () => {
    const booted = observeBoot(
      await launched(2),
      [instance('i-1'), instance('i-2')],
      new Set(['i-1', 'i-2']),
    );
    const configuring = {
      ...booted,
      seats: booted.seats.map((s) => ({ ...s, phase: 'configuring' as const, commandId: 'c' })),
    };

    const next = observeReadiness(
      configuring,
      new Map([
        [
          'seat-001',
          { command: { status: 'Success', output: '' }, probe: { ready: true as const } },
        ],
        [
          'seat-002',
          { command: { status: 'Failed', output: 'bakehouse: Jupyter exited while starting' } },
        ],
      ]),
    );

    expect(next.seats.map((s) => [s.phase, s.reason])).toEqual([
      ['ready', undefined],
      ['failed', 'seat script Failed: bakehouse: Jupyter exited while starting'],
    ]);
  });
});

function fakePorts(
  overrides: Partial<SeatPorts> = {},
): SeatPorts & { calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const count = <T>(name: string, value: T) => {
    calls[name] = (calls[name] ?? 0) + 1;
    return value;
  };
  return {
    calls,
    instances: async (ids) =>
      count(
        'instances',
        ids.map((id) => instance(id)),
      ),
    onlineAgents: async (ids) => count('onlineAgents', new Set(ids)),
    configure: async () => count('configure', 'command-1'),
    invocations: async () =>
      count(
        'invocations',
        new Map([
          ['i-1', { status: 'Success', output: '' }],
          ['i-2', { status: 'Success', output: '' }],
        ]),
      ),
    probe: async (seats) =>
      count('probe', new Map(seats.map((s) => [s.seatId, { ready: true as const }]))),
    terminate: async () => {
      count('terminate', undefined);
    },
    ...overrides,
  };
}

describe('advanceBatch', () => {
  it('configures every seat that came online with one command, then readies them on the next poll', async () => {
    const ports = fakePorts();

    const first = await advanceBatch(await launched(2), ports);
    const second = await advanceBatch(first, ports);

    expect(first.seats.map((s) => s.phase)).toEqual(['configuring', 'configuring']);
    expect(second.seats.map((s) => s.phase)).toEqual(['ready', 'ready']);
    expect(second.settled).toBe(true);
    expect(ports.calls).toEqual({
      instances: 2,
      onlineAgents: 1,
      configure: 1,
      invocations: 1,
      probe: 1,
    });
  });

  it('terminates a seat that fails and queues one replacement, but not a second', async () => {
    const ports = fakePorts({
      probe: async (seats) =>
        new Map(seats.map((s) => [s.seatId, { ready: false as const, reason: 'login refused' }])),
    });
    let state = await advanceBatch(await launched(1), ports);
    state = {
      ...state,
      seats: state.seats.map((s) => ({ ...s, polls: PHASE_LIMITS.configuring - 1 })),
    };

    const failedOnce = await advanceBatch(state, ports);

    expect(ports.calls.terminate).toBe(1);
    expect(failedOnce.seats[0]).toMatchObject({ phase: 'launching', attempt: 1 });
    expect(failedOnce.relaunch).toBe(true);
    const replacement = {
      ...failedOnce,
      seats: failedOnce.seats.map((s) => ({
        ...s,
        phase: 'configuring' as const,
        instanceId: 'i-1',
        commandId: 'c',
        polls: PHASE_LIMITS.configuring - 1,
      })),
    };
    const failedTwice = await advanceBatch(replacement, ports);
    expect(failedTwice.seats[0]).toMatchObject({ phase: 'failed', attempt: 1 });
    expect(failedTwice.settled).toBe(true);
    expect(batchRoster(failedTwice, 8888)[0]).toMatchObject({
      state: 'failed',
      url: null,
      reason: expect.stringContaining('login refused'),
    });
  });
});
