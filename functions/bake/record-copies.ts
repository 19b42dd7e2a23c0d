import middy from '@middy/core';
import * as z from 'zod';
import { putBake } from '../../layers/aws/dynamodb';
import { tagResources } from '../../layers/aws/ec2';
import { COPIES_TAG, CopySchema, copiesTagValue } from '../../layers/core/image-copies';
import { TESTED_TAG } from '../../layers/core/image-test/image-test';
import { now } from '../../layers/runtime/clock';
import { classStore } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  region: z.string(),
  image: z.object({ imageId: z.string().min(1), imageName: z.string().optional() }),
  copies: z.array(CopySchema).min(1),
  bakeId: z.string().min(1),
  recipeName: z.string().min(1),
  recipeHash: z.string().min(1),
});

/**
 * Every copy is available: each is tagged tested in its region, the source image names them all
 * (how a reuse and the teardown find them), and the bake is recorded with its image and copies.
 */
export const handler = middy()
  .use(logged('recordCopies'))
  .use(taskInput(Input))
  .handler(async ({ region, image, copies, ...bake }: z.infer<typeof Input>) => {
    for (const copy of copies)
      await tagResources(copy.region, [copy.imageId], { [TESTED_TAG]: 'true' });
    await tagResources(region, [image.imageId], { [COPIES_TAG]: copiesTagValue(copies) });
    await putBake(classStore(), {
      ...bake,
      state: 'baked',
      region,
      imageId: image.imageId,
      imageName: image.imageName,
      copies,
      endedAt: now().toISOString(),
    });
    return { copies };
  });
