/** The simulated EC2 service: its operations, and snapshots of its state for assertions. */
import type { CreateTagsRequest, DeleteTagsRequest } from '@aws-sdk/client-ec2';
import { ec2Fault } from '../kernel/errors';
import { type Operations, operation } from '../kernel/transport';
import { accountAttributeOperations } from './account-attributes';
import { addressOperations } from './addresses';
import { addBaseImages } from './base-images';
import type { Ec2Context } from './context';
import { addTag, required } from './filters';
import { imageCopyOperations } from './image-copies';
import { imageOperations, imageState } from './images';
import { instanceOperations } from './instances';
import { launchOperations } from './launch';
import type { Ec2World, InstanceStateName, SimAddress, Tags } from './model';
import { regionOperations } from './regions';
import { securityGroupOperations } from './security-groups';
import { snapshotOperations } from './snapshots';
import {
  fulfilSpotRequests,
  type SpotRequestState,
  spotOperations,
  spotRequestState,
} from './spot';
import { defaultVpc, vpcOperations } from './vpc';

const NOT_FOUND: Record<string, string> = {
  i: 'InvalidInstanceID.NotFound',
  ami: 'InvalidAMIID.NotFound',
  snap: 'InvalidSnapshot.NotFound',
  sg: 'InvalidGroup.NotFound',
  vol: 'InvalidVolume.NotFound',
  sir: 'InvalidSpotInstanceRequestID.NotFound',
  eipalloc: 'InvalidAllocationID.NotFound',
  subnet: 'InvalidSubnetID.NotFound',
};

function taggable(world: Ec2World, resources: string[] | undefined): Tags[] {
  return required(resources?.length ? resources : undefined, 'ResourceId').map((id) => {
    const tags = world.tagsOf(id);
    if (tags) return tags;
    const code = NOT_FOUND[id.split('-')[0] ?? ''];
    if (!code) throw ec2Fault('InvalidID', `The ID '${id}' is not valid`);
    throw ec2Fault(code, `The ID '${id}' does not exist`);
  });
}

export interface InstanceSnapshot {
  instanceId: string;
  state: InstanceStateName;
  imageId: string;
  instanceType: string;
  az: string;
  subnetId: string;
  tags: Record<string, string>;
  market: 'spot' | 'on-demand';
  spotRequestId?: string;
  clientToken?: string;
  publicIp?: string;
  privateIp: string;
  securityGroupIds: string[];
  iamInstanceProfile?: { Arn?: string; Name?: string };
  metadataOptions?: Record<string, unknown>;
  userData?: string;
  shutdownBehavior: 'stop' | 'terminate';
  launchTime: number;
  /** When an Elastic IP was first put on it (its auto-assigned address, if any, went then). */
  addressAt?: number;
  /** Every state the instance has entered or is scheduled to, with when (what EC2 bills by). */
  phases: { state: InstanceStateName; at: number }[];
  volumes: {
    volumeId: string;
    deviceName: string;
    sizeGb: number;
    encrypted: boolean;
    tags: Record<string, string>;
  }[];
}

export interface SpotRequestSnapshot {
  requestId: string;
  type: 'one-time' | 'persistent';
  state: SpotRequestState;
  instanceId: string;
  tags: Record<string, string>;
}

export interface ImageSnapshot {
  imageId: string;
  name: string;
  state: 'pending' | 'available' | 'failed' | 'deregistered';
  tags: Record<string, string>;
  snapshotIds: string[];
  /** Where it lives: the account's region, or the region it was copied to. */
  region: string;
  /** Every snapshot behind it is encrypted. */
  encrypted: boolean;
}

export interface SnapshotSummary {
  snapshotId: string;
  tags: Record<string, string>;
}

export interface SecurityGroupSnapshot {
  groupId: string;
  name: string;
  /** The region of its VPC. */
  region: string;
  tags: Record<string, string>;
  ingress: { protocol: string; fromPort: number; toPort: number; cidr?: string }[];
}

export interface AddressSnapshot {
  allocationId: string;
  publicIp: string;
  instanceId?: string;
  associationId?: string;
  tags: Record<string, string>;
}

/** An Elastic IP the account held: from its allocation until its release (none: held still). */
export interface HeldAddress {
  allocationId: string;
  tags: Record<string, string>;
  allocatedAt: number;
  releasedAt?: number;
}

export class SimulatedEc2 {
  readonly operations: Operations;

  constructor(private readonly ctx: Ec2Context) {
    defaultVpc(ctx.world);
    addBaseImages(ctx.world);
    this.operations = {
      ...launchOperations(ctx),
      ...spotOperations(ctx),
      ...instanceOperations(ctx),
      ...imageOperations(ctx),
      ...imageCopyOperations(ctx),
      ...snapshotOperations(ctx.world),
      ...vpcOperations(ctx.world),
      ...regionOperations(ctx.world),
      ...securityGroupOperations(ctx.world),
      ...addressOperations(ctx),
      ...accountAttributeOperations(ctx),
      CreateTags: operation((input: CreateTagsRequest) => {
        const targets = taggable(ctx.world, input.Resources);
        const tags = required(input.Tags?.length ? input.Tags : undefined, 'Tag');
        for (const target of targets) for (const tag of tags) addTag(target, tag.Key, tag.Value);
        return {};
      }),
      DeleteTags: operation((input: DeleteTagsRequest) => {
        for (const target of taggable(ctx.world, input.Resources)) {
          for (const tag of input.Tags ?? [...target].map(([Key]) => ({ Key, Value: undefined }))) {
            if (tag.Key && (tag.Value === undefined || target.get(tag.Key) === tag.Value))
              target.delete(tag.Key);
          }
        }
        return {};
      }),
    };
  }

