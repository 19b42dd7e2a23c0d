import middy from '@middy/core';
import * as z from 'zod';
import { availableImage } from '../../layers/aws/ec2';
import { resolvePublicParameter } from '../../layers/aws/ssm';
import { BakeSchema } from '../../layers/core/bake';
import { baseImageKind } from '../../layers/core/recipe/schema';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ bake: BakeSchema });

/** The recipe's base image as an AMI id: an SSM public parameter is looked up, then checked. */
export const handler = middy()
  .use(logged('resolveBaseImage'))
  .use(taskInput(Input))
  .handler(async ({ bake }: z.infer<typeof Input>) => {
    const { baseImage } = bake.recipe;
    const imageId =
      baseImageKind(baseImage) === 'ami'
        ? baseImage
        : await resolvePublicParameter(bake.region, baseImage);
    const image = await availableImage(bake.region, imageId, `base image ${baseImage}:`);
    return { imageId, rootDeviceName: image.rootDeviceName };
  });
