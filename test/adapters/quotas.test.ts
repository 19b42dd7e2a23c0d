import {
  DescribeAccountAttributesCommand,
  DescribeAddressesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { elasticIpRoom } from '../../layers/aws/quotas';

const ec2 = mockClient(EC2Client);

beforeEach(() => {
  ec2.reset();
});

const attribute = (name: string, value: string) => ({
  AttributeName: name,
  AttributeValues: [{ AttributeValue: value }],
});
const address = (id: string, tags: Record<string, string> = {}) => ({
  AllocationId: id,
  PublicIp: '203.0.113.1',
  Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
});
const ours = { 'bakehouse:class': 'c1' };

describe('elasticIpRoom', () => {
  it("reads the limit from vpc-max-elastic-ips and counts the region's addresses and the class's", async () => {
    // Prepare
    ec2.on(DescribeAccountAttributesCommand).resolves({
      AccountAttributes: [
        attribute('supported-platforms', 'VPC'),
        attribute('max-elastic-ips', '7'),
        attribute('vpc-max-elastic-ips', '40'),
      ],
    });
    ec2.on(DescribeAddressesCommand).resolves({
      Addresses: [
        address('eipalloc-1', ours),
        address('eipalloc-2', { 'bakehouse:class': 'c2' }),
        address('eipalloc-3'),
        address('eipalloc-4', { ...ours, 'bakehouse:seat': 'seat-002' }),
      ],
    });

    // Act
    const room = await elasticIpRoom('eu-west-1', ours);

    // Assess
    expect(room).toEqual({ limit: 40, inUse: 4, held: 2 });
    // Every attribute (the model names only two to ask by) and every address in the region.
    expect(ec2).toHaveReceivedCommandWith(DescribeAccountAttributesCommand, {});
    expect(ec2.commandCalls(DescribeAccountAttributesCommand)[0]?.args[0].input).toEqual({});
    expect(ec2.commandCalls(DescribeAddressesCommand)[0]?.args[0].input).toEqual({});
  });

  it('answers no limit when EC2 leaves the attribute out or gives no number', async () => {
    // Prepare
    ec2
      .on(DescribeAccountAttributesCommand)
      .resolvesOnce({ AccountAttributes: [attribute('default-vpc', 'vpc-1')] })
      .resolvesOnce({ AccountAttributes: [attribute('vpc-max-elastic-ips', 'unlimited')] });
    ec2.on(DescribeAddressesCommand).resolves({});

    // Act
    const missing = await elasticIpRoom('us-east-1', ours);
    const odd = await elasticIpRoom('us-east-1', ours);

    // Assess
    expect(missing).toEqual({ limit: undefined, inUse: 0, held: 0 });
    expect(odd.limit).toBeUndefined();
  });

  it('lets a throttled call reach the caller, for the state machine to retry', async () => {
    // Prepare
    const throttled = Object.assign(new Error('Request limit exceeded.'), {
      name: 'RequestLimitExceeded',
    });
    ec2.on(DescribeAccountAttributesCommand).rejects(throttled);
    ec2.on(DescribeAddressesCommand).resolves({});

    // Act / Assess
    await expect(elasticIpRoom('us-east-1', ours)).rejects.toMatchObject({
      name: 'RequestLimitExceeded',
    });
  });
});
