/**
 * EC2 Elastic IP adapter: one address per seat, found again by its tags, so a retried poll or a
 * replacement seat gets the same address (and the student's link keeps working).
 */
import {
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

/** The address tagged `tags` (allocated with them when there is none), associated with the instance. */
export async function seatAddress(
  region: string,
  request: { instanceId: string; tags: Tags },
): Promise<string> {
  const client = ec2Client(region);
  const found = await client.send(
    new DescribeAddressesCommand({ Filters: tagFilters(request.tags) }),
  );
  let address = found.Addresses?.[0];
  if (!address) {
    const allocated = await client.send(
      new AllocateAddressCommand({
        Domain: 'vpc',
        TagSpecifications: [{ ResourceType: 'elastic-ip', Tags: tagList(request.tags) }],
      }),
    );
    address = { AllocationId: allocated.AllocationId, PublicIp: allocated.PublicIp };
  }
  const { AllocationId, PublicIp } = address;
  if (!AllocationId || !PublicIp) throw new NotFoundError('EC2 returned an address without an id');
  if (address.InstanceId !== request.instanceId) {
    await client.send(
      new AssociateAddressCommand({
        AllocationId,
        InstanceId: request.instanceId,
        AllowReassociation: true,
      }),
    );
  }
  return PublicIp;
}

/**
 * Release every address tagged `tags`, disassociating it first; the allocation ids released.
 * Addresses of stopped seats are released too: this is for a class that is over.
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
