import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DisassociateAddressCommand,
  ReleaseAddressCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { MINUTE } from '../../../local/sim/kernel/clock';
import { failure, type Harness, harness, managedInstances } from '../harness';

const publicIp = async (h: Harness, id: string) =>
  (await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations?.[0]
    ?.Instances?.[0]?.PublicIpAddress;

async function allocate(h: Harness, seat = 'seat-001') {
  const { AllocationId, PublicIp } = await h.ec2.send(
    new AllocateAddressCommand({
      Domain: 'vpc',
      TagSpecifications: [{ ResourceType: 'elastic-ip', Tags: [{ Key: 'seat', Value: seat }] }],
    }),
  );
  return { allocationId: AllocationId as string, ip: PublicIp as string };
}

describe('EC2 Elastic IPs', () => {
  it('allocates a tagged address that DescribeAddresses finds by tag', async () => {
    // Prepare
    const h = harness();

    // Act
    const { allocationId, ip } = await allocate(h);
    const { Addresses } = await h.ec2.send(
      new DescribeAddressesCommand({ Filters: [{ Name: 'tag:seat', Values: ['seat-001'] }] }),
    );

    // Assess
    expect(allocationId).toMatch(/^eipalloc-0[0-9a-f]{16}$/);
    expect(Addresses).toEqual([
      expect.objectContaining({
        AllocationId: allocationId,
        PublicIp: ip,
        Domain: 'vpc',
        Tags: [{ Key: 'seat', Value: 'seat-001' }],
      }),
    ]);
  });

  it('keeps an associated address on the instance through stop and start', async () => {
    // Prepare
    const h = harness();
    const [id = ''] = await managedInstances(h);
    const { allocationId, ip } = await allocate(h);
    const before = await publicIp(h, id);

    // Act
    await h.ec2.send(new AssociateAddressCommand({ AllocationId: allocationId, InstanceId: id }));
    const associated = await publicIp(h, id);
    await h.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    h.advance(2 * MINUTE);
    await h.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    h.advance(2 * MINUTE);

    // Assess
    expect(before).not.toBe(ip);
    expect(associated).toBe(ip);
    expect(await publicIp(h, id)).toBe(ip);
  });

  it('refuses to release an associated address, releases it once disassociated', async () => {
    // Prepare
    const h = harness();
    const [id = ''] = await managedInstances(h);
    const { allocationId } = await allocate(h);
    const { AssociationId } = await h.ec2.send(
      new AssociateAddressCommand({ AllocationId: allocationId, InstanceId: id }),
    );

    // Act
    const inUse = await failure(
      h.ec2.send(new ReleaseAddressCommand({ AllocationId: allocationId })),
    );
    await h.ec2.send(new DisassociateAddressCommand({ AssociationId }));
    await h.ec2.send(new ReleaseAddressCommand({ AllocationId: allocationId }));

    // Assess
    expect(inUse.name).toBe('InvalidIPAddress.InUse');
    expect(h.sim.ec2.addresses()).toEqual([]);
    expect(await publicIp(h, id)).toBeDefined();
  });

  it('keeps the hours each address was held, from allocation to release, for the bill', async () => {
    // Prepare
    const h = harness();
    const allocatedAt = h.sim.clock.now();
    const { allocationId } = await allocate(h);
    const kept = await allocate(h, 'seat-002');

    // Act
    h.sim.clock.advance(90 * MINUTE);
    const releasedAt = h.sim.clock.now();
    await h.ec2.send(new ReleaseAddressCommand({ AllocationId: allocationId }));

    // Assess
    expect(h.sim.ec2.addresses().map((a) => a.allocationId)).toEqual([kept.allocationId]);
    expect(h.sim.ec2.heldAddresses()).toEqual(
      expect.arrayContaining([
        { allocationId, tags: { seat: 'seat-001' }, allocatedAt, releasedAt },
        { allocationId: kept.allocationId, tags: { seat: 'seat-002' }, allocatedAt },
      ]),
    );
    expect(h.sim.ec2.heldAddresses()).toHaveLength(2);
  });

  it('disassociates the address once its instance is terminated', async () => {
    // Prepare
    const h = harness();
    const [id = ''] = await managedInstances(h);
    const { allocationId } = await allocate(h);
    await h.ec2.send(new AssociateAddressCommand({ AllocationId: allocationId, InstanceId: id }));

    // Act
    await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    const whileShuttingDown = h.sim.ec2.addresses();
    h.advance(2 * MINUTE);

    // Assess
    expect(whileShuttingDown).toEqual([expect.objectContaining({ instanceId: id })]);
    expect(h.sim.ec2.addresses()).toEqual([
      expect.not.objectContaining({ instanceId: expect.anything() }),
    ]);
  });

  it('refuses another association without AllowReassociation, and an allocation past the limit', async () => {
    // Prepare
    const h = harness({ faults: { elasticIpLimit: 1 } });
    const [first = '', second = ''] = await managedInstances(h, 2);
    const { allocationId } = await allocate(h);
    await h.ec2.send(
      new AssociateAddressCommand({ AllocationId: allocationId, InstanceId: first }),
    );

    // Act
    const taken = await failure(
      h.ec2.send(new AssociateAddressCommand({ AllocationId: allocationId, InstanceId: second })),
    );
    const limit = await failure(allocate(h, 'seat-002'));

    // Assess
    expect(taken.name).toBe('Resource.AlreadyAssociated');
    expect(limit.name).toBe('AddressLimitExceeded');
  });
});
