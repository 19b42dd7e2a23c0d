import middy from '@middy/core';
import * as z from 'zod';
import { sendScript } from '../../layers/aws/ssm';
import { BakeSchema } from '../../layers/core/bake';
import { compileRecipe } from '../../layers/core/recipe/compile';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ bake: BakeSchema, instanceId: z.string() });

/** Sends the compiled recipe to the builder through SSM Run Command (no SSH, no open port). */
export const handler = middy()
  .use(logged('runBuildScript'))
  .use(taskInput(Input))
  .handler(async ({ bake, instanceId }: z.infer<typeof Input>) => {
    const { script } = compileRecipe(bake.recipe);
    const commandId = await sendScript(bake.region, {
      instanceIds: [instanceId],
      script,
      timeoutSeconds: bake.recipe.builder.timeoutMinutes * 60,
      comment: `bakehouse bake ${bake.bakeId}`,
    });
    return { commandId, checks: 0 };
  });
