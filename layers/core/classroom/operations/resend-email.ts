// POST /classrooms/{id}/seats/{seat}/resend: one student's email, with their link, once more.
import { ConflictError } from '../../../base/errors';
import type { ClassRecord, SeatRecord } from '../record/class-record';
import { refuseDuringOperation, refuseUnless, seatOf } from './guard';
import type { SeatActionBody } from './replace-seat';
import { type Decision, pendingOn, recorded, repeatedByKey } from './seat-operation';

/** Why a seat's email cannot be sent now, or null when it can. */
export function unsendable(record: ClassRecord, seat: SeatRecord): string | null {
  if (!seat.student)
    return `${seat.seatId} is anonymous: it has no student to email (its credentials are in Parameter Store)`;
  if (!['ready', 'stopped'].includes(seat.state) || !seat.url)
    return `${seat.seatId} is ${seat.state}: it has no working link to send; replace it`;
  if (record.state === 'stopped' && record.plan.tls.mode === 'none')
    return `${seat.seatId}'s address changes when the next session starts: its student is emailed the new link then`;
  return null;
}

/**
 * The student's email (link, password and token as stored) is sent again by the change's
 * execution, through the same email step as at seating. A resend already pending for the seat,
 * or repeated with its key, is the same request.
 */
export function resendEmail(
  record: ClassRecord,
  seats: SeatRecord[],
  seatId: string,
  body: SeatActionBody,
  at: Date,
): Decision {
  refuseUnless(record, ['ready', 'stopped'], "a student's email can be sent again", {
    scheduled: 'no seat is launched yet: every student is emailed once seated',
    seating: 'its seats are being launched or started: every student whose link changes is emailed',
  });
  refuseDuringOperation(record, at, 'resend the email');
  const seat = seatOf(record, seats, seatId);
  const same = (c: { seats: { seatId: string }[] }) => c.seats.some((s) => s.seatId === seatId);
  const repeat =
    repeatedByKey(record, body.key, 'resend', same) ?? pendingOn(record, 'resend', seatId);
  if (repeat) return { record: null, change: repeat };
  const replacing = pendingOn(record, 'replace', seatId);
  if (replacing)
    throw new ConflictError(
      `${seatId} is being replaced (${replacing.id}): its student is emailed the new link once it answers`,
    );
  const reason = unsendable(record, seat);
  if (reason) throw new ConflictError(reason);
  return recorded(
    record,
    {
      kind: 'resend',
      seats: [{ seatId, student: seat.student }],
      key: body.key ?? null,
      state: 'pending',
    },
    at,
  );
}
