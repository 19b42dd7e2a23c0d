import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { getBake } from '../../layers/aws/dynamodb';
import { executionDetail } from '../../layers/aws/sfn';
import { ConfigError, NotFoundError } from '../../layers/base/errors';
import { parseOrThrow } from '../../layers/base/validate';
import { bakeStatus } from '../../layers/core/api/bake-status';
import { IdParamsSchema } from '../../layers/core/api/schemas';
import { parseBakeRecord } from '../../layers/core/bake-record';
import { classStore, config } from '../../layers/runtime/config';
import { httpApi, Reply } from '../../layers/runtime/middleware';

/**
 * GET /bakes/{id} — the bake's state, stage and progress, its image, why it failed and the tail
 * of its script's output: from its record in the class store (once it has ended) and its
 * execution. 404 when neither exists.
 */
export const handler = middy()
  .use(httpApi(null))
  .handler(async (event: APIGatewayProxyEventV2) => {
    const { id } = parseOrThrow(IdParamsSchema, event.pathParameters ?? {}, 'path');
    const machine = config().BAKE_STATE_MACHINE_ARN;
    if (!machine) throw new ConfigError('no bake state machine configured');
    const [record, execution] = await Promise.all([
      getBake(classStore(), id).then(parseBakeRecord, (error: Error) => {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }),
      executionDetail(machine, id),
    ]);
    const status = bakeStatus(id, record, execution);
    if (!status) throw new NotFoundError(`no bake ${id}`);
    return new Reply(200, status);
  });
