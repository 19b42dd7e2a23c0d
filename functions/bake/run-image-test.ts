import { randomBytes } from 'node:crypto';
import middy from '@middy/core';
import * as z from 'zod';
import { sendScript } from '../../layers/aws/ssm';
import { BakeSchema } from '../../layers/core/bake';
import { IMAGE_TEST_TIMEOUT_SECONDS } from '../../layers/core/bake-poll';
import {
  generateCredential,
  hashPassword,
  SALT_BYTES,
  tokenDigest,
} from '../../layers/core/classroom/credentials';
import { compileImageTest } from '../../layers/core/image-test/image-test';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ bake: BakeSchema, instanceId: z.string().min(1) });

/**
 * Sends the image test with a throwaway credential made here and used nowhere else: the test
 * instance is terminated when the test ends, whatever its outcome.
 */
export const handler = middy()
  .use(logged('runImageTest'))
  .use(taskInput(Input))
  .handler(async ({ bake, instanceId }: z.infer<typeof Input>) => {
    const credential = generateCredential(randomBytes);
    const seat = {
      port: bake.recipe.jupyter.port,
      passwordHash: await hashPassword(credential.password, randomBytes(SALT_BYTES)),
      tokenDigest: tokenDigest(credential.token),
    };
    const commandId = await sendScript(bake.region, {
      instanceIds: [instanceId],
      script: compileImageTest(bake.recipe, seat, credential.token),
      timeoutSeconds: IMAGE_TEST_TIMEOUT_SECONDS,
      comment: `bakehouse image test ${bake.bakeId}`,
    });
    return { commandId, checks: 0 };
  });
