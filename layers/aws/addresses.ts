/**
 * EC2 Elastic IP adapter: one address per seat, found again by its tags, so a retried poll or a
 * replacement seat gets the same address (and the student's link keeps working).
 */
import {
  type Address,
  AllocateAddressCommand,
  AssociateAddressCommand,
  DescribeAddressesCommand,
  DisassociateAddressCommand,
  ReleaseAddressCommand,
} from '@aws-sdk/client-ec2';
import { NotFoundError } from '../base/errors';
import type { Tags } from '../core/tags';
import { ec2Client } from './clients';
import { tagFilters, tagList } from './ec2-tags';

const carries = (address: Address, tags: Tags) =>
  Object.entries(tags).every(([Key, Value]) =>
    address.Tags?.some((tag) => tag.Key === Key && tag.Value === Value),
  );

/**
 * Each seat's address: the one among those tagged `find` that carries all of the seat's `tags`,
 * else a new one allocated with them (tagged as it is made, so a retry finds it). One
 * DescribeAddresses for all the seats, then one AllocateAddress at a time, in the seats' order;
 * it stops at the first throttled call (AllocateAddress has a bucket of its own, 50 refilled at
 * 5/s, so a big class waits for it) and answers the seats before it, by key: the rest wait for
 * the next call. Chosen before the seat launches, so its certificate can name it.
 */
export async function seatAddresses(
  region: string,
  request: { find: Tags; seats: { key: string; tags: Tags }[] },
): Promise<Map<string, { allocationId: string; publicIp: string }>> {
  const client = ec2Client(region);
  const found = await client.send(
    new DescribeAddressesCommand({ Filters: tagFilters(request.find) }),
  );
  const addresses = found.Addresses ?? [];
  const assigned = new Map<string, { allocationId: string; publicIp: string }>();
  for (const { key, tags } of request.seats) {
    let address = addresses.find((a) => carries(a, tags));
    if (!address) {
      try {
        const allocated = await client.send(
          new AllocateAddressCommand({
            Domain: 'vpc',
            TagSpecifications: [{ ResourceType: 'elastic-ip', Tags: tagList(tags) }],
          }),
        );
        address = { AllocationId: allocated.AllocationId, PublicIp: allocated.PublicIp };
      } catch (error) {
        if ((error as Error).name === 'RequestLimitExceeded') break;
        throw error;
      }
    }
    const { AllocationId, PublicIp } = address;
    if (!AllocationId || !PublicIp) {
      throw new NotFoundError('EC2 returned an address without an allocation id or IP');
    }
    assigned.set(key, { allocationId: AllocationId, publicIp: PublicIp });
  }
  return assigned;
}

/**
 * Puts each address on its seat's instance (taken from another instance if need be), one call
 * at a time; stops at the first throttled call (EC2's bucket refills in seconds) and answers the
 * instance ids done, so the next poll carries on with the rest.
 */
export async function associateAddresses(
  region: string,
  pairs: { allocationId: string; instanceId: string }[],
): Promise<Set<string>> {
  const client = ec2Client(region);
  const done = new Set<string>();
  for (const { allocationId, instanceId } of pairs) {
    try {
      await client.send(
        new AssociateAddressCommand({
          AllocationId: allocationId,
          InstanceId: instanceId,
          AllowReassociation: true,
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'RequestLimitExceeded') break;
      throw error;
    }
    done.add(instanceId);
  }
  return done;
}

/**
 * Release every address tagged `tags`, disassociating it first; the allocation ids released.
 * Addresses of stopped seats are released too: this is for a class that is over. One call at a
 * time; a throttled call (DisassociateAddress and ReleaseAddress each have a bucket of 50,
 * refilled at 5/s) is thrown as it is, and what was released stays released, so the retried
 * step goes on with the rest.
 */
export async function releaseAddresses(region: string, tags: Tags): Promise<string[]> {
  const client = ec2Client(region);
  const found = await client.send(new DescribeAddressesCommand({ Filters: tagFilters(tags) }));
  const released: string[] = [];
  for (const address of found.Addresses ?? []) {
    if (!address.AllocationId) continue;
    if (address.AssociationId) {
      try {
        await client.send(new DisassociateAddressCommand({ AssociationId: address.AssociationId }));
      } catch (error) {
        if ((error as Error).name !== 'InvalidAssociationID.NotFound') throw error;
      }
    }
    try {
      await client.send(new ReleaseAddressCommand({ AllocationId: address.AllocationId }));
    } catch (error) {
      if ((error as Error).name !== 'InvalidAllocationID.NotFound') throw error;
    }
    released.push(address.AllocationId);
  }
  return released;
}
