/**
 * EC2 adapter: launches, finds and ends instances and images; lists the account's instances,
 * images and snapshots for the teardown.
 */
import {
  CancelSpotInstanceRequestsCommand,
  CreateImageCommand,
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  type Filter,
  type Image,
  type Instance,
  paginateDescribeImages,
  paginateDescribeInstances,
  paginateDescribeSnapshots,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { NotFoundError } from '../base/errors';
import type { InstanceSummary, LaunchSpec } from '../core/launch';
import type { Tags } from '../core/tags';
import type { FleetImage, FleetInstance, FleetSnapshot } from '../core/teardown/fleet';
import { ec2Client } from './clients';
import { tagFilters, tagList } from './ec2-tags';

function summary(instance: Instance): InstanceSummary {
  return {
    instanceId: instance.InstanceId ?? '',
    state: instance.State?.Name ?? 'unknown',
    instanceType: instance.InstanceType,
    availabilityZone: instance.Placement?.AvailabilityZone,
    subnetId: instance.SubnetId,
    publicIp: instance.PublicIpAddress,
    spotRequestId: instance.SpotInstanceRequestId,
    launchIndex: instance.AmiLaunchIndex,
    tags: Object.fromEntries((instance.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
  };
}

/**
 * RunInstances with the non-negotiables applied: IMDSv2 only, encrypted volumes, no SSH key,
 * tags on instance, volumes and spot request at creation (so nothing untagged ever exists).
 *
 * Spot seats come from persistent requests that stop on interruption: EC2 refuses to stop an
 * instance of a one-time request, and a class's seats are stopped at every session's end. A
 * persistent request relaunches a terminated instance unless it is cancelled first (see
 * `cancelSpotRequests`).
 */
export async function launchInstances(
  region: string,
  spec: LaunchSpec,
): Promise<InstanceSummary[]> {
  const root = {
    device: spec.rootDeviceName,
    sizeGiB: spec.rootVolumeGiB,
    type: 'gp3',
    encrypted: true,
  };
  const volumes: NonNullable<LaunchSpec['volumes']> = [root, ...(spec.volumes ?? [])];
  const output = await ec2Client(region).send(
    new RunInstancesCommand({
      ImageId: spec.imageId,
      InstanceType: spec.instanceType as never,
      MinCount: spec.minCount ?? spec.count,
      MaxCount: spec.count,
      ClientToken: spec.clientToken,
      SubnetId: spec.subnetId,
      SecurityGroupIds: spec.securityGroupIds,
      IamInstanceProfile: { Name: spec.instanceProfileName },
      InstanceInitiatedShutdownBehavior: spec.shutdownBehavior,
      InstanceMarketOptions:
        spec.market === 'spot'
          ? {
              MarketType: 'spot',
              SpotOptions: {
                SpotInstanceType: 'persistent',
                InstanceInterruptionBehavior: 'stop',
              },
            }
          : undefined,
      MetadataOptions: {
        HttpTokens: 'required',
        HttpEndpoint: 'enabled',
        HttpPutResponseHopLimit: 1,
      },
      BlockDeviceMappings: volumes.map((v) => ({
        DeviceName: v.device,
        Ebs: {
          VolumeSize: v.sizeGiB,
          VolumeType: v.type as never,
          Iops: v.iops,
          Encrypted: v.encrypted,
          DeleteOnTermination: true,
        },
      })),
      UserData: spec.userData ? Buffer.from(spec.userData).toString('base64') : undefined,
      TagSpecifications: [
        { ResourceType: 'instance', Tags: tagList(spec.tags) },
        { ResourceType: 'volume', Tags: tagList(spec.tags) },
        ...(spec.market === 'spot'
          ? [{ ResourceType: 'spot-instances-request' as const, Tags: tagList(spec.tags) }]
          : []),
      ],
    }),
  );
  // In launch index order: each instance's user data settings are those of its index.
  return (output.Instances ?? [])
    .map(summary)
    .sort((a, b) => (a.launchIndex ?? 0) - (b.launchIndex ?? 0));
}

async function describe(region: string, input: { InstanceIds?: string[]; Filters?: Filter[] }) {
  const found: InstanceSummary[] = [];
  // EC2 refuses MaxResults alongside InstanceIds: page size only for filtered listings.
  const pageSize = input.InstanceIds ? undefined : 1000;
  const pages = paginateDescribeInstances({ client: ec2Client(region), pageSize }, input);
  for await (const page of pages) {
    for (const reservation of page.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) found.push(summary(instance));
    }
  }
  return found;
}

export const describeInstances = (region: string, instanceIds: string[]) =>
  instanceIds.length === 0 ? Promise.resolve([]) : describe(region, { InstanceIds: instanceIds });

/** Instances carrying all `tags`, in any of `states` (default: every state but terminated). */
export function instancesByTag(
  region: string,
  tags: Tags,
  states: readonly string[] = ['pending', 'running', 'stopping', 'stopped', 'shutting-down'],
) {
  return describe(region, {
    Filters: [...tagFilters(tags), { Name: 'instance-state-name', Values: [...states] }],
  });
}

export async function terminateInstances(region: string, instanceIds: string[]): Promise<string[]> {
  if (instanceIds.length === 0) return [];
  const output = await ec2Client(region).send(
    new TerminateInstancesCommand({ InstanceIds: instanceIds }),
  );
  return (output.TerminatingInstances ?? []).map((i) => i.InstanceId ?? '');
}

/**
 * Cancels Spot Instance requests, so that terminating their instances ends them for good (a
 * persistent request otherwise launches a new instance). Cancelling leaves the instances running.
 */
export async function cancelSpotRequests(region: string, requestIds: string[]): Promise<string[]> {
  if (requestIds.length === 0) return [];
  const output = await ec2Client(region).send(
    new CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: requestIds }),
  );
  return (output.CancelledSpotInstanceRequests ?? []).map((r) => r.SpotInstanceRequestId ?? '');
}

