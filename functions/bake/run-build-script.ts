import middy from '@middy/core';
import * as z from 'zod';
import { putScriptObject } from '../../layers/aws/s3';
import { sendScriptOnce } from '../../layers/aws/ssm';
import { BakeSchema } from '../../layers/core/bake';
import { compileRecipe } from '../../layers/core/recipe/compile';
import { sha256 } from '../../layers/core/recipe/script';
import {
  fetchScriptCommand,
  instanceArn,
  scriptObjectKey,
} from '../../layers/core/script-object/script-object';
import { config } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ bake: BakeSchema, instanceId: z.string() });

/**
 * Sends the compiled recipe to the builder through SSM Run Command (no SSH, no open port), once:
 * a retry finds the command by its comment, which names the bake. A script too large for one
 * command is written to the script bucket first, and the command only fetches it by key and checks
 * its SHA-256; the same key every time, so a retry rewrites it.
 */
export const handler = middy()
  .use(logged('runBuildScript'))
  .use(taskInput(Input))
  .handler(async ({ bake, instanceId }: z.infer<typeof Input>) => {
    const { SCRIPT_BUCKET, ACCOUNT_ID } = config();
    const { script, travel } = compileRecipe(bake.recipe);
    const object = {
      region: config().AWS_REGION,
      bucket: SCRIPT_BUCKET,
      key: scriptObjectKey(bake.bakeId, instanceArn(bake.region, ACCOUNT_ID, instanceId)),
      sha256: sha256(script),
    };
    if (travel === 'object') await putScriptObject(object.region, { ...object, body: script });
    const commandId = await sendScriptOnce(bake.region, {
      instanceId,
      script: travel === 'object' ? fetchScriptCommand(object) : script,
      timeoutSeconds: bake.recipe.builder.timeoutMinutes * 60,
      comment: `bakehouse bake ${bake.bakeId}`,
    });
    return { commandId, checks: 0, travel };
  });
