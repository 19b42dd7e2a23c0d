// A batch's roster lines, with the URL of each ready seat.
import type { ClassPlan } from '../plan/class-plan';
import type { RosterRecord } from '../roster';
import type { BatchState } from './lifecycle';
import { seatUrl } from './seat-url';

/** The roster lines of a batch (no credentials: the roster schema has no field for them). */
export function batchRoster(
  batch: BatchState,
  { port, tls }: Pick<ClassPlan, 'port' | 'tls'>,
): RosterRecord[] {
  return batch.seats.map((seat) => {
    const state =
      seat.phase === 'ready' ? 'ready' : seat.phase === 'unplaced' ? 'unplaced' : 'failed';
    return {
      seatId: seat.seatId,
      studentName: seat.student?.name ?? null,
      email: seat.student?.email ?? null,
      url: state === 'ready' && seat.publicIp ? seatUrl(seat.publicIp, port, tls.mode) : null,
      state,
      ...(state === 'ready' ? {} : { reason: (seat.reason ?? `seat ${seat.phase}`).slice(0, 500) }),
    };
  });
}
