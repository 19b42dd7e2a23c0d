import middy from '@middy/core';
import * as z from 'zod';
import { getInvocation } from '../../layers/aws/ssm';
import { scriptProgress } from '../../layers/core/bake';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  region: z.string(),
  instanceId: z.string(),
  commandId: z.string(),
  checks: z.number().int().nonnegative(),
  /** What the command is, for the failure's message: the build script or the image test. */
  what: z.enum(['builder script', 'image test']).default('builder script'),
});

/** One look at the build script (or the image test); a failed one throws ScriptFailedError with its output tail. */
export const handler = middy()
  .use(logged('checkBuildScript'))
  .use(taskInput(Input))
  .handler(async ({ region, instanceId, commandId, checks, what }: z.infer<typeof Input>) => {
    const invocation = await getInvocation(region, commandId, instanceId);
    return { commandId, ...scriptProgress(invocation, checks, what) };
  });
