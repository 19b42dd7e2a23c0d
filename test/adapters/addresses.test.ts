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
import { associateAddresses, releaseAddresses, seatAddresses } from '../../layers/aws/addresses';

const ec2 = mockClient(EC2Client);

beforeEach(() => {
  ec2.reset();
});

const find = { 'bakehouse:class': 'c1' };
const seatTags = (n: number) => ({ ...find, 'bakehouse:seat': `seat-00${n}` });
const asTags = (tags: Record<string, string>) =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

describe('seatAddresses', () => {
  it('looks the class up once and allocates a tagged address for a seat without one', async () => {
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [] });
    ec2
      .on(AllocateAddressCommand)
      .resolves({ AllocationId: 'eipalloc-1', PublicIp: '203.0.113.9' });

    const addresses = await seatAddresses('us-east-1', {
      find,
      seats: [{ key: 'seat-001', tags: seatTags(1) }],
    });

    expect(addresses).toEqual(
      new Map([['seat-001', { allocationId: 'eipalloc-1', publicIp: '203.0.113.9' }]]),
    );
    expect(ec2).toHaveReceivedCommandWith(DescribeAddressesCommand, {
      Filters: [{ Name: 'tag:bakehouse:class', Values: ['c1'] }],
    });
    expect(ec2).toHaveReceivedCommandWith(AllocateAddressCommand, {
      Domain: 'vpc',
      TagSpecifications: [{ ResourceType: 'elastic-ip', Tags: asTags(seatTags(1)) }],
    });
    expect(ec2).not.toHaveReceivedCommand(AssociateAddressCommand);
  });

  it("finds a replacement seat's address again by the seat's tags", async () => {
    ec2.on(DescribeAddressesCommand).resolves({
      Addresses: [
        { AllocationId: 'eipalloc-1', PublicIp: '203.0.113.1', Tags: asTags(seatTags(1)) },
      ],
    });

    const addresses = await seatAddresses('us-east-1', {
      find,
      seats: [{ key: 'seat-001', tags: seatTags(1) }],
    });

    expect(addresses.get('seat-001')).toEqual({
      allocationId: 'eipalloc-1',
      publicIp: '203.0.113.1',
    });
    expect(ec2).not.toHaveReceivedCommand(AllocateAddressCommand);
  });

  const throttle = () =>
    Object.assign(new Error('Request limit exceeded.'), { name: 'RequestLimitExceeded' });

  it('allocates one address at a time and stops at the first throttled call, answering the seats before it', async () => {
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [] });
    ec2
      .on(AllocateAddressCommand)
      .resolvesOnce({ AllocationId: 'eipalloc-1', PublicIp: '203.0.113.1' })
      .resolvesOnce({ AllocationId: 'eipalloc-2', PublicIp: '203.0.113.2' })
      .rejects(throttle());

    const addresses = await seatAddresses('us-east-1', {
      find,
      seats: [1, 2, 3, 4, 5].map((n) => ({ key: `seat-00${n}`, tags: seatTags(n) })),
    });

    expect([...addresses.keys()]).toEqual(['seat-001', 'seat-002']);
    // Nothing after the throttled call: the bucket is empty, the rest wait for the next call.
    expect(ec2).toHaveReceivedCommandTimes(AllocateAddressCommand, 3);
    expect(ec2.commandCalls(AllocateAddressCommand).map((c) => c.args[0].input)).toEqual(
      [1, 2, 3].map((n) => ({
        Domain: 'vpc',
        TagSpecifications: [{ ResourceType: 'elastic-ip', Tags: asTags(seatTags(n)) }],
      })),
    );
  });

  it('on a retry takes the addresses an earlier call allocated and allocates only for the next seats', async () => {
    ec2.on(DescribeAddressesCommand).resolves({
      Addresses: [
        { AllocationId: 'eipalloc-1', PublicIp: '203.0.113.1', Tags: asTags(seatTags(1)) },
        { AllocationId: 'eipalloc-2', PublicIp: '203.0.113.2', Tags: asTags(seatTags(2)) },
      ],
    });
    ec2
      .on(AllocateAddressCommand)
      .resolvesOnce({ AllocationId: 'eipalloc-3', PublicIp: '203.0.113.3' })
      .rejects(throttle());

    const addresses = await seatAddresses('us-east-1', {
      find,
      seats: [1, 2, 3, 4].map((n) => ({ key: `seat-00${n}`, tags: seatTags(n) })),
    });

    expect([...addresses].map(([key, a]) => [key, a.allocationId])).toEqual([
      ['seat-001', 'eipalloc-1'],
      ['seat-002', 'eipalloc-2'],
      ['seat-003', 'eipalloc-3'],
    ]);
    expect(ec2).toHaveReceivedCommandTimes(AllocateAddressCommand, 2);
    expect(ec2).toHaveReceivedCommandWith(AllocateAddressCommand, {
      TagSpecifications: [{ ResourceType: 'elastic-ip', Tags: asTags(seatTags(3)) }],
    });
  });

  it('answers nothing, and no error, when the very first allocation is throttled', async () => {
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [] });
    ec2.on(AllocateAddressCommand).rejects(throttle());

    const addresses = await seatAddresses('us-east-1', {
      find,
      seats: [1, 2].map((n) => ({ key: `seat-00${n}`, tags: seatTags(n) })),
    });

    expect(addresses.size).toBe(0);
    expect(ec2).toHaveReceivedCommandTimes(AllocateAddressCommand, 1);
  });

  it('throws any other refusal for the Retry', async () => {
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [] });
    ec2.on(AllocateAddressCommand).rejects(
      Object.assign(new Error('The maximum number of addresses has been reached.'), {
        name: 'AddressLimitExceeded',
      }),
    );

    await expect(
      seatAddresses('us-east-1', { find, seats: [{ key: 'seat-001', tags: seatTags(1) }] }),
    ).rejects.toMatchObject({ name: 'AddressLimitExceeded' });
  });
});

