/** Machine images: CreateImage from an instance, its lifecycle, describe, copy and deregister. */
import type {
  CreateImageRequest,
  CreateImageResult,
  DeregisterImageRequest,
  DeregisterImageResult,
  DescribeImagesRequest,
  DescribeImagesResult,
  Image,
} from '@aws-sdk/client-ec2';
import { MINUTE, SECOND } from '../kernel/clock';
import { ec2Fault } from '../kernel/errors';
import { operation } from '../kernel/transport';
import type { Ec2Context } from './context';
import {
  applyFilters,
  checkId,
  type FilterFields,
  paginate,
  required,
  type Stated,
  tagsFor,
} from './filters';
import { findInstances } from './instance-view';
import { type Ec2World, type SimImage, type SimInstance, type SimSnapshot, tagList } from './model';

export function imageState(image: SimImage, now: number): 'pending' | 'available' | 'failed' {
  return now < image.readyAt ? 'pending' : image.outcome;
}

/**
 * Whether a client of `region` (unset: the account's own) sees the image. An image of the
 * account lives in its own region only: the account's region, or the one it was copied to or
 * made in. AWS's public base images are offered in every region (the simulator gives them the
 * same ids everywhere).
 */
export function visibleIn(world: Ec2World, image: SimImage, region: string | undefined): boolean {
  return image.isPublic || (image.region ?? world.region) === (region ?? world.region);
}

export function findImage(world: Ec2World, imageId: string, region?: string): SimImage {
  checkId(imageId, 'ami', 'InvalidAMIID');
  const image = world.images.get(imageId);
  if (!image || !visibleIn(world, image, region))
    throw ec2Fault('InvalidAMIID.NotFound', `The image id '[${imageId}]' does not exist`);
  return image;
}

/** An image RunInstances accepts: it exists and is `available`. */
export function launchableImage(
  world: Ec2World,
  imageId: string,
  now: number,
  region?: string,
): SimImage {
  const image = findImage(world, imageId, region);
  const state = imageState(image, now);
  if (state !== 'available') {
    throw ec2Fault('InvalidAMIID.Unavailable', `AMI '${imageId}' is ${state}, and cannot be run`);
  }
  return image;
}

function describeImage(image: SimImage, now: number): Image {
  const state = imageState(image, now);
  return {
    ImageId: image.imageId,
    Name: image.name,
    Description: image.description,
    State: state,
    StateReason:
      state === 'failed'
        ? {
            Code: 'Server.InternalError',
            Message: 'Server.InternalError: Internal error on snapshot',
          }
        : undefined,
    OwnerId: image.ownerId,
    ImageOwnerAlias: image.ownerAlias,
    ImageLocation: `${image.ownerAlias ?? image.ownerId}/${image.name}`,
    CreationDate: new Date(image.createdAt).toISOString(),
    Public: image.isPublic,
    Architecture: image.architecture,
    ImageType: 'machine',
    RootDeviceName: image.rootDeviceName,
    RootDeviceType: 'ebs',
    BlockDeviceMappings: image.devices.map((d) => ({
      DeviceName: d.deviceName,
      Ebs: {
        SnapshotId: d.snapshotId,
        VolumeSize: d.sizeGb,
        VolumeType: 'gp3',
        DeleteOnTermination: true,
        Encrypted: d.encrypted,
      },
    })),
    Tags: image.tags.size ? tagList(image.tags) : undefined,
    VirtualizationType: 'hvm',
    Hypervisor: 'xen',
    EnaSupport: true,
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
    SourceInstanceId: image.sourceInstanceId,
    PublicSsmParameterName: undefined,
  };
}

