import { describe, expect, it } from 'vitest';
import {
  type BatchState,
  markReplacements,
  observeSeats,
  SEAT_REPORT_TAG,
  seatsToAssociate,
  seatsToEmail,
  seatsToProbe,
} from '../../../../layers/core/classroom/seats/lifecycle';
import { SEAT_DEADLINE_SECONDS } from '../../../../layers/core/classroom/seats/poll-bounds';
import type { InstanceSummary } from '../../../../layers/core/launch';
import { instance, launched } from './fixtures';

const T0 = Date.UTC(2026, 11, 1, 9);
const reported = (id: string, value?: string): InstanceSummary => ({
  ...instance(id),
  tags: value ? { [SEAT_REPORT_TAG]: value } : {},
});
const byId = (...instances: InstanceSummary[]) => new Map(instances.map((i) => [i.instanceId, i]));

async function booting(n: number): Promise<BatchState> {
  const state = await launched(n);
  return {
    ...state,
    seats: state.seats.map((s) => ({ ...s, launchedAt: T0, settingsDigest: `d${s.seatId}` })),
  };
}

describe('observeSeats', () => {
  it('readies a seat that reported its own settings, behind a CIDR the Lambda cannot cross', async () => {
    const state = await booting(2);

    const next = observeSeats(
      state,
      byId(reported('i-1', 'ready dseat-001'), reported('i-2')),
      undefined,
      T0 + 60_000,
    );

    expect(next.seats.map((s) => s.phase)).toEqual(['ready', 'booting']);
    expect(next.seats[0]?.readyAt).toBe(T0 + 60_000);
  });

  it('waits for the login over the network where the class can be reached', async () => {
    const state = await booting(2);
    const instances = byId(reported('i-1', 'ready dseat-001'), reported('i-2', 'ready dseat-002'));

    expect(seatsToProbe(state, instances).map((s) => s.seatId)).toEqual(['seat-001', 'seat-002']);
    const next = observeSeats(
      state,
      instances,
      new Map([
        ['seat-001', { ready: true as const }],
        ['seat-002', { ready: false as const, reason: 'password refused' }],
      ]),
      T0 + 60_000,
    );

    expect(next.seats.map((s) => [s.phase, s.reason])).toEqual([
      ['ready', undefined],
      ['booting', 'password refused'],
    ]);
  });

  it('fails a seat whose configuration failed, one with settings it was not given, one gone, and one silent past its deadline', async () => {
    const state = await booting(4);

    const next = observeSeats(
      state,
      byId(
        reported('i-1', 'failed Jupyter exited while starting'),
        reported('i-2', 'ready 0123456789abcdef'),
        reported('i-4'),
      ),
      undefined,
      T0 + SEAT_DEADLINE_SECONDS * 1000,
    );

    expect(next.seats.map((s) => [s.phase, s.reason])).toEqual([
      ['failed', 'seat configuration failed: Jupyter exited while starting'],
      ['failed', 'the seat reported settings it was not given'],
      ['failed', 'instance vanished'],
      ['failed', expect.stringContaining('the seat never reported')],
    ]);
  });

  it("puts a TLS seat's Elastic IP on its instance once it runs, and links the seat to it", async () => {
    const state = await booting(2);
    const withAddress = {
      ...state,
      seats: state.seats.map((s, i) => ({
        ...s,
        host: `203.0.113.${i + 1}`,
        allocationId: `eipalloc-${i + 1}`,
      })),
    };

    const pending = { ...instance('i-2', 'pending'), tags: {} };
    expect(
      seatsToAssociate(withAddress, byId(reported('i-1'), pending)).map((s) => s.seatId),
    ).toEqual(['seat-001']);
    const next = observeSeats(withAddress, byId(reported('i-1'), pending), undefined, T0);
    expect(next.seats[0]?.publicIp).toBe('203.0.113.1');
  });
});

describe('replacements and emails', () => {
  it('replaces a failed seat once, keeping its address', async () => {
    const state = await booting(1);
    const failed: BatchState = {
      ...state,
      seats: state.seats.map((s) => ({
        ...s,
        phase: 'failed',
        reason: 'instance stopped',
        host: '203.0.113.9',
        allocationId: 'eipalloc-9',
      })),
    };

    const next = markReplacements(failed);

    expect(next.seats[0]).toMatchObject({
      phase: 'launching',
      attempt: 1,
      host: '203.0.113.9',
      allocationId: 'eipalloc-9',
      reason: 'replaced: instance stopped',
    });
    expect(
      markReplacements({ ...failed, seats: [{ ...failed.seats[0], attempt: 1 } as never] }).seats[0]
        ?.phase,
    ).toBe('failed');
  });

  it('emails the students of ready seats in the order their seats became ready, each once', async () => {
    const state = await booting(3);
    const ready: BatchState = {
      ...state,
      seats: state.seats.map((s, i) => ({
        ...s,
        phase: 'ready',
        readyAt: T0 + (3 - i) * 1000,
        ...(i === 2 ? { emailed: true } : {}),
      })),
    };

    expect(seatsToEmail([ready]).map((r) => r.seat.seatId)).toEqual(['seat-002', 'seat-001']);
  });
});
