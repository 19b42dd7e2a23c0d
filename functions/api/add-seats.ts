import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { classSeats, getClass, saveClass } from '../../layers/aws/dynamodb';
import { startExecutionOnce } from '../../layers/aws/sfn';
import { parseOrThrow } from '../../layers/base/validate';
import { classStatus } from '../../layers/core/api/class-status';
import { ClassIdParamsSchema } from '../../layers/core/api/schemas';
import { AddSeatsBodySchema, addSeats } from '../../layers/core/classroom/operations/add-seats';
import {
  runSeatOperation,
  withPendingSeats,
} from '../../layers/core/classroom/operations/seat-operation';
import { now } from '../../layers/runtime/clock';
import { classStore, config } from '../../layers/runtime/config';
import { httpApi, Reply } from '../../layers/runtime/middleware';

const validate = (body: unknown) => parseOrThrow(AddSeatsBodySchema, body, 'seats to add');

/**
 * POST /classrooms/{id}/seats — seats or late students: a scheduled class's booking grows (200),
 * a ready class gets them launched and each student emailed once seated (202). Answers the class.
 */
export const handler = middy()
  .use(httpApi(validate))
  .handler(async (event: APIGatewayProxyEventV2) => {
    const { id } = parseOrThrow(ClassIdParamsSchema, event.pathParameters ?? {}, 'path');
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
      (record, seats) => addSeats(record, seats, body, now()),
    );
    const status = classStatus(
      outcome.record,
      withPendingSeats(outcome.record, outcome.seats),
      now(),
    );
    return new Reply(outcome.accepted ? 202 : 200, status);
  });
