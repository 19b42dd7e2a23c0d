import middy from '@middy/core';
import * as z from 'zod';
import { putBake } from '../../layers/aws/dynamodb';
import { tagResources, terminateInstances } from '../../layers/aws/ec2';
import { TESTED_TAG } from '../../layers/core/image-test/image-test';
import { now } from '../../layers/runtime/clock';
import { classStore } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  region: z.string(),
  image: z.object({ imageId: z.string().min(1), imageName: z.string().optional() }),
  instanceId: z.string().min(1),
  bakeId: z.string().min(1),
  recipeName: z.string().min(1),
  recipeHash: z.string().min(1),
  /** Regions the image is still to be copied to: the bake is recorded once they are (recordCopies). */
  copyRegions: z.array(z.string()).default([]),
});

/**
 * The test passed: the test instance goes, only now is the image tagged as tested, and the bake
 * is recorded with its image, unless copies to other regions are still to come.
 */
export const handler = middy()
  .use(logged('passImageTest'))
  .use(taskInput(Input))
  .handler(async ({ region, image, instanceId, copyRegions, ...bake }: z.infer<typeof Input>) => {
    const terminated = await terminateInstances(region, [instanceId]);
    await tagResources(region, [image.imageId], { [TESTED_TAG]: 'true' });
    if (copyRegions.length > 0) return { terminated, tested: true };
    await putBake(classStore(), {
      ...bake,
      state: 'baked',
      region,
      imageId: image.imageId,
      imageName: image.imageName,
      endedAt: now().toISOString(),
    });
    return { terminated, tested: true };
  });
