import middy from '@middy/core';
import * as z from 'zod';
import { launchInstances } from '../../layers/aws/ec2';
import { BakeSchema, bakeTags } from '../../layers/core/bake';
import {
  IMAGE_TEST_LIFETIME_MINUTES,
  imageTestLaunchSpec,
} from '../../layers/core/image-test/image-test';
import { builderUserData } from '../../layers/core/recipe/compile';
import { config } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  bake: BakeSchema,
  imageId: z.string().min(1),
  rootDeviceName: z.string().min(1),
  securityGroupId: z.string().min(1),
  executionId: z.string().min(1),
  startedAt: z.iso.datetime({ offset: true }),
});

/**
 * One instance from the new image, tagged with the bake (so CleanUp finds it on every failure),
 * in the builders' group; idempotent per execution like the builder's launch.
 */
export const handler = middy()
  .use(logged('launchImageTest'))
  .use(taskInput(Input))
  .handler(async (input: z.infer<typeof Input>) => {
    const { STACK_NAME, INSTANCE_PROFILE_NAME } = config();
    const { bake } = input;
    const spec = imageTestLaunchSpec(
      {
        recipe: bake.recipe,
        imageId: input.imageId,
        rootDeviceName: input.rootDeviceName,
        tags: bakeTags(bake, STACK_NAME, 'image-test'),
      },
      {
        executionId: input.executionId,
        instanceProfileName: INSTANCE_PROFILE_NAME,
        securityGroupId: input.securityGroupId,
        now: new Date(input.startedAt),
        userData: builderUserData(IMAGE_TEST_LIFETIME_MINUTES),
      },
    );
    const [instance] = await launchInstances(bake.region, spec);
    return { instanceId: instance?.instanceId };
  });
