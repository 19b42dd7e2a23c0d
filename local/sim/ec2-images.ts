/** Machine images and their snapshots: the public base images, CreateImage and cleanup. */
import type {
  CreateImageRequest,
  CreateImageResult,
  DeleteSnapshotRequest,
  DeregisterImageRequest,
  DeregisterImageResult,
  DescribeImagesRequest,
  DescribeImagesResult,
  DescribeSnapshotsRequest,
  DescribeSnapshotsResult,
  Image,
  Snapshot,
} from '@aws-sdk/client-ec2';
import { MINUTE, SECOND } from './clock';
import {
  applyFilters,
  checkId,
  type FilterFields,
  paginate,
  required,
  tagsFor,
} from './ec2-filters';
import type { Ec2Context } from './ec2-instances';
import { findInstances } from './ec2-instances';
import {
  type Ec2World,
  type SimImage,
  type SimInstance,
  type SimSnapshot,
  tagList,
} from './ec2-model';
import { ec2Fault } from './errors';
import type { Architecture } from './instance-types';
import { operation } from './transport';

export interface BaseImage {
  /** The SSM public parameter that resolves to this image. */
  parameter: string;
  imageId: string;
  name: string;
  architecture: Architecture;
  ownerId: string;
  ownerAlias?: string;
  rootDeviceName: string;
}

const CANONICAL = '099720109477';
const DEBIAN = '136693071363';
const AMAZON = '137112412989';

export const BASE_IMAGES: readonly BaseImage[] = [
  {
    parameter: '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id',
    imageId: 'ami-0a7d80731ae1b2435',
    name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20261015',
    architecture: 'x86_64',
    ownerId: CANONICAL,
    rootDeviceName: '/dev/sda1',
  },
  {
    parameter: '/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id',
    imageId: 'ami-0c4e709339fa8521a',
    name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20261015',
    architecture: 'arm64',
    ownerId: CANONICAL,
    rootDeviceName: '/dev/sda1',
  },
  {
    parameter: '/aws/service/debian/release/12/latest/amd64',
    imageId: 'ami-064519b8c76274859',
    name: 'debian-12-amd64-20261010-2262',
    architecture: 'x86_64',
    ownerId: DEBIAN,
    rootDeviceName: '/dev/xvda',
  },
  {
    parameter: '/aws/service/debian/release/12/latest/arm64',
    imageId: 'ami-0789039e34e739d67',
    name: 'debian-12-arm64-20261010-2262',
    architecture: 'arm64',
    ownerId: DEBIAN,
    rootDeviceName: '/dev/xvda',
  },
  {
    parameter: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
    imageId: 'ami-0453ec754f44f9a4a',
    name: 'al2023-ami-2023.9.20261020.0-kernel-6.1-x86_64',
    architecture: 'x86_64',
    ownerId: AMAZON,
    ownerAlias: 'amazon',
    rootDeviceName: '/dev/xvda',
  },
  {
    parameter: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
    imageId: 'ami-0b8c2d5e8e4a5f7a9',
    name: 'al2023-ami-2023.9.20261020.0-kernel-6.1-arm64',
    architecture: 'arm64',
    ownerId: AMAZON,
    ownerAlias: 'amazon',
    rootDeviceName: '/dev/xvda',
  },
];

export function addBaseImages(world: Ec2World): void {
  const published = world.now() - 30 * 24 * 60 * MINUTE;
  for (const base of BASE_IMAGES) {
    world.images.set(base.imageId, {
      imageId: base.imageId,
      name: base.name,
      ownerId: base.ownerId,
      ownerAlias: base.ownerAlias,
      architecture: base.architecture,
      rootDeviceName: base.rootDeviceName,
      createdAt: published,
      readyAt: published,
      outcome: 'available',
      tags: new Map(),
      devices: [
        {
          deviceName: base.rootDeviceName,
          snapshotId: world.newId('snap'),
          sizeGb: 8,
          encrypted: false,
        },
      ],
      isPublic: true,
      booted: true,
    });
  }
}

export function imageState(image: SimImage, now: number): 'pending' | 'available' | 'failed' {
  return now < image.readyAt ? 'pending' : image.outcome;
}

function snapshotState(snapshot: SimSnapshot, now: number): 'pending' | 'completed' | 'error' {
  return now < snapshot.readyAt ? 'pending' : snapshot.outcome;
}

export function findImage(world: Ec2World, imageId: string): SimImage {
  checkId(imageId, 'ami', 'InvalidAMIID');
  const image = world.images.get(imageId);
  if (!image) throw ec2Fault('InvalidAMIID.NotFound', `The image id '[${imageId}]' does not exist`);
  return image;
}

