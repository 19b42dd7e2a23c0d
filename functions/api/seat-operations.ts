/**
 * The composition every seat operation shares (add seats, replace a seat, resend an email): read
 * the class and its seats, let the core decide, write the change it records at the version read,
 * then start the classroom machine's execution named for that change — so a retry starts nothing
 * twice. Answers the class status: 202 while the change is pending, 200 when there was nothing
 * to do (a repeat of a finished change) or it is done already (a scheduled class's booking).
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod';
import { classSeats, getClass, saveClass } from '../../layers/aws/dynamodb';
import { elasticIpRoom } from '../../layers/aws/quotas';
import { startExecutionOnce } from '../../layers/aws/sfn';
import { parseOrThrow } from '../../layers/base/validate';
import { classStatus } from '../../layers/core/api/class-status';
import { ClassIdParamsSchema, SeatParamsSchema } from '../../layers/core/api/schemas';
import {
  AddSeatsBodySchema,
  addSeats as decideAdd,
} from '../../layers/core/classroom/operations/add-seats';
import {
  replaceSeat as decideReplace,
  SeatActionBodySchema,
} from '../../layers/core/classroom/operations/replace-seat';
import { resendEmail as decideResend } from '../../layers/core/classroom/operations/resend-email';
import {
  type Decision,
  runSeatOperation,
  withPendingSeats,
} from '../../layers/core/classroom/operations/seat-operation';
import type { AddressRoom } from '../../layers/core/classroom/plan/address-quota';
import {
  type ClassRecord,
  parseClassRecord,
  type SeatRecord,
} from '../../layers/core/classroom/record/class-record';
import { TAG } from '../../layers/core/tags';
import { now } from '../../layers/runtime/clock';
import { classStore, config } from '../../layers/runtime/config';
import { httpApi, Reply } from '../../layers/runtime/middleware';

type Decide<B> = (
  record: ClassRecord,
  seats: SeatRecord[],
  body: B,
  seat: string,
  room: AddressRoom | undefined,
) => Decision;

type Store = ReturnType<typeof classStore>;

/** The account's room for Elastic IPs, for a ready class whose seats each hold one. */
async function addressRoom(store: Store, classId: string): Promise<AddressRoom | undefined> {
  const { state, plan } = parseClassRecord(await getClass(store, classId));
  if (state !== 'ready' || plan.elasticIps === 0) return undefined;
  return elasticIpRoom(plan.region, { [TAG.classroom]: classId });
}

function seatOperation<S extends z.ZodType>(
  body: S,
  what: string,
  decide: Decide<z.infer<S>>,
  { perSeat, addresses = false }: { perSeat: boolean; addresses?: boolean },
) {
  const validate = (value: unknown) => parseOrThrow(body, value, what);
  return middy()
    .use(httpApi(validate, undefined, perSeat ? { emptyBody: {} } : {}))
    .handler(async (event: APIGatewayProxyEventV2) => {
      const params = event.pathParameters ?? {};
      const { id, seat } = perSeat
        ? parseOrThrow(SeatParamsSchema, params, 'path')
        : { ...parseOrThrow(ClassIdParamsSchema, params, 'path'), seat: '' };
      const parsed = validate(event.body);
      const store = classStore();
      const machine = config().CLASSROOM_STATE_MACHINE_ARN;
      const room = addresses ? await addressRoom(store, id) : undefined;
      const outcome = await runSeatOperation(
        {
          getClass: (classId) => getClass(store, classId),
          classSeats: (classId) => classSeats(store, classId),
          saveClass: (record) => saveClass(store, record),
          startExecution: (name, input) => startExecutionOnce(machine, name, input),
        },
        id,
        (record, seats) => decide(record, seats, parsed, seat, room),
      );
      const seats = withPendingSeats(outcome.record, outcome.seats);
      return new Reply(outcome.accepted ? 202 : 200, classStatus(outcome.record, seats, now()));
    });
}

/**
 * POST /classrooms/{id}/seats — seats or late students: a scheduled class's booking grows (200),
 * a ready class gets them launched and each student emailed once seated (202), or a 409 when the
 * account has no room for their Elastic IPs.
 */
export const addSeats = seatOperation(
  AddSeatsBodySchema,
  'seats to add',
  (record, seats, body, _seat, room) => decideAdd(record, seats, body, now(), room),
  { perSeat: false, addresses: true },
);

/**
 * POST /classrooms/{id}/seats/{seat}/replace — a ready class's seat gets a new instance and a new
 * credential, its old instance is terminated and its student emailed the new link (202). A
 * replacement already under way is the same request.
 */
export const replaceSeat = seatOperation(
  SeatActionBodySchema,
  'request',
  (record, seats, body, seat) => decideReplace(record, seats, seat, body, now()),
  { perSeat: true },
);

/**
 * POST /classrooms/{id}/seats/{seat}/resend — the seat's student is emailed their link and
 * credentials again (202); a resend already pending is the same request.
 */
export const resendEmail = seatOperation(
  SeatActionBodySchema,
  'request',
  (record, seats, body, seat) => decideResend(record, seats, seat, body, now()),
  { perSeat: true },
);
