/**
 * EC2 account quotas as the account itself reports them. The Elastic IP quota is read from
 * DescribeAccountAttributes (`vpc-max-elastic-ips`, "the maximum number of Elastic IP addresses
 * that you can allocate"): EC2's own answer for the account and region, in the EC2 client the
 * stack already has.
 */
import { DescribeAccountAttributesCommand, DescribeAddressesCommand } from '@aws-sdk/client-ec2';
import type { AddressRoom } from '../core/classroom/plan/address-quota';
import type { Tags } from '../core/tags';
import { ec2Client } from './clients';

const ELASTIC_IP_LIMIT = 'vpc-max-elastic-ips';

/**
 * The account's Elastic IPs in `region`: the limit, how many are allocated, and how many carry
 * all of `held` (the class's own). All attributes are asked for: the API model lists only
 * `supported-platforms` and `default-vpc` as names to ask by, and EC2 answers every attribute
 * when none is named.
 */
export async function elasticIpRoom(region: string, held: Tags): Promise<AddressRoom> {
  const client = ec2Client(region);
  const [attributes, addresses] = await Promise.all([
    client.send(new DescribeAccountAttributesCommand({})),
    client.send(new DescribeAddressesCommand({})),
  ]);
  const value = attributes.AccountAttributes?.find((a) => a.AttributeName === ELASTIC_IP_LIMIT)
    ?.AttributeValues?.[0]?.AttributeValue;
  const limit = value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
  const all = addresses.Addresses ?? [];
  const ours = all.filter((address) =>
    Object.entries(held).every(([Key, Value]) =>
      address.Tags?.some((tag) => tag.Key === Key && tag.Value === Value),
    ),
  );
  return { limit, inUse: all.length, held: ours.length };
}
