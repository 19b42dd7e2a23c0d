import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { classSeats, getClass } from '../../layers/aws/dynamodb';
import { executionDetail } from '../../layers/aws/sfn';
import { ConfigError, NotFoundError } from '../../layers/base/errors';
import { parseOrThrow } from '../../layers/base/validate';
import { classStatus, unplannedClassStatus } from '../../layers/core/api/class-status';
import { IdParamsSchema } from '../../layers/core/api/schemas';
import {
  parseClassRecord,
  parseSeatRecords,
} from '../../layers/core/classroom/record/class-record';
import { now } from '../../layers/runtime/clock';
import { classStore, config } from '../../layers/runtime/config';
import { httpApi, Reply } from '../../layers/runtime/middleware';

/**
 * GET /classrooms/{id} — the class's status from its record and seats. A class its execution
 * never stored (it failed before it was planned, or is about to be) is told from the execution;
 * 404 when neither exists.
 */
export const handler = middy()
  .use(httpApi(null))
  .handler(async (event: APIGatewayProxyEventV2) => {
    const { id } = parseOrThrow(IdParamsSchema, event.pathParameters ?? {}, 'path');
    const store = classStore();
    const stored = await getClass(store, id).catch((error: Error) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    if (stored) {
      const seats = parseSeatRecords(await classSeats(store, id));
      return new Reply(200, classStatus(parseClassRecord(stored), seats, now()));
    }
    const machine = config().CLASSROOM_STATE_MACHINE_ARN;
    if (!machine) throw new ConfigError('no classroom state machine configured');
    const execution = await executionDetail(machine, id);
    if (!execution) throw new NotFoundError(`no class ${id}`);
    return new Reply(200, unplannedClassStatus(id, execution));
  });
