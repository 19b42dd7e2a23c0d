/** Elastic IPs: allocate (within the account's limit), describe, associate, disassociate, release. */
import type {
  Address,
  AllocateAddressRequest,
  AssociateAddressRequest,
  DescribeAddressesRequest,
  DisassociateAddressRequest,
  ReleaseAddressRequest,
} from '@aws-sdk/client-ec2';
import { ec2Fault } from '../kernel/errors';
import { type Call, operation } from '../kernel/transport';
import type { Ec2Context } from './context';
import { applyFilters, type FilterFields, required, tagsFor } from './filters';
import { findInstances } from './instance-view';
import { type Ec2World, type SimAddress, tagList } from './model';

const FIELDS: FilterFields<SimAddress> = {
  'allocation-id': (a) => [a.allocationId],
  'public-ip': (a) => [a.publicIp],
  'instance-id': (a) => [a.instanceId],
  'association-id': (a) => [a.associationId],
  domain: () => ['vpc'],
};

function view(world: Ec2World, a: SimAddress): Address {
  const instance = a.instanceId ? world.instances.get(a.instanceId) : undefined;
  return {
    AllocationId: a.allocationId,
    PublicIp: a.publicIp,
    Domain: 'vpc',
    InstanceId: a.instanceId,
    AssociationId: a.associationId,
    PrivateIpAddress: instance?.privateIp,
    Tags: tagList(a.tags),
  };
}

/** The address, if a client of `region` sees it (an Elastic IP is its region's). */
function byAllocation(world: Ec2World, id: string | undefined, region?: string): SimAddress {
  const address = world.addresses.get(required(id, 'AllocationId'));
  if (!address || !world.seenFrom(address, region))
    throw ec2Fault('InvalidAllocationID.NotFound', `The allocation ID '${id}' does not exist`);
  return address;
}

export function addressOperations(ctx: Ec2Context) {
  const { world } = ctx;
  const settled = <I>(fn: (input: I, call: Call) => object) =>
    operation((input: I, call) => {
      world.settleAddresses();
      return fn(input, call);
    });
  return {
    AllocateAddress: settled((input: AllocateAddressRequest, { region }) => {
      if (input.Domain !== undefined && input.Domain !== 'vpc') {
        throw ec2Fault('InvalidParameterValue', `Invalid value '${input.Domain}' for domain.`);
      }
      if (world.addresses.size >= ctx.faults.elasticIpLimit) {
        throw ec2Fault('AddressLimitExceeded', 'The maximum number of addresses has been reached.');
      }
      const address = world.allocateElasticIp(
        tagsFor(input.TagSpecifications, 'elastic-ip', ['elastic-ip']),
        region,
      );
      world.events.record('EC2', `${address.allocationId} allocated (${address.publicIp})`);
      return { AllocationId: address.allocationId, PublicIp: address.publicIp, Domain: 'vpc' };
    }),

    DescribeAddresses: settled((input: DescribeAddressesRequest, { region }) => {
      let addresses = [...world.addresses.values()].filter((a) => world.seenFrom(a, region));
      if (input.AllocationIds?.length) {
        addresses = input.AllocationIds.map((id) => byAllocation(world, id, region));
      }
      if (input.PublicIps?.length) {
        addresses = addresses.filter((a) => input.PublicIps?.includes(a.publicIp));
      }
      const matching = applyFilters(addresses, input.Filters, FIELDS, (a) => a.tags);
      return { Addresses: matching.map((a) => view(world, a)) };
    }),

    AssociateAddress: settled((input: AssociateAddressRequest, { region }) => {
      const address = byAllocation(world, input.AllocationId, region);
      const now = world.now();
      const [instance] = findInstances(
        world,
        [required(input.InstanceId, 'InstanceId')],
        now,
        region,
      );
      if (!instance) throw ec2Fault('InvalidInstanceID.NotFound', 'instance not found');
      const state = world.state(instance, now);
      if (state !== 'running' && state !== 'stopped') {
        throw ec2Fault(
          'IncorrectInstanceState',
          `The instance '${instance.instanceId}' is not in a valid state for this operation.`,
        );
      }
      if (
        address.instanceId &&
        address.instanceId !== instance.instanceId &&
        input.AllowReassociation !== true
      ) {
        throw ec2Fault(
          'Resource.AlreadyAssociated',
          `resource ${address.allocationId} is already associated with associate-id ${address.associationId}`,
        );
      }
      const associationId = world.associateElasticIp(address, instance);
      world.events.record('EC2', `${address.publicIp} associated with ${instance.instanceId}`);
      return { AssociationId: associationId };
    }),

    DisassociateAddress: settled((input: DisassociateAddressRequest, { region }) => {
      const id = required(input.AssociationId, 'AssociationId');
      const address = [...world.addresses.values()].find(
        (a) => a.associationId === id && world.seenFrom(a, region),
      );
      if (!address) {
        throw ec2Fault(
          'InvalidAssociationID.NotFound',
          `The association ID '${id}' does not exist`,
        );
      }
      const instance = address.instanceId ? world.instances.get(address.instanceId) : undefined;
      if (instance) {
        world.releasePublicIp(instance);
        // A running instance in a subnet that maps public IPs gets an automatic one back.
        if (world.state(instance) === 'running') {
          instance.publicIp = world.allocatePublicIp(instance.instanceId);
        }
      }
      return {};
    }),

    ReleaseAddress: settled((input: ReleaseAddressRequest, { region }) => {
      const address = byAllocation(world, input.AllocationId, region);
      if (address.associationId) {
        throw ec2Fault(
          'InvalidIPAddress.InUse',
          `Address ${address.publicIp} is in use (associated with ${address.instanceId}).`,
        );
      }
      world.releaseElasticIp(address);
      world.events.record('EC2', `${address.allocationId} released`);
      return {};
    }),
  };
}
