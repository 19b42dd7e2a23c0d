import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  DescribeAddressesCommand,
  DisassociateAddressCommand,
  EC2Client,
  ReleaseAddressCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { releaseAddresses, seatAddresses } from '../../layers/aws/addresses';

const ec2 = mockClient(EC2Client);

beforeEach(() => {
  ec2.reset();
});

const find = { 'bakehouse:class': 'c1' };
const seatTags = (n: number) => ({ ...find, 'bakehouse:seat': `seat-00${n}` });
const asTags = (tags: Record<string, string>) =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

describe('seatAddresses', () => {
  it('looks the class up once, allocates a tagged address for a seat without one, associates it', async () => {
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [] });
    ec2
      .on(AllocateAddressCommand)
      .resolves({ AllocationId: 'eipalloc-1', PublicIp: '203.0.113.9' });

    const addresses = await seatAddresses('us-east-1', {
      find,
      seats: [{ instanceId: 'i-1', tags: seatTags(1) }],
    });

    expect(addresses).toEqual(new Map([['i-1', '203.0.113.9']]));
    expect(ec2).toHaveReceivedCommandWith(DescribeAddressesCommand, {
      Filters: [{ Name: 'tag:bakehouse:class', Values: ['c1'] }],
    });
    expect(ec2).toHaveReceivedCommandWith(AllocateAddressCommand, {
      Domain: 'vpc',
      TagSpecifications: [{ ResourceType: 'elastic-ip', Tags: asTags(seatTags(1)) }],
    });
    expect(ec2).toHaveReceivedCommandWith(AssociateAddressCommand, {
      AllocationId: 'eipalloc-1',
      InstanceId: 'i-1',
      AllowReassociation: true,
    });
  });

  it("gives a replacement instance its seat's address, and leaves one already in place alone", async () => {
    ec2.on(DescribeAddressesCommand).resolves({
      Addresses: [
        {
          AllocationId: 'eipalloc-1',
          PublicIp: '203.0.113.1',
          InstanceId: 'i-old',
          Tags: asTags(seatTags(1)),
        },
        {
          AllocationId: 'eipalloc-2',
          PublicIp: '203.0.113.2',
          InstanceId: 'i-2',
          Tags: asTags(seatTags(2)),
        },
      ],
    });

    const addresses = await seatAddresses('us-east-1', {
      find,
      seats: [
        { instanceId: 'i-new', tags: seatTags(1) },
        { instanceId: 'i-2', tags: seatTags(2) },
      ],
    });

    expect(addresses).toEqual(
      new Map([
        ['i-new', '203.0.113.1'],
        ['i-2', '203.0.113.2'],
      ]),
    );
    expect(ec2).not.toHaveReceivedCommand(AllocateAddressCommand);
    expect(ec2).toHaveReceivedCommandTimes(AssociateAddressCommand, 1);
    expect(ec2).toHaveReceivedCommandWith(AssociateAddressCommand, {
      AllocationId: 'eipalloc-1',
      InstanceId: 'i-new',
    });
  });
});

describe('releaseAddresses', () => {
  it('disassociates and releases every address of the class', async () => {
    ec2.on(DescribeAddressesCommand).resolves({
      Addresses: [
        { AllocationId: 'eipalloc-1', AssociationId: 'eipassoc-1' },
        { AllocationId: 'eipalloc-2' },
      ],
    });

    expect(await releaseAddresses('us-east-1', { 'bakehouse:class': 'c1' })).toEqual([
      'eipalloc-1',
      'eipalloc-2',
    ]);

    expect(ec2).toHaveReceivedCommandTimes(DisassociateAddressCommand, 1);
    expect(ec2).toHaveReceivedCommandWith(DisassociateAddressCommand, {
      AssociationId: 'eipassoc-1',
    });
    expect(ec2).toHaveReceivedCommandTimes(ReleaseAddressCommand, 2);
  });
});
