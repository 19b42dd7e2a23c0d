import middy from '@middy/core';
import * as z from 'zod';
import { copyImage } from '../../layers/aws/ec2-copies';
import { BakeSchema, copyRequests } from '../../layers/core/bake';
import { config } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  bake: BakeSchema,
  imageId: z.string().min(1),
  executionId: z.string().min(1),
});

/**
 * Starts a copy of the tested image in each of the recipe's other regions, encrypted and tagged
 * with the bake; each ClientToken comes from the execution and the region, so a retry after a
 * lost response gets the same copies back.
 */
export const handler = middy()
  .use(logged('copyImage'))
  .use(taskInput(Input))
  .handler(async ({ bake, imageId, executionId }: z.infer<typeof Input>) => {
    const stackName = config().STACK_NAME;
    const images = [];
    for (const request of copyRequests(bake, imageId, { executionId, stackName })) {
      images.push({ region: request.region, imageId: await copyImage(request) });
    }
    return { images, done: false, checks: 0 };
  });