  get world(): Ec2World {
    return this.ctx.world;
  }

  /** What EC2 does on its own by now: relaunches for reopened persistent spot requests. */
  settle(): void {
    fulfilSpotRequests(this.ctx, this.ctx.world.now());
  }

  spotRequests(): SpotRequestSnapshot[] {
    const { world } = this.ctx;
    const now = world.now();
    return [...world.spotRequests.values()].map((r) => ({
      requestId: r.requestId,
      type: r.type,
      state: spotRequestState(world, r, now),
      instanceId: r.instanceId,
      tags: Object.fromEntries(r.tags),
    }));
  }

  /** Every instance still visible, with its state now. */
  instances(): InstanceSnapshot[] {
    const { world } = this.ctx;
    const now = world.now();
    return [...world.instances.values()].map((i) => ({
      instanceId: i.instanceId,
      state: world.state(i, now),
      imageId: i.imageId,
      instanceType: i.instanceType,
      az: i.az,
      subnetId: i.subnetId,
      tags: Object.fromEntries(i.tags),
      market: i.market,
      spotRequestId: i.spotRequestId,
      clientToken: i.clientToken,
      publicIp: i.publicIp,
      privateIp: i.privateIp,
      securityGroupIds: [...i.securityGroupIds],
      iamInstanceProfile: i.iamInstanceProfile,
      metadataOptions: i.metadataOptions,
      userData: i.userData,
      shutdownBehavior: i.shutdownBehavior,
      launchTime: i.launchTime,
      ...(i.addressAt === undefined ? {} : { addressAt: i.addressAt }),
      phases: i.phases.map(({ state, at }) => ({ state, at })),
      volumes: i.volumes.map((v) => ({
        volumeId: v.volumeId,
        deviceName: v.deviceName,
        sizeGb: v.sizeGb,
        encrypted: v.encrypted,
        tags: Object.fromEntries(v.tags),
      })),
    }));
  }

  /** Images this account made, deregistered ones included (the public base images are not). */
  images(): ImageSnapshot[] {
    const { world } = this.ctx;
    const now = world.now();
    const gone = new Set(world.deregistered.keys());
    return [...world.images.values(), ...world.deregistered.values()]
      .filter((image) => image.ownerId === world.account)
      .map((image) => ({
        imageId: image.imageId,
        name: image.name,
        state: gone.has(image.imageId) ? 'deregistered' : imageState(image, now),
        tags: Object.fromEntries(image.tags),
        snapshotIds: image.devices.map((d) => d.snapshotId),
        region: image.region ?? world.region,
        encrypted: image.devices.every((d) => d.encrypted),
      }));
  }

  snapshots(): SnapshotSummary[] {
    return [...this.ctx.world.snapshots.values()].map((s) => ({
      snapshotId: s.snapshotId,
      tags: Object.fromEntries(s.tags),
    }));
  }

  /** Elastic IPs still allocated, and the instance each is associated with. */
  addresses(): AddressSnapshot[] {
    this.ctx.world.settleAddresses();
    return [...this.ctx.world.addresses.values()].map((a) => ({
      allocationId: a.allocationId,
      publicIp: a.publicIp,
      ...(a.instanceId ? { instanceId: a.instanceId } : {}),
      ...(a.associationId ? { associationId: a.associationId } : {}),
      tags: Object.fromEntries(a.tags),
    }));
  }

  /** Every Elastic IP the account has held, released ones included (what AWS bills by). */
  heldAddresses(): HeldAddress[] {
    const { world } = this.ctx;
    const held = (a: SimAddress, releasedAt?: number): HeldAddress => ({
      allocationId: a.allocationId,
      tags: Object.fromEntries(a.tags),
      allocatedAt: a.allocatedAt,
      ...(releasedAt === undefined ? {} : { releasedAt }),
    });
    return [
      ...[...world.addresses.values()].map((a) => held(a)),
      ...[...world.released.values()].map((a) => held(a, a.releasedAt)),
    ];
  }

  securityGroups(): SecurityGroupSnapshot[] {
    return [...this.ctx.world.groups.values()].map((g) => ({
      groupId: g.groupId,
      name: g.name,
      region: this.ctx.world.regionOf(g),
      tags: Object.fromEntries(g.tags),
      ingress: g.ingress.map(({ protocol, fromPort, toPort, cidr }) => ({
        protocol,
        fromPort,
        toPort,
        cidr,
      })),
    }));
  }
}
