// Seat items of the class store: from a settled batch, and as they stop, start and go.
import type { ClassPlan } from '../plan/class-plan';
import type { BatchState } from '../seats/lifecycle';
import { seatLink } from '../seats/seat-url';
import type { SeatRecord, SeatRecordState } from './class-record';

/** A settled batch's seats as the store keeps them (instance, student, link; no credential). */
export function seatRecordsOf(
  batch: BatchState,
  plan: Pick<ClassPlan, 'port' | 'tls' | 'dns'>,
): SeatRecord[] {
  return batch.seats.map((seat) => {
    const state: SeatRecordState =
      seat.phase === 'ready' ? 'ready' : seat.phase === 'unplaced' ? 'unplaced' : 'failed';
    const url =
      state === 'ready' && seat.publicIp ? seatLink(plan, seat.seatId, seat.publicIp) : null;
    return {
      seatId: seat.seatId,
      batchId: batch.batchId,
      student: seat.student,
      instanceId: state === 'ready' ? (seat.instanceId ?? null) : null,
      state,
      url,
      emailedUrl: seat.student ? url : null,
      ...(state === 'ready'
        ? seat.emailProblem
          ? { reason: seat.emailProblem.slice(0, 500) }
          : {}
        : { reason: (seat.reason ?? `seat ${seat.phase}`).slice(0, 500) }),
    };
  });
}

/** Seats that hold an instance which is not gone: those a stop, start or retirement acts on. */
export const seatsWithInstances = (seats: SeatRecord[]) =>
  seats.filter(
    (s): s is SeatRecord & { instanceId: string } =>
      s.instanceId !== null && s.state !== 'terminated',
  );

/** Seats after a stop: stopped, or failed with EC2's reason (their instance may still run). */
export function afterStop(
  seats: SeatRecord[],
  failures: ReadonlyMap<string, string>,
): SeatRecord[] {
  return seatsWithInstances(seats).map((seat) => {
    const reason = failures.get(seat.instanceId);
    return reason
      ? { ...seat, state: 'failed', reason: `could not be stopped: ${reason}`.slice(0, 500) }
      : { ...seat, state: 'stopped' };
  });
}