export const AMI_NAME = /^[a-zA-Z0-9()[\] ./\-'@_]{3,128}$/;

const IMAGE_FILTERS: FilterFields<Stated<SimImage>> = {
  name: ({ resource }) => [resource.name],
  state: ({ state }) => [state],
  'image-id': ({ resource }) => [resource.imageId],
  architecture: ({ resource }) => [resource.architecture],
  'owner-id': ({ resource }) => [resource.ownerId],
  'owner-alias': ({ resource }) => [resource.ownerAlias],
  'is-public': ({ resource }) => [String(resource.isPublic)],
  description: ({ resource }) => [resource.description],
  'block-device-mapping.snapshot-id': ({ resource }) => resource.devices.map((d) => d.snapshotId),
};

/**
 * CreateImage without NoReboot reboots the instance: the agent drops off for a while, and boot
 * hooks run again, re-arming a user-data power-off timer.
 */
function reboot(world: Ec2World, instance: SimInstance, now: number): void {
  const back = now + world.random.between(30, 90) * SECOND;
  const agentAt = world.phase(instance, now).agentAt ?? Infinity;
  world.reschedule(instance, now, world.powerOff(instance, back));
  world.phase(instance, now).agentAt = Math.max(agentAt, back);
}

export function imageOperations(ctx: Ec2Context) {
  const { world } = ctx;

  const ownedBy = (owners: string[], image: SimImage) =>
    owners.some((owner) =>
      owner === 'self'
        ? image.ownerId === world.account
        : owner === image.ownerId || owner === image.ownerAlias,
    );

  return {
    CreateImage: operation((input: CreateImageRequest, { region }): CreateImageResult => {
      const now = world.now();
      const instanceId = required(input.InstanceId, 'InstanceId');
      const instance = findInstances(world, [instanceId], now, region)[0] as SimInstance;
      // An image (and its snapshots) made in another region than the account's lives there.
      const where = region !== undefined && region !== world.region ? { region } : {};
      const name = required(input.Name, 'Name');
      const state = world.state(instance, now);
      if (state !== 'running' && state !== 'stopped') {
        throw ec2Fault(
          'IncorrectInstanceState',
          `Instance '${instance.instanceId}' is not in a state from which it can be imaged.`,
        );
      }
      if (!AMI_NAME.test(name)) {
        throw ec2Fault(
          'InvalidAMIName.Malformed',
          "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'",
        );
      }
      const clash = [...world.images.values()].find(
        (i) => i.name === name && i.ownerId === world.account,
      );
      if (clash)
        throw ec2Fault(
          'InvalidAMIName.Duplicate',
          `AMI name ${name} is already in use by AMI ${clash.imageId}`,
        );
      const imageTags = tagsFor(input.TagSpecifications, 'image', ['image', 'snapshot']);
      const snapshotTags = tagsFor(input.TagSpecifications, 'snapshot', ['image', 'snapshot']);
      const source = world.images.get(instance.imageId);
      const imageId = world.newId('ami');
      const readyAt = now + world.random.latency(6 * MINUTE, 20 * MINUTE, 60 * MINUTE);
      const failed = ctx.faults.takeImageFailure();
      const devices = instance.volumes.map((volume) => {
        const snapshot: SimSnapshot = {
          snapshotId: world.newId('snap'),
          volumeId: volume.volumeId,
          sizeGb: volume.sizeGb,
          encrypted: volume.encrypted,
          description: `Created by CreateImage(${instance.instanceId}) for ${imageId}`,
          startedAt: now,
          readyAt,
          outcome: failed ? 'error' : 'completed',
          tags: new Map(snapshotTags),
          ...where,
        };
        world.snapshots.set(snapshot.snapshotId, snapshot);
        return {
          deviceName: volume.deviceName,
          snapshotId: snapshot.snapshotId,
          sizeGb: volume.sizeGb,
          encrypted: volume.encrypted,
        };
      });
      world.images.set(imageId, {
        ...where,
        imageId,
        name,
        description: input.Description,
        ownerId: world.account,
        architecture: source?.architecture ?? instance.architecture,
        rootDeviceName: instance.volumes[0]?.deviceName ?? '/dev/xvda',
        createdAt: now,
        readyAt,
        outcome: failed ? 'failed' : 'available',
        tags: imageTags,
        devices,
        isPublic: false,
        booted: false,
        sourceInstanceId: instance.instanceId,
      });
      if (!input.NoReboot && state === 'running') reboot(world, instance, now);
      world.events.record('EC2', `image ${imageId} (${name}) pending from ${instance.instanceId}`);
      return { ImageId: imageId };
    }),

    DescribeImages: operation((input: DescribeImagesRequest, { region }): DescribeImagesResult => {
      const now = world.now();
      const ids = input.ImageIds ?? [];
      let chosen = ids.length
        ? ids.map((id) => findImage(world, id, region))
        : [...world.images.values()].filter((image) => visibleIn(world, image, region));
      if (input.Owners?.length)
        chosen = chosen.filter((image) => ownedBy(input.Owners ?? [], image));
      const stated = chosen.map((resource) => ({ resource, state: imageState(resource, now) }));
      const filtered = applyFilters(stated, input.Filters, IMAGE_FILTERS, (r) => r.resource.tags);
      const page = paginate(filtered, input.MaxResults, input.NextToken, { min: 6, max: 1000 });
      return {
        Images: page.items.map((r) => describeImage(r.resource, now)),
        NextToken: page.nextToken,
      };
    }),

    DeregisterImage: operation(
      (input: DeregisterImageRequest, { region }): DeregisterImageResult => {
        const image = findImage(world, required(input.ImageId, 'ImageId'), region);
        if (image.ownerId !== world.account)
          throw ec2Fault('AuthFailure', `Not authorized for image:${image.imageId}`);
        world.images.delete(image.imageId);
        world.deregistered.set(image.imageId, image);
        const deleted = input.DeleteAssociatedSnapshots
          ? image.devices.map((d) => d.snapshotId)
          : [];
        for (const id of deleted) world.snapshots.delete(id);
        world.events.record('EC2', `image ${image.imageId} deregistered`);
        return {
          Return: true,
          DeleteSnapshotResults: deleted.length
            ? deleted.map((SnapshotId) => ({ SnapshotId, ReturnCode: 'success' }))
            : undefined,
        };
      },
    ),
  };
}
