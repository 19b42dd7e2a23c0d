// The guard every operation on a class passes first: a state that does not allow it is a 409
// with the reason, an unknown seat a 404.
import { ConflictError, NotFoundError } from '../../../base/errors';
import type { ClassRecord, ClassState, SeatRecord } from '../record/class-record';
import { operationUnderWay, utcMinute } from './operation';

const listed = (states: readonly string[]) =>
  states.length === 1 ? states[0] : `${states.slice(0, -1).join(', ')} or ${states.at(-1)}`;

/** A ConflictError (409) unless the class is in one of `allowed`; `hints` say why per state. */
export function refuseUnless(
  record: ClassRecord,
  allowed: readonly ClassState[],
  what: string,
  hints: Partial<Record<ClassState, string>> = {},
): void {
  if (allowed.includes(record.state)) return;
  const hint = hints[record.state];
  throw new ConflictError(
    `class ${record.classId} is ${record.state}: ${what} only while it is ${listed(allowed)}${hint ? `; ${hint}` : ''}`,
  );
}

/** The seat item `seatId` of the class, or NotFoundError (404). */
export function seatOf(record: ClassRecord, seats: SeatRecord[], seatId: string): SeatRecord {
  const seat = seats.find((s) => s.seatId === seatId);
  if (!seat) throw new NotFoundError(`class ${record.classId} has no seat ${seatId}`);
  return seat;
}

/** A ConflictError (409) while a stop, start, extend or delete of the class is under way. */
export function refuseDuringOperation(record: ClassRecord, at: Date, what: string): void {
  const underWay = operationUnderWay(record, at);
  if (underWay)
    throw new ConflictError(
      `class ${record.classId}: a ${underWay.name} is under way (asked at ${utcMinute(underWay.at)} UTC); ${what} once it is done`,
    );
}
