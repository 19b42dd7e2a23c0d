import middy from '@middy/core';
import * as z from 'zod';
import { createImage } from '../../layers/aws/ec2';
import { BakeSchema, bakeImageName, bakeTags } from '../../layers/core/bake';
import { config } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ bake: BakeSchema, instanceId: z.string() });

/** Registers the image, tagged with the recipe hash; idempotent by its name. */
export const handler = middy()
  .use(logged('createImage'))
  .use(taskInput(Input))
  .handler(async ({ bake, instanceId }: z.infer<typeof Input>) => {
    const imageName = bakeImageName(bake);
    const imageId = await createImage(bake.region, {
      instanceId,
      name: imageName,
      description: `bakehouse ${bake.recipe.name} (recipe ${bake.recipeHash})`,
      tags: bakeTags(bake, config().STACK_NAME, 'image'),
    });
    return { imageId, imageName, checks: 0 };
  });
