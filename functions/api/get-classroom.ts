import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { classSeats, getClass } from '../../layers/aws/dynamodb';
import { parseOrThrow } from '../../layers/base/validate';
import { classStatus } from '../../layers/core/api/class-status';
import { IdParamsSchema } from '../../layers/core/api/schemas';
import {
  parseClassRecord,
  parseSeatRecords,
} from '../../layers/core/classroom/record/class-record';
import { now } from '../../layers/runtime/clock';
import { classStore } from '../../layers/runtime/config';
import { httpApi, Reply } from '../../layers/runtime/middleware';

/** GET /classrooms/{id} — the class's status from its record and seats; 404 for a class not stored. */
export const handler = middy()
  .use(httpApi(null))
  .handler(async (event: APIGatewayProxyEventV2) => {
    const { id } = parseOrThrow(IdParamsSchema, event.pathParameters ?? {}, 'path');
    const store = classStore();
    const record = parseClassRecord(await getClass(store, id));
    const seats = parseSeatRecords(await classSeats(store, id));
    return new Reply(200, classStatus(record, seats, now()));
  });
