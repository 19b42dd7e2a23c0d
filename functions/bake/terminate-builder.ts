import middy from '@middy/core';
import * as z from 'zod';
import { terminateInstances } from '../../layers/aws/ec2';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ region: z.string(), instanceId: z.string() });

export const handler = middy()
  .use(logged('terminateBuilder'))
  .use(taskInput(Input))
  .handler(async ({ region, instanceId }: z.infer<typeof Input>) => ({
    terminated: await terminateInstances(region, [instanceId]),
  }));
