import middy from '@middy/core';
import { z } from 'zod';
import { sendScriptOnce } from '../../layers/aws/ssm';
import { BakeSchema } from '../../layers/core/bake';
import { compileRecipe } from '../../layers/core/recipe/compile';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ bake: BakeSchema, instanceId: z.string() });

/**
 * Sends the compiled recipe to the builder through SSM Run Command (no SSH, no open port), once:
 * a retry finds the command by its comment, which names the bake.
 */
export const handler = middy()
  .use(logged('runBuildScript'))
  .use(taskInput(Input))
  .handler(async ({ bake, instanceId }: z.infer<typeof Input>) => {
    const { script } = compileRecipe(bake.recipe);
    const commandId = await sendScriptOnce(bake.region, {
      instanceId,
      script,
      timeoutSeconds: bake.recipe.builder.timeoutMinutes * 60,
      comment: `bakehouse bake ${bake.bakeId}`,
    });
    return { commandId, checks: 0 };
  });
