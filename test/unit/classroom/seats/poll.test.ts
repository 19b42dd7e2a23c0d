import { describe, expect, it, vi } from 'vitest';
import {
  type BatchState,
  SEAT_REPORT_TAG,
} from '../../../../layers/core/classroom/seats/lifecycle';
import { advanceSeating, type SeatActions } from '../../../../layers/core/classroom/seats/poll';
import {
  BUSY_POLL_WINDOW_SECONDS,
  EMAIL_POLL_SECONDS,
  SEAT_POLL_SECONDS,
  STRAGGLER_POLL_SECONDS,
} from '../../../../layers/core/classroom/seats/poll-bounds';
import type { InstanceSummary } from '../../../../layers/core/launch';
import { instance, launched } from './fixtures';

const T0 = Date.UTC(2026, 11, 1, 9);

async function booting(n: number): Promise<BatchState> {
  const state = await launched(n);
  return {
    ...state,
    seats: state.seats.map((s) => ({ ...s, launchedAt: T0, settingsDigest: `d${s.seatId}` })),
  };
}

function actions(instances: InstanceSummary[], overrides: Partial<SeatActions> = {}) {
  return {
    instances: vi.fn(async () => instances),
    associate: vi.fn(async () => new Set<string>()),
    terminate: vi.fn(async () => {}),
    relaunch: vi.fn(async (b: BatchState) => b),
    email: vi.fn(
      async (refs: { seat: { seatId: string } }[]) =>
        new Map(refs.map((r) => [r.seat.seatId, undefined])),
    ),
    now: () => T0 + 60_000,
    ...overrides,
  } satisfies SeatActions;
}

const ready = (id: string, digest: string): InstanceSummary => ({
  ...instance(id),
  tags: { [SEAT_REPORT_TAG]: `ready ${digest}` },
});

describe('advanceSeating', () => {
  it('lists the class once, emails each ready student at once and polls again soon', async () => {
    const batches = [await booting(2)];
    const acts = actions([ready('i-1', 'dseat-001'), instance('i-2')]);

    const { batches: next, seating } = await advanceSeating(batches, acts);

    expect(acts.instances).toHaveBeenCalledTimes(1);
    const emailed = (acts.email as ReturnType<typeof vi.fn>).mock.calls[0]?.[0] as {
      seat: { seatId: string };
    }[];
    expect(emailed.map((r) => r.seat.seatId)).toEqual(['seat-001']);
    expect(next[0]?.seats.map((s) => [s.phase, s.emailed])).toEqual([
      ['ready', true],
      ['booting', undefined],
    ]);
    expect(seating).toMatchObject({ settled: false, ready: 1, waitSeconds: SEAT_POLL_SECONDS });
  });

  it('polls a class whose only booting seats are its stragglers less often', async () => {
    const batches = [await booting(2)];
    const at = (seconds: number) => () => T0 + seconds * 1000;
    const poll = (seconds: number) =>
      advanceSeating(batches, actions([instance('i-1'), instance('i-2')], { now: at(seconds) }));

    const busy = await poll(BUSY_POLL_WINDOW_SECONDS);
    const late = await poll(BUSY_POLL_WINDOW_SECONDS + 1);

    expect(busy.seating.waitSeconds).toBe(SEAT_POLL_SECONDS);
    expect(late.seating.waitSeconds).toBe(STRAGGLER_POLL_SECONDS);
  });

  it('keeps a student the pacer did not reach for the next poll, which comes at once', async () => {
    const batches = [await booting(2)];
    const acts = actions([ready('i-1', 'dseat-001'), ready('i-2', 'dseat-002')], {
      email: vi.fn(async () => new Map([['seat-001', undefined]])),
    });

    const { seating } = await advanceSeating(batches, acts);

    expect(seating).toMatchObject({ waitingForEmail: 1, waitSeconds: EMAIL_POLL_SECONDS });
  });

  it('notes an email SES refused on its seat and settles the class with it', async () => {
    const batches = [await booting(1)];
    const acts = actions([ready('i-1', 'dseat-001')], {
      email: vi.fn(async () => new Map([['seat-001', 'email not delivered: MessageRejected']])),
    });

    const { batches: next, seating } = await advanceSeating(batches, acts);

    expect(next[0]?.seats[0]?.emailProblem).toBe('email not delivered: MessageRejected');
    expect(seating.settled).toBe(true);
  });

  it('terminates a seat whose configuration failed and launches its replacement', async () => {
    const batches = [await booting(1)];
    const failed = { ...instance('i-1'), tags: { [SEAT_REPORT_TAG]: 'failed exit 1' } };
    const acts = actions([failed]);

    const { batches: next } = await advanceSeating(batches, acts);

    expect(acts.terminate).toHaveBeenCalledWith(['i-1']);
    expect(acts.relaunch).toHaveBeenCalledTimes(1);
    expect(next[0]?.seats[0]).toMatchObject({ phase: 'launching', attempt: 1 });
  });
});
