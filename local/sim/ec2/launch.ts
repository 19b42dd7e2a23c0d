/**
 * RunInstances: MinCount/MaxCount, idempotent ClientTokens, capacity and vCPU limits, subnets,
 * security groups, spot (one Spot Instance request per instance, see spot.ts), tags on instances,
 * volumes and spot requests. Everything else asked for is recorded.
 */
import type { BlockDeviceMapping, Reservation, RunInstancesRequest } from '@aws-sdk/client-ec2';
import { firstBoot } from '../guest/cloud-init';
import { ec2Fault, throttled } from '../kernel/errors';
import { operation, UnsimulatedOperationError } from '../kernel/transport';
import { agentCanRegister, type Ec2Context } from './context';
import { checkId, required, tagsFor } from './filters';
import { launchableImage } from './images';
import { instanceType } from './instance-types';
import { reservationOf } from './instance-view';
import {
  canonical,
  checkClientToken,
  checkInstanceProfile,
  checkUserData,
  counts,
} from './launch-checks';
import {
  type SimImage,
  type SimInstance,
  type SimSubnet,
  type SimVolume,
  userDataText,
} from './model';
import { defaultGroup, findGroup } from './security-groups';
import { openSpotRequest, spotRequestKind } from './spot';
import { subnetsIn } from './vpc';

const TAGGABLE = ['instance', 'volume', 'network-interface', 'spot-instances-request'] as const;

type VolumeSpec = Omit<SimVolume, 'volumeId' | 'tags'>;

