import middy from '@middy/core';
import * as z from 'zod';
import { onlineAgents } from '../../layers/aws/ssm';
import { agentCheck } from '../../layers/core/bake';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  region: z.string(),
  instanceId: z.string(),
  checks: z.number().int().nonnegative(),
});

/** One look at the SSM agent; the state machine's Wait → Check → Choice loop bounds the wait. */
export const handler = middy()
  .use(logged('checkAgent'))
  .use(taskInput(Input))
  .handler(async ({ region, instanceId, checks }: z.infer<typeof Input>) => {
    const online = await onlineAgents(region, [instanceId]);
    return agentCheck(online.has(instanceId), checks);
  });
