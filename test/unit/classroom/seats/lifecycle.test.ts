import { describe, expect, it } from 'vitest';
import { observeBoot, observeReadiness } from '../../../../layers/core/classroom/seats/lifecycle';
import { PHASE_LIMITS } from '../../../../layers/core/classroom/seats/poll-bounds';
import { instance, launched } from './fixtures';

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
