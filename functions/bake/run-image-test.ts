import middy from '@middy/core';
import * as z from 'zod';
import { sendScriptOnce } from '../../layers/aws/ssm';
import { BakeSchema } from '../../layers/core/bake';
import { IMAGE_TEST_TIMEOUT_SECONDS } from '../../layers/core/bake-poll';
import { compileImageTest } from '../../layers/core/image-test/image-test';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ bake: BakeSchema, instanceId: z.string().min(1) });

/**
 * Sends the image test, once: a retry finds the command by its comment, which names the bake. Its
 * throwaway credential is made on the test instance and stays there (the instance is terminated
 * when the test ends, whatever its outcome): the command carries none.
 */
export const handler = middy()
  .use(logged('runImageTest'))
  .use(taskInput(Input))
  .handler(async ({ bake, instanceId }: z.infer<typeof Input>) => {
    const commandId = await sendScriptOnce(bake.region, {
      instanceId,
      script: compileImageTest(bake.recipe, bake.recipe.jupyter.port),
      timeoutSeconds: IMAGE_TEST_TIMEOUT_SECONDS,
      comment: `bakehouse image test ${bake.bakeId}`,
    });
    return { commandId, checks: 0 };
  });
