import { describe, expect, it } from 'vitest';
import { batchRoster } from '../../../../layers/core/classroom/seats/batch-roster';
import { advanceBatch, type SeatActions } from '../../../../layers/core/classroom/seats/poll';
import { PHASE_LIMITS } from '../../../../layers/core/classroom/seats/poll-bounds';
import { instance, launched } from './fixtures';

function fakeActions(
  overrides: Partial<SeatActions> = {},
): SeatActions & { calls: Record<string, number> } {
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
    const ports = fakeActions();

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
    const ports = fakeActions({
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
    expect(batchRoster(failedTwice, { port: 8888, tls: { mode: 'none' } })[0]).toMatchObject({
      state: 'failed',
      url: null,
      reason: expect.stringContaining('login refused'),
    });
  });
});
