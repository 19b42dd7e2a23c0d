import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as yaml from 'js-yaml';
import { startExecution } from '../../layers/aws/sfn';
import { parseOrThrow } from '../../layers/base/validate';
import { BakeQuerySchema } from '../../layers/core/api/schemas';
import { parseRecipe } from '../../layers/core/recipe/schema';
import { config } from '../../layers/runtime/config';
import { httpApi } from '../../layers/runtime/middleware';

const parseBody = (text: string, contentType: string) =>
  contentType.includes('yaml') ? yaml.load(text) : JSON.parse(text);

/** POST /bakes — a recipe as JSON or YAML; 400 names every bad field, 202 starts the bake. */
export const handler = middy()
  .use(httpApi(parseRecipe, parseBody))
  .handler(async (event: APIGatewayProxyEventV2) => {
    const { force } = parseOrThrow(BakeQuerySchema, event.queryStringParameters ?? {}, 'query');
    const { BAKE_STATE_MACHINE_ARN } = config();
    const input = force ? { recipe: event.body, force } : { recipe: event.body };
    return startExecution(BAKE_STATE_MACHINE_ARN, input, 'bake');
  });
