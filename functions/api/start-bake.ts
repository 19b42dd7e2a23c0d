import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { startExecution } from '../../layers/aws/sfn';
import { parseOrThrow } from '../../layers/base/validate';
import { BakeQuerySchema } from '../../layers/core/api/schemas';
import { parseRecipe } from '../../layers/core/recipe/schema';
import { loadRecipeYaml } from '../../layers/core/recipe/yaml';
import { config, stackRegion } from '../../layers/runtime/config';
import { httpApi, JSON_BODY } from '../../layers/runtime/middleware';

const RECIPE_BODY = {
  ...JSON_BODY,
  'application/yaml': loadRecipeYaml,
  'application/x-yaml': loadRecipeYaml,
  'text/yaml': loadRecipeYaml,
  'text/x-yaml': loadRecipeYaml,
};

/**
 * POST /bakes — a recipe as JSON or YAML; 400 names every bad field, 202 starts the bake.
 * `?force=true` bakes anew even when a tested image of the same recipe exists.
 */
export const handler = middy()
  .use(httpApi((body) => parseRecipe(body, { region: stackRegion() }), RECIPE_BODY))
  .handler(async (event: APIGatewayProxyEventV2) => {
    const { force } = parseOrThrow(BakeQuerySchema, event.queryStringParameters ?? {}, 'query');
    const { BAKE_STATE_MACHINE_ARN } = config();
    const input = force ? { recipe: event.body, force } : { recipe: event.body };
    const { name } = await startExecution(BAKE_STATE_MACHINE_ARN, input, 'bake');
    return { id: name };
  });
