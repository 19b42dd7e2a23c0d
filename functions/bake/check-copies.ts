import middy from '@middy/core';
import * as z from 'zod';
import { describeImage } from '../../layers/aws/ec2';
import { CopySchema, copiesProgress } from '../../layers/core/image-copies';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  images: z.array(CopySchema).min(1),
  checks: z.number().int().nonnegative(),
});

/** One look at each copy in its region; a failed one throws ImageFailedError naming the region. */
export const handler = middy()
  .use(logged('checkCopies'))
  .use(taskInput(Input))
  .handler(async ({ images, checks }: z.infer<typeof Input>) => {
    const seen = [];
    for (const copy of images)
      seen.push({ copy, image: await describeImage(copy.region, copy.imageId) });
    return copiesProgress(seen, checks);
  });
