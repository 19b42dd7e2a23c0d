/**
 * DescribeAccountAttributes: the account's attributes in the region, among them its Elastic IP
 * quota (`vpc-max-elastic-ips`, the same number AllocateAddress enforces). Every attribute is
 * answered when none is named; the names are those the EC2 API reference lists.
 */
import type { AccountAttribute, DescribeAccountAttributesRequest } from '@aws-sdk/client-ec2';
import { ec2Fault } from '../kernel/errors';
import { operation } from '../kernel/transport';
import type { Ec2Context } from './context';

/** Documented, but "no longer supported" (its value says nothing of the vCPU limit): not answered. */
const UNANSWERED = new Set(['max-instances']);

function attributes(ctx: Ec2Context): Record<string, string> {
  const elasticIps = String(ctx.faults.elasticIpLimit);
  return {
    'supported-platforms': 'VPC',
    'default-vpc': ctx.world.vpcId,
    'max-elastic-ips': elasticIps,
    'vpc-max-elastic-ips': elasticIps,
    'vpc-max-security-groups-per-interface': '5',
  };
}

export function accountAttributeOperations(ctx: Ec2Context) {
  return {
    DescribeAccountAttributes: operation((input: DescribeAccountAttributesRequest) => {
      const all = attributes(ctx);
      const names: string[] = input.AttributeNames?.length
        ? [...new Set<string>(input.AttributeNames)]
        : Object.keys(all);
      for (const name of names)
        if (!(name in all) && !UNANSWERED.has(name))
          throw ec2Fault(
            'InvalidParameterValue',
            `Value (${name}) for parameter attributeName is invalid. Unknown attribute.`,
          );
      const answered: AccountAttribute[] = names.flatMap((name) => {
        const value = all[name];
        return value === undefined
          ? []
          : [{ AttributeName: name, AttributeValues: [{ AttributeValue: value }] }];
      });
      return { AccountAttributes: answered };
    }),
  };
}
