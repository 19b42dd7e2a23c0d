// POST /classrooms/{id}/seats: more seats, or late students, for a class booked or running.
import * as z from 'zod';
import { ConflictError, ValidationError } from '../../../base/errors';
import { checkBudget } from '../../cost/budget';
import { type AddressRoom, checkAddressRoom } from '../plan/address-quota';
import { MAX_BATCH } from '../plan/batches';
import { classEstimate } from '../plan/class-estimate';
import type { ClassRecord, SeatRecord } from '../record/class-record';
import { ChangeKeySchema, changesOf, type SeatChange } from '../record/seat-changes';
import { MAX_SEATS, parseClassroomRequest } from '../request/classroom-request';
import { type Student, StudentSchema } from '../request/contacts';
import { refuseDuringOperation, refuseUnless } from './guard';
import { type Decision, recorded, repeatedByKey } from './seat-operation';

export const AddSeatsBodySchema = z
  .strictObject({
    /** Anonymous seats: their credentials stay in Parameter Store, as for `seats` in a request. */
    seats: z
      .number()
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .max(MAX_BATCH, `must be at most ${MAX_BATCH} at a time`)
      .optional(),
    /** Late students, each emailed once their seat answers. */
    students: z
      .array(StudentSchema)
      .min(1, 'must list at least one student')
      .max(MAX_BATCH, `must list at most ${MAX_BATCH} students at a time`)
      .superRefine((students, ctx) => {
        const seen = new Map<string, number>();
        students.forEach((student, index) => {
          const first = seen.get(student.email.toLowerCase());
          if (first === undefined) seen.set(student.email.toLowerCase(), index);
          else
            ctx.addIssue({
              code: 'custom',
              path: [index, 'email'],
              message: `duplicates entry [${first}]`,
            });
        });
      })
      .optional(),
    /** Names this addition: a request repeated with the same key adds nothing more. */
    key: ChangeKeySchema.optional(),
  })
  .superRefine((body, ctx) => {
    if ((body.seats === undefined) === (body.students === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [body.seats === undefined ? 'seats' : 'students'],
        message: 'give seats (a count) or students (a list), one of the two',
      });
  });
export type AddSeatsBody = z.infer<typeof AddSeatsBodySchema>;

const seatNumber = (seatId: string) => Number.parseInt(seatId.slice('seat-'.length), 10);
const emailOf = (student: Student | null) => student?.email.toLowerCase();

/** Every student the class has or is adding, and the highest seat number it uses. */
function known(record: ClassRecord, seats: SeatRecord[]) {
  const request = record.request as { students?: Student[]; seats?: number };
  const listed = [
    ...seats.filter((s) => s.state !== 'terminated').map((s) => s.student),
    ...changesOf(record)
      .filter((c) => c.kind === 'add' && c.state !== 'failed')
      .flatMap((c) => c.seats.map((s) => s.student)),
    ...(record.state === 'scheduled' ? (request.students ?? []) : []),
  ];
  const numbers = [
    ...seats.map((s) => seatNumber(s.seatId)),
    ...changesOf(record).flatMap((c) => c.seats.map((s) => seatNumber(s.seatId))),
    request.students?.length ?? request.seats ?? 0,
  ];
  return {
    emails: new Set(listed.flatMap((s) => emailOf(s) ?? [])),
    lastSeat: Math.max(0, ...numbers),
  };
}

/** Whether a change recorded under the request's key is this addition. */
const sameAddition = (body: AddSeatsBody) => (change: SeatChange) =>
  body.students
    ? change.seats.every((s) => body.students?.some((b) => emailOf(b) === emailOf(s.student)))
    : change.seats.length === body.seats && change.seats.every((s) => s.student === null);

/**
 * A ready class with TLS gets an Elastic IP for each seat it adds: every seat it has or is adding
 * keeps one, and the account must have room for those it does not hold yet (QuotaError).
 */
