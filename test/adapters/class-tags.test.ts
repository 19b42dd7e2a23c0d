import {
  CreateTagsCommand,
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { retagClassResources } from '../../layers/aws/class-tags';

const ec2 = mockClient(EC2Client);
const CLASS = { 'bakehouse:stack': 'bakehouse-dev', 'bakehouse:class': 'class-1' };
const EXPIRY = { 'bakehouse:expires-at': '2027-03-18T11:00:00.000Z' };

const instance = (n: number) => ({
  InstanceId: `i-${n}`,
  BlockDeviceMappings: [
    { DeviceName: '/dev/xvda', Ebs: { VolumeId: `vol-${n}a` } },
    { DeviceName: '/dev/xvdb', Ebs: { VolumeId: `vol-${n}b` } },
  ],
});

beforeEach(() => {
  ec2.reset();
  ec2.on(CreateTagsCommand).resolves({});
});

describe('retagClassResources', () => {
  it("tags the class's instances, their volumes, its group and its Elastic IPs, found by the class's tags", async () => {
    // Prepare
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [{ Instances: [instance(1), instance(2)] }],
    });
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-1' }] });
    ec2.on(DescribeAddressesCommand).resolves({
      Addresses: [{ AllocationId: 'eipalloc-1' }, { AllocationId: 'eipalloc-2' }],
    });

    // Act
    const tagged = await retagClassResources('us-east-1', CLASS, EXPIRY);

    // Assess
    const ids = [
      'i-1',
      'vol-1a',
      'vol-1b',
      'i-2',
      'vol-2a',
      'vol-2b',
      'sg-1',
      'eipalloc-1',
      'eipalloc-2',
    ];
    expect(tagged).toEqual(ids);
    expect(ec2).toHaveReceivedCommandWith(CreateTagsCommand, {
      Resources: ids,
      Tags: [{ Key: 'bakehouse:expires-at', Value: '2027-03-18T11:00:00.000Z' }],
    });
    const filters = [
      { Name: 'tag:bakehouse:stack', Values: ['bakehouse-dev'] },
      { Name: 'tag:bakehouse:class', Values: ['class-1'] },
    ];
    expect(ec2).toHaveReceivedCommandWith(DescribeInstancesCommand, {
      Filters: [
        ...filters,
        { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
      ],
    });
    expect(ec2).toHaveReceivedCommandWith(DescribeSecurityGroupsCommand, { Filters: filters });
    expect(ec2).toHaveReceivedCommandWith(DescribeAddressesCommand, { Filters: filters });
  });

  it('sends at most 200 ids a call', async () => {
    // Prepare: 150 seats with two volumes each, 450 ids
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [{ Instances: Array.from({ length: 150 }, (_, i) => instance(i)) }],
    });
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [] });

    // Act
    const tagged = await retagClassResources('us-east-1', CLASS, EXPIRY);

    // Assess
    expect(tagged).toHaveLength(450);
    const sizes = ec2.commandCalls(CreateTagsCommand).map((c) => c.args[0].input.Resources?.length);
    expect(sizes).toEqual([200, 200, 50]);
  });

  it('sends no CreateTags for a class that holds nothing any more', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [] });

    expect(await retagClassResources('us-east-1', CLASS, EXPIRY)).toEqual([]);
    expect(ec2).not.toHaveReceivedCommand(CreateTagsCommand);
  });
});
