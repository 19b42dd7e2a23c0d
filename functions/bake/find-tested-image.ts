import middy from '@middy/core';
import * as z from 'zod';
import { describeImage, imagesByTag } from '../../layers/aws/ec2';
import { pickTestedImage, reusableTags } from '../../layers/core/image-test/reuse';
import { config } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  region: z.string(),
  recipeHash: z.string().min(1),
  copyRegions: z.array(z.string()).default([]),
});

/**
 * Whether this recipe (hash and compiler version) already has a tested, available image, with
 * its copies in the recipe's other regions still there and available (each looked at in its
 * region).
 */
export const handler = middy()
  .use(logged('findTestedImage'))
  .use(taskInput(Input))
  .handler(async ({ region, recipeHash, copyRegions }: z.infer<typeof Input>) => {
    const wanted = reusableTags(config().STACK_NAME, recipeHash);
    return pickTestedImage(await imagesByTag(region, wanted), wanted, copyRegions, (copy) =>
      describeImage(copy.region, copy.imageId),
    );
  });
