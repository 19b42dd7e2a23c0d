import middy from '@middy/core';
import { z } from 'zod';
import { tagResources, terminateInstances } from '../../layers/aws/ec2';
import { TESTED_TAG } from '../../layers/core/image-test/image-test';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  region: z.string(),
  imageId: z.string().min(1),
  instanceId: z.string().min(1),
});

/** The test passed: the test instance goes, and only now is the image tagged as tested. */
export const handler = middy()
  .use(logged('passImageTest'))
  .use(taskInput(Input))
  .handler(async ({ region, imageId, instanceId }: z.infer<typeof Input>) => {
    const terminated = await terminateInstances(region, [instanceId]);
    await tagResources(region, [imageId], { [TESTED_TAG]: 'true' });
    return { terminated, tested: true };
  });
