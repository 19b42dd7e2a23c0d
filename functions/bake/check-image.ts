import middy from '@middy/core';
import * as z from 'zod';
import { describeImage } from '../../layers/aws/ec2';
import { imageProgress } from '../../layers/core/bake';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  region: z.string(),
  imageId: z.string(),
  imageName: z.string(),
  checks: z.number().int().nonnegative(),
});

/** One look at the image; `failed` throws ImageFailedError with EC2's reason. */
export const handler = middy()
  .use(logged('checkImage'))
  .use(taskInput(Input))
  .handler(async ({ region, imageId, imageName, checks }: z.infer<typeof Input>) => {
    const image = await describeImage(region, imageId);
    return { imageId, imageName, ...imageProgress(image, checks) };
  });
