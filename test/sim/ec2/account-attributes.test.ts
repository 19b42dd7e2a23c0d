import {
  AllocateAddressCommand,
  DescribeAccountAttributesCommand,
  type DescribeAccountAttributesCommandOutput,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { failure, harness } from '../harness';

const attributeOf = (output: DescribeAccountAttributesCommandOutput, name: string) =>
  output.AccountAttributes?.find((a) => a.AttributeName === name)?.AttributeValues?.[0]
    ?.AttributeValue;

describe('EC2 account attributes', () => {
  it('tells the Elastic IP quota AllocateAddress enforces, among every attribute when none is named', async () => {
    // Prepare
    const h = harness({ faults: { elasticIpLimit: 2 } });

    // Act
    const all = await h.ec2.send(new DescribeAccountAttributesCommand({}));
    for (let i = 0; i < 2; i++) await h.ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    const third = await failure(h.ec2.send(new AllocateAddressCommand({ Domain: 'vpc' })));

    // Assess
    expect(attributeOf(all, 'vpc-max-elastic-ips')).toBe('2');
    expect(attributeOf(all, 'supported-platforms')).toBe('VPC');
    expect(attributeOf(all, 'default-vpc')).toMatch(/^vpc-/);
    expect(third.name).toBe('AddressLimitExceeded');
  });

  it('answers a raised quota when the run sets no limit', async () => {
    // Act
    const all = await harness().ec2.send(new DescribeAccountAttributesCommand({}));

    // Assess
    expect(Number(attributeOf(all, 'vpc-max-elastic-ips'))).toBeGreaterThanOrEqual(1000);
  });

  it('answers only the attributes named, and refuses a name EC2 does not have', async () => {
    // Prepare
    const h = harness();

    // Act
    const named = await h.ec2.send(
      new DescribeAccountAttributesCommand({ AttributeNames: ['default-vpc'] }),
    );
    const unknown = await failure(
      h.ec2.send(
        new DescribeAccountAttributesCommand({
          AttributeNames: ['max-seats' as 'default-vpc'],
        }),
      ),
    );

    // Assess
    expect(named.AccountAttributes?.map((a) => a.AttributeName)).toEqual(['default-vpc']);
    expect(unknown.name).toBe('InvalidParameterValue');
  });
});
