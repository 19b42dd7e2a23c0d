// A batch's roster lines and the URL of a ready seat.
import type { RosterRecord } from '../roster';
import type { BatchState } from './lifecycle';

/** The roster lines of a batch (no credentials: the roster schema has no field for them). */
export function batchRoster(batch: BatchState, port: number): RosterRecord[] {
  return batch.seats.map((seat) => {
    const state =
      seat.phase === 'ready' ? 'ready' : seat.phase === 'unplaced' ? 'unplaced' : 'failed';
    return {
      seatId: seat.seatId,
      studentName: seat.student?.name ?? null,
      email: seat.student?.email ?? null,
      url: state === 'ready' && seat.publicIp ? seatUrl(seat.publicIp, port) : null,
      state,
      ...(state === 'ready' ? {} : { reason: (seat.reason ?? `seat ${seat.phase}`).slice(0, 500) }),
    };
  });
}

export const seatUrl = (ip: string, port: number) => `http://${ip}:${port}/`;