function checkRoomFor(
  record: ClassRecord,
  seats: SeatRecord[],
  added: { seatId: string }[],
  room: AddressRoom,
) {
  const pending = changesOf(record).filter((c) => c.kind === 'add' && c.state === 'pending');
  const after = new Set([
    ...seats.map((s) => s.seatId),
    ...pending.flatMap((c) => c.seats.map((s) => s.seatId)),
    ...added.map((s) => s.seatId),
  ]);
  // Short enough for the 200 characters an API error keeps: no other way out is named.
  const what = `adding ${added.length} seat${added.length === 1 ? '' : 's'}`;
  checkAddressRoom({ seats: after.size, region: record.plan.region, what, or: '' }, room);
}

/**
 * A scheduled class's booking grows (its request, and the estimate against its budget): the new
 * seats are seated with the others at the lead time, so the change is done at once. A ready class
 * gets a pending change whose execution launches, configures and checks the new seats through
 * the seating machinery and emails each student once their seat answers. Students the class
 * already has (by email) are not added again; a request naming only such students changes nothing.
 * A ready class with TLS is refused the seats its account has no Elastic IPs for (`room`, when
 * the caller looked).
 */
export function addSeats(
  record: ClassRecord,
  seats: SeatRecord[],
  body: AddSeatsBody,
  at: Date,
  room?: AddressRoom,
): Decision {
  refuseUnless(record, ['scheduled', 'ready'], 'seats can be added', {
    seating: 'its seats are being launched or started: add seats once it is ready',
    stopped: 'add seats once its next session has started (or before the class is first seated)',
  });
  refuseDuringOperation(record, at, 'add seats');
  const repeat = repeatedByKey(record, body.key, 'add', sameAddition(body));
  if (repeat) return { record: null, change: repeat };
  const { emails, lastSeat } = known(record, seats);
  const students: (Student | null)[] = body.students
    ? body.students.filter((s) => !emails.has(s.email.toLowerCase()))
    : Array.from({ length: body.seats ?? 0 }, () => null);
  if (!students.length) return { record: null, change: null };
  const field = body.students ? 'students' : 'seats';
  const total = seats.filter((s) => s.state !== 'terminated').length + students.length;
  if (Math.max(total, lastSeat + students.length) > MAX_SEATS)
    throw new ValidationError(
      [{ path: field, message: `would give the class more than ${MAX_SEATS} seats` }],
      'seats to add',
    );
  const added = students.map((student, i) => ({
    seatId: `seat-${String(lastSeat + i + 1).padStart(3, '0')}`,
    student,
  }));
  const change = { kind: 'add' as const, seats: added, key: body.key ?? null };
  if (record.state === 'ready') {
    if (room && record.plan.elasticIps > 0) checkRoomFor(record, seats, added, room);
    return recorded(record, { ...change, state: 'pending' }, at);
  }
  const booked = grownRequest(record, students);
  const request = parseClassroomRequest(booked, at, { region: record.plan.region });
  const estimate = classEstimate(request, record.plan);
  checkBudget(estimate, request.budgetUSD);
  const note = 'booked: seated with the class';
  const done = recorded(record, { ...change, state: 'done', note }, at);
  return { ...done, record: { ...done.record, request: booked, costs: { estimate } } };
}

/** The stored request with the new seats in it, of the kind it was booked with. */
function grownRequest(record: ClassRecord, students: (Student | null)[]): unknown {
  const request = record.request as Record<string, unknown>;
  const named = students.filter((s): s is Student => s !== null);
  if (Array.isArray(request.students) && named.length === students.length)
    return { ...request, students: [...request.students, ...named] };
  if (typeof request.seats === 'number' && named.length === 0)
    return { ...request, seats: request.seats + students.length };
  throw new ConflictError(
    `class ${record.classId} is booked with ${Array.isArray(request.students) ? 'named students' : 'anonymous seats'}: until it is seated, add ${Array.isArray(request.students) ? 'students' : 'a number of seats'}`,
  );
}