export function launchOperations(ctx: Ec2Context) {
  const { world, faults } = ctx;
  const byToken = new Map<string, { fingerprint: string; instanceIds: string[] }>();

  function chooseSubnet(
    input: RunInstancesRequest,
    type: string,
    market: 'spot' | 'on-demand',
    region: string | undefined,
  ): SimSubnet {
    const subnets = subnetsIn(world, region);
    const nic = input.NetworkInterfaces?.[0];
    if (nic?.SubnetId && input.SubnetId) {
      throw ec2Fault(
        'InvalidParameterCombination',
        'Network interfaces and an instance-level subnet ID may not be specified on the same request',
      );
    }
    const subnetId = input.SubnetId ?? nic?.SubnetId;
    if (subnetId) {
      const subnet = subnets.find((s) => s.subnetId === subnetId);
      if (!subnet)
        throw ec2Fault('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`);
      return subnet;
    }
    const az = input.Placement?.AvailabilityZone;
    if (az) {
      const subnet = subnets.find((s) => s.az === az);
      if (!subnet) throw ec2Fault('InvalidParameterValue', `Invalid availability zone: [${az}]`);
      return subnet;
    }
    const healthy = subnets.find(
      (s) => !faults.capacityFor({ az: s.az, instanceType: type, market }),
    );
    return healthy ?? (subnets[0] as SimSubnet);
  }

  /** The launch's groups: each in the subnet's VPC, as EC2 requires. */
  function securityGroups(input: RunInstancesRequest, subnet: SimSubnet): string[] {
    const ids = input.SecurityGroupIds ?? input.NetworkInterfaces?.[0]?.Groups ?? [];
    const names = input.SecurityGroups ?? [];
    for (const id of ids) {
      if (world.groups.get(id)?.vpcId !== subnet.vpcId) {
        throw ec2Fault(
          'InvalidGroup.NotFound',
          `The security group '${id}' does not exist in VPC '${subnet.vpcId}'`,
        );
      }
    }
    const region = subnet.region;
    const resolved = [
      ...ids,
      ...names.map((name) => findGroup(world, undefined, name, region).groupId),
    ];
    return resolved.length ? resolved : [defaultGroup(world, region).groupId];
  }

  /** The volumes each instance gets: the image's devices (resized if asked) plus new ones. */
  function volumeSpecs(image: SimImage, mappings: BlockDeviceMapping[] | undefined): VolumeSpec[] {
    const byDevice = new Map((mappings ?? []).map((m) => [m.DeviceName, m]));
    const fromImage = image.devices.map((device) => {
      const override = byDevice.get(device.deviceName)?.Ebs;
      byDevice.delete(device.deviceName);
      const sizeGb = override?.VolumeSize ?? device.sizeGb;
      if (sizeGb < device.sizeGb) {
        throw ec2Fault(
          'InvalidBlockDeviceMapping',
          `Volume of size ${sizeGb}GB is smaller than snapshot '${device.snapshotId}', expect size >= ${device.sizeGb}GB`,
        );
      }
      return {
        deviceName: device.deviceName,
        sizeGb,
        encrypted: override?.Encrypted ?? device.encrypted,
        deleteOnTermination: override?.DeleteOnTermination ?? true,
      };
    });
    const added = [...byDevice.values()]
      .filter((m) => m.Ebs)
      .map((m) => ({
        deviceName: required(m.DeviceName, 'BlockDeviceMapping.DeviceName'),
        sizeGb: required(m.Ebs?.VolumeSize, 'BlockDeviceMapping.Ebs.VolumeSize'),
        encrypted: m.Ebs?.Encrypted ?? false,
        deleteOnTermination: m.Ebs?.DeleteOnTermination ?? true,
      }));
    const specs = [...fromImage, ...added];
    for (const spec of specs) {
      if (spec.sizeGb < 1 || spec.sizeGb > 16384) {
        throw ec2Fault(
          'InvalidParameterValue',
          `Volume size ${spec.sizeGb}GB is out of range (1-16384)`,
        );
      }
    }
    return specs;
  }

  /** How many instances of this request can start now, given vCPU limit and capacity faults. */
  function launchable(request: {
    min: number;
    max: number;
    vcpus: number;
    az: string;
    type: string;
    market: 'spot' | 'on-demand';
  }): number {
    const { min, max, vcpus, az, type, market } = request;
    const now = world.now();
    const used = [...world.instances.values()]
      .filter((i) => ['pending', 'running'].includes(world.state(i, now)))
      .reduce((sum, i) => sum + (instanceType(i.instanceType)?.vcpus ?? 0), 0);
    const byLimit = Math.floor((faults.vcpuLimit - used) / vcpus);
    if (byLimit < min) {
      throw ec2Fault(
        'VcpuLimitExceeded',
        `You have requested more vCPU capacity than your current vCPU limit of ${faults.vcpuLimit} allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.`,
      );
    }
    const fault = faults.capacityFor({ az, instanceType: type, market });
    if (!fault) return Math.min(max, byLimit);
    faults.consumeCapacity(fault);
    const count = Math.min(max, byLimit, fault.available ?? 0);
    if (count < min) {
      const others = world.subnets
        .filter((s) => s.az.startsWith(az.slice(0, -1)))
        .map((s) => s.az)
        .filter((other) => other !== az);
      throw ec2Fault(
        'InsufficientInstanceCapacity',
        market === 'spot'
          ? 'There is no Spot capacity available that matches your request.'
          : `We currently do not have sufficient ${type} capacity in the Availability Zone you requested (${az}). Our system will be working on provisioning additional capacity. You can currently get ${type} capacity by not specifying an Availability Zone in your request or choosing ${others.join(', ')}.`,
        500,
      );
    }
    return count;
  }

  return {
    RunInstances: operation((input: RunInstancesRequest, { region }): Reservation => {
      const now = world.now();
      const { min, max } = counts(input);
      checkClientToken(input.ClientToken);
      const { ClientToken: token, DryRun: _dryRun, ...asked } = input;
      const fingerprint = canonical(asked);
      // A ClientToken is unique per region, as EC2 keeps it.
      const tokenKey = `${region ?? world.region} ${token}`;
      const earlier = token === undefined ? undefined : byToken.get(tokenKey);
      if (earlier) {
        if (earlier.fingerprint !== fingerprint) {
          throw ec2Fault(
            'IdempotentParameterMismatch',
            'Arguments on this idempotent request are inconsistent with arguments used in previous request(s).',
          );
        }
        return reservationOf(
          world,
          earlier.instanceIds.map((id) => world.instances.get(id) as SimInstance),
          now,
        );
      }
      if (input.LaunchTemplate)
        throw new UnsimulatedOperationError('RunInstances with a LaunchTemplate is not simulated');
      const imageId = required(input.ImageId, 'ImageId');
      checkId(imageId, 'ami', 'InvalidAMIID');
      const image = launchableImage(world, imageId, now, region);
      const typeName = input.InstanceType ?? 'm1.small';
      const type = instanceType(typeName);
      if (!type)
        throw ec2Fault('InvalidParameterValue', `Invalid value '${typeName}' for InstanceType.`);
      if (type.arch !== image.architecture) {
        throw ec2Fault(
          'InvalidParameterValue',
          `The architecture '${type.arch}' of the specified instance type does not match the architecture '${image.architecture}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.`,
        );
      }
      checkUserData(input.UserData);
      checkInstanceProfile(input.IamInstanceProfile, ctx.instanceProfiles);
      const market = input.InstanceMarketOptions?.MarketType === 'spot' ? 'spot' : 'on-demand';
      const spot = market === 'spot' ? spotRequestKind(input.InstanceMarketOptions) : undefined;
      const subnet = chooseSubnet(input, typeName, market, region);
      const groupIds = securityGroups(input, subnet);
      const instanceTags = tagsFor(input.TagSpecifications, 'instance', TAGGABLE);
      const volumeTags = tagsFor(input.TagSpecifications, 'volume', TAGGABLE);
      const spotTags = tagsFor(input.TagSpecifications, 'spot-instances-request', TAGGABLE);
      const specs = volumeSpecs(image, input.BlockDeviceMappings);
      const count = launchable({
        min,
        max,
        vcpus: type.vcpus,
        az: subnet.az,
        type: typeName,
        market,
      });
      if (!ctx.throttle.admitResources('RunInstances', count)) throw throttled('EC2');

      const reservationId = world.newId('r');
      const publicIp = input.NetworkInterfaces?.[0]?.AssociatePublicIpAddress ?? true;
      const launched: SimInstance[] = [];
      for (let launchIndex = 0; launchIndex < count; launchIndex++) {
        const instance: SimInstance = {
          instanceId: world.newId('i'),
          reservationId,
          launchIndex,
          imageId,
          instanceType: typeName,
          architecture: type.arch,
          az: subnet.az,
          subnetId: subnet.subnetId,
          vpcId: subnet.vpcId,
          privateIp: world.allocatePrivateIp(subnet),
          securityGroupIds: groupIds,
          market,
          clientToken: token,
          launchTime: now,
          tags: new Map(instanceTags),
          volumes: specs.map((spec) => ({
            ...spec,
            volumeId: world.newId('vol'),
            tags: new Map(volumeTags),
          })),
          iamInstanceProfile: input.IamInstanceProfile,
          metadataOptions: input.MetadataOptions as Record<string, unknown> | undefined,
          userData: input.UserData,
          keyName: input.KeyName,
          shutdownBehavior:
            input.InstanceInitiatedShutdownBehavior === 'terminate' ? 'terminate' : 'stop',
          coldImage: !image.booted,
          phases: [],
        };
        instance.phases = world.boot(instance, now, agentCanRegister(ctx, instance));
        instance.firstBoot = firstBoot(
          userDataText(input.UserData),
          launchIndex,
          instance.coldImage,
          world.random,
          ctx.faults,
        );
        if (publicIp) instance.publicIp = world.allocatePublicIp(instance.instanceId);
        if (spot) openSpotRequest(world, instance, { ...spot, publicIp, tags: spotTags });
        for (const volume of instance.volumes) world.volumes.set(volume.volumeId, volume);
        world.instances.set(instance.instanceId, instance);
        launched.push(instance);
      }
      image.booted = true;
      if (token !== undefined)
        byToken.set(tokenKey, { fingerprint, instanceIds: launched.map((i) => i.instanceId) });
      world.events.record(
        'EC2',
        `launched ${count} × ${typeName}${market === 'spot' ? ' (spot)' : ''} in ${subnet.az} from ${imageId}`,
      );
      const reservation = reservationOf(world, launched, now);
      for (const instance of reservation.Instances ?? []) {
        instance.PublicIpAddress = undefined;
        instance.PublicDnsName = '';
      }
      return reservation;
    }),
  };
}