describe('associateAddresses', () => {
  it('puts each address on its instance and stops at a throttled call, answering what it did', async () => {
    ec2
      .on(AssociateAddressCommand)
      .resolvesOnce({ AssociationId: 'eipassoc-1' })
      .rejects(
        Object.assign(new Error('Request limit exceeded.'), { name: 'RequestLimitExceeded' }),
      );

    const done = await associateAddresses('us-east-1', [
      { allocationId: 'eipalloc-1', instanceId: 'i-1' },
      { allocationId: 'eipalloc-2', instanceId: 'i-2' },
      { allocationId: 'eipalloc-3', instanceId: 'i-3' },
    ]);

    expect(done).toEqual(new Set(['i-1']));
    expect(ec2).toHaveReceivedCommandTimes(AssociateAddressCommand, 2);
    expect(ec2).toHaveReceivedCommandWith(AssociateAddressCommand, {
      AllocationId: 'eipalloc-1',
      InstanceId: 'i-1',
      AllowReassociation: true,
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

  it('throws a throttled release as it is, having released what came before it', async () => {
    ec2.on(DescribeAddressesCommand).resolves({
      Addresses: [
        { AllocationId: 'eipalloc-1' },
        { AllocationId: 'eipalloc-2' },
        { AllocationId: 'eipalloc-3' },
      ],
    });
    ec2
      .on(ReleaseAddressCommand)
      .resolvesOnce({})
      .rejects(
        Object.assign(new Error('Request limit exceeded.'), { name: 'RequestLimitExceeded' }),
      );

    await expect(releaseAddresses('us-east-1', { 'bakehouse:class': 'c1' })).rejects.toMatchObject({
      name: 'RequestLimitExceeded',
    });

    expect(ec2).toHaveReceivedCommandTimes(ReleaseAddressCommand, 2);
    expect(ec2).toHaveReceivedNthCommandWith(ReleaseAddressCommand, 1, {
      AllocationId: 'eipalloc-1',
    });
  });
});