export async function stopInstances(region: string, instanceIds: string[]): Promise<string[]> {
  if (instanceIds.length === 0) return [];
  const output = await ec2Client(region).send(
    new StopInstancesCommand({ InstanceIds: instanceIds }),
  );
  return (output.StoppingInstances ?? []).map((i) => i.InstanceId ?? '');
}

export interface ImageSummary {
  imageId: string;
  name?: string;
  state: string;
  reason?: string;
  creationDate?: string;
  rootDeviceName?: string;
  /** Size of the root volume's snapshot: instances from the image need at least this much. */
  rootVolumeGiB?: number;
  snapshotIds: string[];
  tags: Tags;
}

async function describeImages(
  region: string,
  input: { ImageIds?: string[]; Filters?: Filter[]; Owners?: string[] },
) {
  const output = await ec2Client(region).send(new DescribeImagesCommand(input));
  return (output.Images ?? []).map(
    (image): ImageSummary => ({
      imageId: image.ImageId ?? '',
      name: image.Name,
      state: image.State ?? 'unknown',
      reason: image.StateReason?.Message,
      creationDate: image.CreationDate,
      rootDeviceName: image.RootDeviceName,
      rootVolumeGiB: image.BlockDeviceMappings?.find((b) => b.DeviceName === image.RootDeviceName)
        ?.Ebs?.VolumeSize,
      snapshotIds: (image.BlockDeviceMappings ?? []).flatMap((b) =>
        b.Ebs?.SnapshotId ? [b.Ebs.SnapshotId] : [],
      ),
      tags: Object.fromEntries((image.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    }),
  );
}

export async function describeImage(
  region: string,
  imageId: string,
): Promise<ImageSummary | undefined> {
  try {
    return (await describeImages(region, { ImageIds: [imageId] }))[0];
  } catch (error) {
    if ((error as Error).name === 'InvalidAMIID.NotFound') return undefined;
    throw error;
  }
}

/** An image that instances can be launched from now, or NotFoundError saying why not. */
export async function availableImage(region: string, imageId: string, what = 'image') {
  const image = await describeImage(region, imageId);
  if (image?.state !== 'available' || !image.rootDeviceName) {
    throw new NotFoundError(
      `${what} ${imageId} is ${image ? image.state : 'not found'} in ${region}`,
    );
  }
  return { ...image, rootDeviceName: image.rootDeviceName };
}

export const imagesByTag = (region: string, tags: Tags) =>
  describeImages(region, { Owners: ['self'], Filters: tagFilters(tags) });

/**
 * CreateImage, idempotent by name: a retried call whose first attempt already registered the
 * image gets that image back instead of `InvalidAMIName.Duplicate`.
 */
export async function createImage(
  region: string,
  request: { instanceId: string; name: string; description: string; tags: Tags },
): Promise<string> {
  try {
    const output = await ec2Client(region).send(
      new CreateImageCommand({
        InstanceId: request.instanceId,
        Name: request.name,
        Description: request.description,
        TagSpecifications: [
          { ResourceType: 'image', Tags: tagList(request.tags) },
          { ResourceType: 'snapshot', Tags: tagList(request.tags) },
        ],
      }),
    );
    return output.ImageId ?? '';
  } catch (error) {
    if ((error as Error).name !== 'InvalidAMIName.Duplicate') throw error;
    const [existing] = await describeImages(region, {
      Owners: ['self'],
      Filters: [{ Name: 'name', Values: [request.name] }],
    });
    if (!existing) throw error;
    return existing.imageId;
  }
}

/** Adds `tags` to existing resources (an image once it passed its test). */
export async function tagResources(region: string, resourceIds: string[], tags: Tags) {
  await ec2Client(region).send(
    new CreateTagsCommand({ Resources: resourceIds, Tags: tagList(tags) }),
  );
}

/** Deregister an image and delete the snapshots behind it (they cost money on their own). */
export async function deleteImage(
  region: string,
  image: Pick<ImageSummary, 'imageId' | 'snapshotIds'> & Partial<ImageSummary>,
): Promise<void> {
  await deregisterImage(region, image.imageId);
  for (const snapshotId of image.snapshotIds) await deleteSnapshot(region, snapshotId);
}

export async function deregisterImage(region: string, imageId: string): Promise<void> {
  await ec2Client(region).send(new DeregisterImageCommand({ ImageId: imageId }));
}

const tagsOf = (tags: { Key?: string; Value?: string }[] | undefined): Tags =>
  Object.fromEntries((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));

/** Every instance of the account in the region that is not terminated, whoever launched it. */
export async function listInstances(region: string): Promise<FleetInstance[]> {
  const found: FleetInstance[] = [];
  const pages = paginateDescribeInstances(
    { client: ec2Client(region), pageSize: 1000 },
    {
      Filters: [
        {
          Name: 'instance-state-name',
          Values: ['pending', 'running', 'stopping', 'stopped', 'shutting-down'],
        },
      ],
    },
  );
  for await (const page of pages)
    for (const reservation of page.Reservations ?? [])
      for (const i of reservation.Instances ?? [])
        found.push({
          instanceId: i.InstanceId ?? '',
          state: i.State?.Name ?? 'unknown',
          imageId: i.ImageId,
          securityGroupIds: (i.SecurityGroups ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : [])),
          tags: tagsOf(i.Tags),
        });
  return found;
}

const fleetImage = (image: Image): FleetImage => ({
  imageId: image.ImageId ?? '',
  name: image.Name,
  state: image.State ?? 'unknown',
  createdAt: image.CreationDate,
  snapshotIds: (image.BlockDeviceMappings ?? []).flatMap((b) =>
    b.Ebs?.SnapshotId ? [b.Ebs.SnapshotId] : [],
  ),
  tags: tagsOf(image.Tags),
});

/** Every image the account owns in the region (any stack's, tagged or not). */
export async function listOwnImages(region: string): Promise<FleetImage[]> {
  const found: FleetImage[] = [];
  const pages = paginateDescribeImages(
    { client: ec2Client(region), pageSize: 1000 },
    { Owners: ['self'] },
  );
  for await (const page of pages)
    for (const image of page.Images ?? []) found.push(fleetImage(image));
  return found;
}

/** The account's own snapshots carrying all `tags`. */
export async function snapshotsByTag(region: string, tags: Tags): Promise<FleetSnapshot[]> {
  const found: FleetSnapshot[] = [];
  const pages = paginateDescribeSnapshots(
    { client: ec2Client(region), pageSize: 1000 },
    { OwnerIds: ['self'], Filters: tagFilters(tags) },
  );
  for await (const page of pages)
    for (const s of page.Snapshots ?? [])
      found.push({
        snapshotId: s.SnapshotId ?? '',
        state: s.State ?? 'unknown',
        tags: tagsOf(s.Tags),
      });
  return found;
}

export async function deleteSnapshot(region: string, snapshotId: string): Promise<void> {
  await ec2Client(region).send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }));
}
