import middy from '@middy/core';
import * as z from 'zod';
import { ensureSecurityGroup, vpcOf } from '../../layers/aws/security-groups';
import { classTags, securityGroupName } from '../../layers/core/classroom/plan/class-names';
import { ClassPlanSchema } from '../../layers/core/classroom/plan/class-plan';
import { classIngress } from '../../layers/core/classroom/plan/ingress';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ class: ClassPlanSchema });

/** One security group for the class: HTTPS (or Jupyter's port) to the allowed CIDRs (ingress.ts). */
export const handler = middy()
  .use(logged('prepareNetwork'))
  .use(taskInput(Input))
  .handler(async ({ class: plan }: z.infer<typeof Input>) => {
    const vpcId = await vpcOf(plan.region, plan.subnets[0]);
    const securityGroupId = await ensureSecurityGroup(plan.region, {
      name: securityGroupName(plan),
      description:
        plan.tls.mode === 'acme'
          ? `bakehouse class ${plan.name}: HTTPS on 443, ACME on 80`
          : `bakehouse class ${plan.name}: Jupyter on ${plan.port} only`,
      vpcId,
      ingress: classIngress(plan),
      tags: classTags(plan, 'security-group'),
    });
    return { securityGroupId };
  });
