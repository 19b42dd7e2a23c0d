import middy from '@middy/core';
import * as z from 'zod';
import { launchInstances } from '../../layers/aws/ec2';
import { ensureSecurityGroup, vpcOf } from '../../layers/aws/security-groups';
import { BakeSchema, builderLaunchSpec, builderSecurityGroupName } from '../../layers/core/bake';
import { TAG } from '../../layers/core/tags';
import { config } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  bake: BakeSchema,
  base: z.object({ imageId: z.string(), rootDeviceName: z.string() }),
  executionId: z.string().min(1),
  /** The execution's start, not the Lambda's clock: a retried launch must ask for exactly the same. */
  startedAt: z.iso.datetime({ offset: true }),
});

/**
 * One builder in a security group with no inbound rule, idempotent per execution: a retried
 * launch gets the same instance back.
 */
export const handler = middy()
  .use(logged('launchBuilder'))
  .use(taskInput(Input))
  .handler(async ({ bake, base, executionId, startedAt }: z.infer<typeof Input>) => {
    const { STACK_NAME, INSTANCE_PROFILE_NAME } = config();
    const securityGroupId = await ensureSecurityGroup(bake.region, {
      name: builderSecurityGroupName(STACK_NAME),
      description: 'bakehouse builders: no inbound rule, configured through SSM only',
      vpcId: await vpcOf(bake.region, bake.recipe.builder.subnetId),
      tags: { [TAG.stack]: STACK_NAME, [TAG.kind]: 'security-group' },
    });
    const spec = builderLaunchSpec(bake, base, {
      executionId,
      stackName: STACK_NAME,
      instanceProfileName: INSTANCE_PROFILE_NAME,
      securityGroupId,
      now: new Date(startedAt),
    });
    const [builder] = await launchInstances(bake.region, spec);
    return {
      instanceId: builder?.instanceId,
      expiresAt: spec.tags['bakehouse:expires-at'],
      securityGroupId,
    };
  });
