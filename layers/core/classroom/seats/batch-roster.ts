// A batch's roster lines, with the URL of each ready seat.
import type { ClassPlan } from '../plan/class-plan';
import type { RosterRecord } from '../roster';
import type { BatchState } from './lifecycle';
import { seatLink } from './seat-url';

/** The roster lines of a batch (no credentials: the roster schema has no field for them). */
export function batchRoster(
  batch: BatchState,
  plan: Pick<ClassPlan, 'port' | 'tls' | 'dns'>,
): RosterRecord[] {
  return batch.seats.map((seat) => {
    const state =
      seat.phase === 'ready' ? 'ready' : seat.phase === 'unplaced' ? 'unplaced' : 'failed';
    return {
      seatId: seat.seatId,
      studentName: seat.student?.name ?? null,
      email: seat.student?.email ?? null,
      url: state === 'ready' && seat.publicIp ? seatLink(plan, seat.seatId, seat.publicIp) : null,
      state,
      ...(state === 'ready' ? {} : { reason: (seat.reason ?? `seat ${seat.phase}`).slice(0, 500) }),
    };
  });
}
