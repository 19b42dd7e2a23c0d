import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { classSeats, getClass, saveClass } from '../../layers/aws/dynamodb';
import { startExecutionOnce } from '../../layers/aws/sfn';
import { parseOrThrow } from '../../layers/base/validate';
import { classStatus } from '../../layers/core/api/class-status';
import { SeatParamsSchema } from '../../layers/core/api/schemas';
import {
  replaceSeat,
  SeatActionBodySchema,
} from '../../layers/core/classroom/operations/replace-seat';
import {
  runSeatOperation,
  withPendingSeats,
} from '../../layers/core/classroom/operations/seat-operation';
import { now } from '../../layers/runtime/clock';
import { classStore, config } from '../../layers/runtime/config';
import { httpApi, Reply } from '../../layers/runtime/middleware';

const validate = (body: unknown) => parseOrThrow(SeatActionBodySchema, body, 'request');

/**
 * POST /classrooms/{id}/seats/{seat}/replace — a ready class's seat gets a new instance and a new
 * credential, its old instance is terminated and its student emailed the new link (202). A
 * replacement already under way is the same request. Answers the class.
 */
export const handler = middy()
  .use(httpApi(validate, undefined, { emptyBody: {} }))
  .handler(async (event: APIGatewayProxyEventV2) => {
    const { id, seat } = parseOrThrow(SeatParamsSchema, event.pathParameters ?? {}, 'path');
    const body = validate(event.body);
    const store = classStore();
    const machine = config().CLASSROOM_STATE_MACHINE_ARN;
    const outcome = await runSeatOperation(
      {
        getClass: (classId) => getClass(store, classId),
        classSeats: (classId) => classSeats(store, classId),
        saveClass: (record) => saveClass(store, record),
        startExecution: (name, input) => startExecutionOnce(machine, name, input),
      },
      id,
      (record, seats) => replaceSeat(record, seats, seat, body, now()),
    );
    const status = classStatus(
      outcome.record,
      withPendingSeats(outcome.record, outcome.seats),
      now(),
    );
    return new Reply(outcome.accepted ? 202 : 200, status);
  });
