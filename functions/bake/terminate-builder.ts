import middy from '@middy/core';
import { z } from 'zod';
import { putBake } from '../../layers/aws/dynamodb';
import { terminateInstances } from '../../layers/aws/ec2';
import { now } from '../../layers/runtime/clock';
import { classStore } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  region: z.string(),
  instanceId: z.string(),
  bakeId: z.string().min(1),
  recipeName: z.string().min(1),
  recipeHash: z.string().min(1),
  image: z.object({ imageId: z.string(), imageName: z.string().optional() }),
});

/** The last step of a bake: the builder is terminated and the bake recorded with its image. */
export const handler = middy()
  .use(logged('terminateBuilder'))
  .use(taskInput(Input))
  .handler(async ({ region, instanceId, image, ...bake }: z.infer<typeof Input>) => {
    const terminated = await terminateInstances(region, [instanceId]);
    await putBake(classStore(), {
      ...bake,
      state: 'baked',
      region,
      imageId: image.imageId,
      imageName: image.imageName,
      endedAt: now().toISOString(),
    });
    return { terminated };
  });