/** An image RunInstances accepts: it exists and is `available`. */
export function launchableImage(world: Ec2World, imageId: string, now: number): SimImage {
  const image = findImage(world, imageId);
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

function describeSnapshot(world: Ec2World, snapshot: SimSnapshot, now: number): Snapshot {
  const state = snapshotState(snapshot, now);
  const span = Math.max(1, snapshot.readyAt - snapshot.startedAt);
  const progress =
    state === 'pending' ? Math.min(99, Math.floor((100 * (now - snapshot.startedAt)) / span)) : 100;
  return {
    SnapshotId: snapshot.snapshotId,
    VolumeId: snapshot.volumeId,
    State: state,
    StartTime: new Date(snapshot.startedAt),
    Progress: `${progress}%`,
    OwnerId: world.account,
    Description: snapshot.description,
    VolumeSize: snapshot.sizeGb,
    Encrypted: snapshot.encrypted,
    StorageTier: 'standard',
    Tags: snapshot.tags.size ? tagList(snapshot.tags) : undefined,
  };
}

const AMI_NAME = /^[a-zA-Z0-9()[\] ./\-'@_]{3,128}$/;

type Stated<R> = { resource: R; state: string };

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

const SNAPSHOT_FILTERS: FilterFields<Stated<SimSnapshot>> = {
  status: ({ state }) => [state],
  'snapshot-id': ({ resource }) => [resource.snapshotId],
  'volume-id': ({ resource }) => [resource.volumeId],
  description: ({ resource }) => [resource.description],
  'owner-id': () => [],
  encrypted: ({ resource }) => [String(resource.encrypted)],
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
    CreateImage: operation((input: CreateImageRequest): CreateImageResult => {
      const now = world.now();
      const instanceId = required(input.InstanceId, 'InstanceId');
      const instance = findInstances(world, [instanceId], now)[0] as SimInstance;
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

    DescribeImages: operation((input: DescribeImagesRequest): DescribeImagesResult => {
      const now = world.now();
      const ids = input.ImageIds ?? [];
      let chosen = ids.length ? ids.map((id) => findImage(world, id)) : [...world.images.values()];
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

    DeregisterImage: operation((input: DeregisterImageRequest): DeregisterImageResult => {
      const image = findImage(world, required(input.ImageId, 'ImageId'));
      if (image.ownerId !== world.account)
        throw ec2Fault('AuthFailure', `Not authorized for image:${image.imageId}`);
      world.images.delete(image.imageId);
      world.deregistered.set(image.imageId, image);
      const deleted = input.DeleteAssociatedSnapshots ? image.devices.map((d) => d.snapshotId) : [];
      for (const id of deleted) world.snapshots.delete(id);
      world.events.record('EC2', `image ${image.imageId} deregistered`);
      return {
        Return: true,
        DeleteSnapshotResults: deleted.length
          ? deleted.map((SnapshotId) => ({ SnapshotId, ReturnCode: 'success' }))
          : undefined,
      };
    }),

    DeleteSnapshot: operation((input: DeleteSnapshotRequest) => {
      const id = required(input.SnapshotId, 'SnapshotId');
      checkId(id, 'snap', 'InvalidSnapshotID');
      if (!world.snapshots.has(id))
        throw ec2Fault('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`);
      const user = [...world.images.values()].find((i) =>
        i.devices.some((d) => d.snapshotId === id),
      );
      if (user)
        throw ec2Fault(
          'InvalidSnapshot.InUse',
          `The snapshot ${id} is currently in use by ${user.imageId}`,
        );
      world.snapshots.delete(id);
      world.events.record('EC2', `snapshot ${id} deleted`);
      return {};
    }),

    DescribeSnapshots: operation((input: DescribeSnapshotsRequest): DescribeSnapshotsResult => {
      const now = world.now();
      const ids = input.SnapshotIds ?? [];
      const missing = ids.filter((id) => !world.snapshots.has(id));
      if (missing.length)
        throw ec2Fault(
          'InvalidSnapshot.NotFound',
          `The snapshot '${missing.join(', ')}' does not exist.`,
        );
      const owners = input.OwnerIds ?? [];
      const foreign = owners.length > 0 && !owners.some((o) => o === 'self' || o === world.account);
      const chosen = foreign
        ? []
        : ids.length
          ? ids.map((id) => world.snapshots.get(id) as SimSnapshot)
          : [...world.snapshots.values()];
      const stated = chosen.map((resource) => ({ resource, state: snapshotState(resource, now) }));
      const filtered = applyFilters(
        stated,
        input.Filters,
        SNAPSHOT_FILTERS,
        (r) => r.resource.tags,
      );
      const page = paginate(filtered, input.MaxResults, input.NextToken);
      return {
        Snapshots: page.items.map((r) => describeSnapshot(world, r.resource, now)),
        NextToken: page.nextToken,
      };
    }),
  };
}
