import middy from '@middy/core';
import * as z from 'zod';
import { planBake } from '../../layers/core/bake';
import { compileRecipe } from '../../layers/core/recipe/compile';
import { parseRecipe } from '../../layers/core/recipe/schema';
import { stackRegion } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ recipe: z.unknown(), bakeId: z.string().min(1) });

/** First step: a recipe that cannot work fails here, naming every bad field, before any launch. */
export const handler = middy()
  .use(logged('validateRecipe'))
  .use(taskInput(Input))
  .handler(async ({ recipe, bakeId }: z.infer<typeof Input>) => {
    const parsed = parseRecipe(recipe, { region: stackRegion() });
    return planBake(parsed, compileRecipe(parsed).recipeHash, bakeId);
  });
