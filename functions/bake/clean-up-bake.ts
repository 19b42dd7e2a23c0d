import middy from '@middy/core';
import * as z from 'zod';
import { putBake } from '../../layers/aws/dynamodb';
import { deleteImage, imagesByTag, instancesByTag, terminateInstances } from '../../layers/aws/ec2';
import { deleteScriptObject } from '../../layers/aws/s3';
import { FailureSchema, failureOutcome } from '../../layers/core/failure';
import { instanceArn, scriptObjectKey } from '../../layers/core/script-object/script-object';
import { TAG } from '../../layers/core/tags';
import { now } from '../../layers/runtime/clock';
import { classStore, config } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  region: z.string(),
  bakeId: z.string(),
  recipeName: z.string().min(1),
  recipeHash: z.string().min(1),
  failed: FailureSchema,
  /** The recipe's other regions: copies made there are found by the same tag and deleted. */
  copyRegions: z.array(z.string()).default([]),
});

/**
 * The Catch path of every step. Finds what this bake launched by its tags (not by ids in the
 * state, which a failed step may never have written), terminates builders, deletes the script
 * object of each builder still there (the key is the builder's; none is fine), deletes half-made
 * images with their snapshots (and the copies in the recipe's other regions), records the bake as
 * failed, and says which step failed and why.
 */
export const handler = middy()
  .use(logged('cleanUpBake'))
  .use(taskInput(Input))
  .handler(async (input: z.infer<typeof Input>) => {
    const { region, bakeId, recipeName, recipeHash, failed, copyRegions } = input;
    const mine = { [TAG.bake]: bakeId };
    const builders = await instancesByTag(region, mine);
    const terminated = await terminateInstances(
      region,
      builders.map((b) => b.instanceId),
    );
    const { SCRIPT_BUCKET, ACCOUNT_ID, AWS_REGION } = config();
    for (const builder of builders.filter((b) => b.tags[TAG.kind] === 'builder')) {
      await deleteScriptObject(AWS_REGION, {
        bucket: SCRIPT_BUCKET,
        key: scriptObjectKey(bakeId, instanceArn(region, ACCOUNT_ID, builder.instanceId)),
      });
    }
    const images = await imagesByTag(region, mine);
    for (const image of images) await deleteImage(region, image);
    const copies = [];
    for (const copyRegion of copyRegions) {
      for (const copy of await imagesByTag(copyRegion, mine)) {
        await deleteImage(copyRegion, copy);
        copies.push(`${copy.imageId} (${copyRegion})`);
      }
    }
    const outcome = failureOutcome(failed, [
      ...terminated,
      ...images.map((i) => i.imageId),
      ...copies,
    ]);
    await putBake(classStore(), {
      bakeId,
      state: 'failed',
      recipeName,
      recipeHash,
      region,
      failure: outcome.cause.slice(0, 1000),
      endedAt: now().toISOString(),
    });
    return outcome;
  });
