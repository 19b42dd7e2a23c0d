// POST /classrooms/{id}/seats/{seat}/replace: a new instance and credential for one seat.
import * as z from 'zod';
import { ConflictError } from '../../../base/errors';
import type { ClassRecord, SeatRecord } from '../record/class-record';
import { ChangeKeySchema } from '../record/seat-changes';
import { refuseDuringOperation, refuseUnless, seatOf } from './guard';
import { type Decision, pendingOn, recorded, repeatedByKey } from './seat-operation';

/** The body of replace and resend: optional, an idempotency key at most. */
export const SeatActionBodySchema = z.strictObject({
  /** Names this request: repeated with the same key, it does nothing more. */
  key: ChangeKeySchema.optional(),
});
export type SeatActionBody = z.infer<typeof SeatActionBodySchema>;

/**
 * Only a ready class's seats are replaced (a stopped class's seats are not running, and a class
 * being seated is still settling its own). The change's execution terminates the seat's instance,
 * launches a new one through the seating machinery with a new credential, and emails its student
 * the new link. A replacement already under way for the seat is the same request.
 */
export function replaceSeat(
  record: ClassRecord,
  seats: SeatRecord[],
  seatId: string,
  body: SeatActionBody,
  at: Date,
): Decision {
  refuseUnless(record, ['ready'], 'a seat can be replaced', {
    scheduled: 'no seat is launched yet',
    seating: 'its seats are being launched or started: replace one once it is ready',
    stopped:
      'its seats are stopped between sessions: replace one once the next session has started',
  });
  refuseDuringOperation(record, at, 'replace the seat');
  const adding = pendingOn(record, 'add', seatId);
  if (adding)
    throw new ConflictError(`${seatId} is still being added (${adding.id}): replace it once it is`);
  const seat = seatOf(record, seats, seatId);
  const same = (c: { seats: { seatId: string }[] }) => c.seats.some((s) => s.seatId === seatId);
  const repeat =
    repeatedByKey(record, body.key, 'replace', same) ?? pendingOn(record, 'replace', seatId);
  if (repeat) return { record: null, change: repeat };
  if (seat.state === 'terminated' || seat.state === 'pending')
    throw new ConflictError(
      `${seatId} is ${seat.state}: ${seat.state === 'terminated' ? 'it is gone with its class' : 'it is being started'}`,
    );
  return recorded(
    record,
    {
      kind: 'replace',
      seats: [{ seatId, student: seat.student }],
      key: body.key ?? null,
      state: 'pending',
    },
    at,
  );
}
