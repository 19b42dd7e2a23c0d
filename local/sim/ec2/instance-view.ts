/** Instances as DescribeInstances shows them, and the lookups and filters that find them. */
import type { Instance, _InstanceType as InstanceTypeName, Reservation } from '@aws-sdk/client-ec2';
import { ec2Fault } from '../kernel/errors';
import { checkId, type FilterFields } from './filters';
import {
  type Ec2World,
  type InstanceStateName,
  type SimInstance,
  STATE_CODES,
  tagList,
} from './model';

export const stateOf = (name: InstanceStateName) => ({ Code: STATE_CODES[name], Name: name });

const dashed = (ip: string) => ip.replaceAll('.', '-');

export function describeInstance(world: Ec2World, instance: SimInstance, now: number): Instance {
  const state = world.state(instance, now);
  const gone = state === 'terminated';
  const reachable = state === 'pending' || state === 'running';
  const publicIp = reachable ? instance.publicIp : undefined;
  const userStopped =
    state === 'stopped' || state === 'stopping' || state === 'shutting-down' || gone;
  return {
    InstanceId: instance.instanceId,
    ImageId: instance.imageId,
    InstanceType: instance.instanceType as InstanceTypeName,
    KeyName: instance.keyName,
    LaunchTime: new Date(instance.launchTime),
    AmiLaunchIndex: instance.launchIndex,
    Placement: { AvailabilityZone: instance.az, Tenancy: 'default', GroupName: '' },
    SubnetId: gone ? undefined : instance.subnetId,
    VpcId: gone ? undefined : instance.vpcId,
    PrivateIpAddress: gone ? undefined : instance.privateIp,
    PrivateDnsName: gone ? '' : `ip-${dashed(instance.privateIp)}.ec2.internal`,
    PublicIpAddress: publicIp,
    PublicDnsName: publicIp ? `ec2-${dashed(publicIp)}.compute-1.amazonaws.com` : '',
    State: stateOf(state),
    StateTransitionReason: userStopped
      ? `User initiated (${new Date(world.phase(instance, now).at).toISOString().replace('T', ' ').slice(0, 19)} GMT)`
      : '',
    StateReason: userStopped
      ? {
          Code: 'Client.UserInitiatedShutdown',
          Message: 'Client.UserInitiatedShutdown: User initiated shutdown',
        }
      : undefined,
    Architecture: instance.architecture,
    RootDeviceName: instance.volumes[0]?.deviceName,
    RootDeviceType: 'ebs',
    BlockDeviceMappings: gone
      ? []
      : instance.volumes.map((v) => ({
          DeviceName: v.deviceName,
          Ebs: {
            VolumeId: v.volumeId,
            Status: 'attached',
            AttachTime: new Date(instance.launchTime),
            DeleteOnTermination: v.deleteOnTermination,
          },
        })),
    SecurityGroups: gone
      ? []
      : instance.securityGroupIds.map((id) => ({
          GroupId: id,
          GroupName: world.groups.get(id)?.name,
        })),
    IamInstanceProfile: instance.iamInstanceProfile && {
      Arn:
        instance.iamInstanceProfile.Arn ??
        `arn:aws:iam::${world.account}:instance-profile/${instance.iamInstanceProfile.Name}`,
      Id: 'AIPA0000000000000000',
    },
    MetadataOptions: {
      State: 'applied',
      HttpTokens: instance.metadataOptions?.HttpTokens === 'optional' ? 'optional' : 'required',
      HttpEndpoint: instance.metadataOptions?.HttpEndpoint === 'disabled' ? 'disabled' : 'enabled',
      HttpPutResponseHopLimit: Number(instance.metadataOptions?.HttpPutResponseHopLimit ?? 2),
    },
    InstanceLifecycle: instance.market === 'spot' ? 'spot' : undefined,
    SpotInstanceRequestId: instance.spotRequestId,
    ClientToken: instance.clientToken ?? '',
    Tags: instance.tags.size ? tagList(instance.tags) : undefined,
    Monitoring: { State: 'disabled' },
    Hypervisor: 'xen',
    VirtualizationType: 'hvm',
    EbsOptimized: false,
    EnaSupport: true,
    SourceDestCheck: true,
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
  };
}

export const INSTANCE_FILTERS: FilterFields<{ instance: SimInstance; state: InstanceStateName }> = {
  'instance-state-name': ({ state }) => [state],
  'instance-state-code': ({ state }) => [String(STATE_CODES[state])],
  'instance-id': ({ instance }) => [instance.instanceId],
  'image-id': ({ instance }) => [instance.imageId],
  'instance-type': ({ instance }) => [instance.instanceType],
  'availability-zone': ({ instance }) => [instance.az],
  'subnet-id': ({ instance }) => [instance.subnetId],
  'vpc-id': ({ instance }) => [instance.vpcId],
  'reservation-id': ({ instance }) => [instance.reservationId],
  'client-token': ({ instance }) => [instance.clientToken],
  'instance-lifecycle': ({ instance }) => [instance.market === 'spot' ? 'spot' : undefined],
  'spot-instance-request-id': ({ instance }) => [instance.spotRequestId],
  'ip-address': ({ instance }) => [instance.publicIp],
  'private-ip-address': ({ instance }) => [instance.privateIp],
  'instance.group-id': ({ instance }) => instance.securityGroupIds,
  'iam-instance-profile.arn': ({ instance }) => [instance.iamInstanceProfile?.Arn],
};

/**
 * The named instances, or InvalidInstanceID.NotFound naming every one that is missing: gone, or
 * in another region than the client's (`region`, unset: the account's own).
 */
export function findInstances(
  world: Ec2World,
  ids: string[],
  now: number,
  region?: string,
): SimInstance[] {
  for (const id of ids) checkId(id, 'i', 'InvalidInstanceID');
  const missing = ids.filter((id) => {
    const instance = world.instances.get(id);
    return !instance || world.isGone(instance, now) || !world.seenFrom(instance, region);
  });
  if (missing.length === 1) {
    throw ec2Fault('InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`);
  }
  if (missing.length > 1) {
    throw ec2Fault(
      'InvalidInstanceID.NotFound',
      `The instance IDs '${missing.join(', ')}' do not exist`,
    );
  }
  return ids.map((id) => world.instances.get(id) as SimInstance);
}

export function reservations(
  world: Ec2World,
  instances: SimInstance[],
  now: number,
): Reservation[] {
  const byReservation = new Map<string, Reservation>();
  for (const instance of instances) {
    const reservation = byReservation.get(instance.reservationId) ?? {
      ReservationId: instance.reservationId,
      OwnerId: world.account,
      Groups: [],
      Instances: [],
    };
    reservation.Instances?.push(describeInstance(world, instance, now));
    byReservation.set(instance.reservationId, reservation);
  }
  return [...byReservation.values()];
}

export function reservationOf(world: Ec2World, instances: SimInstance[], now: number): Reservation {
  return reservations(world, instances, now)[0] ?? {};
}
