/**
 * The simulated EC2 account: its resources, and instance lifecycles kept as timelines of
 * scheduled phases, so a state is computed from timestamps whenever it is observed (no timers).
 */
import { gunzipSync } from 'node:zlib';
import type { Tag } from '@aws-sdk/client-ec2';
import {
  type BootOutcome,
  bootOutcome,
  type FirstBoot,
  SEAT_REPORT_TAG,
} from '../guest/cloud-init';
import { HOUR, MINUTE, SECOND, type SimClock } from '../kernel/clock';
import type { EventLog } from '../kernel/events';
import type { Random } from '../kernel/random';
import type { Architecture } from './instance-types';

export type Result<T> = Omit<T, '$metadata'>;

export type InstanceStateName =
  | 'pending'
  | 'running'
  | 'shutting-down'
  | 'terminated'
  | 'stopping'
  | 'stopped';

export const STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export interface Phase {
  state: InstanceStateName;
  at: number;
  /** For a running phase: when the SSM agent comes Online (Infinity: never). */
  agentAt?: number;
}

export type Tags = Map<string, string>;

export interface SimVolume {
  volumeId: string;
  deviceName: string;
  sizeGb: number;
  encrypted: boolean;
  deleteOnTermination: boolean;
  tags: Tags;
}

export interface SimInstance {
  instanceId: string;
  reservationId: string;
  launchIndex: number;
  imageId: string;
  instanceType: string;
  architecture: Architecture;
  az: string;
  subnetId: string;
  vpcId: string;
  privateIp: string;
  publicIp?: string;
  securityGroupIds: string[];
  market: 'spot' | 'on-demand';
  /** The Spot Instance request that launched it (spot instances only; see spot.ts). */
  spotRequestId?: string;
  clientToken?: string;
  launchTime: number;
  tags: Tags;
  volumes: SimVolume[];
  iamInstanceProfile?: { Arn?: string; Name?: string };
  metadataOptions?: Record<string, unknown>;
  userData?: string;
  keyName?: string;
  shutdownBehavior: 'stop' | 'terminate';
  /** Launched from an image no instance had booted before: the first seat start is slow. */
  coldImage: boolean;
  phases: Phase[];
  /** When an Elastic IP was last put on it. */
  addressAt?: number;
  /** What cloud-init does with its user data at first boot (guest/cloud-init.ts). */
  firstBoot?: FirstBoot;
}

export interface SimSpotRequest {
  requestId: string;
  type: 'one-time' | 'persistent';
  interruption: 'terminate' | 'stop' | 'hibernate';
  /** The instance it launched last. */
  instanceId: string;
  /** Whether its instances get a public IPv4 address, as the launch asked. */
  publicIp: boolean;
  tags: Tags;
  cancelledAt?: number;
  /** When EC2 launches the next instance for it: its last one was terminated. */
  relaunchAt?: number;
}

export interface SimImage {
  imageId: string;
  name: string;
  description?: string;
  ownerId: string;
  ownerAlias?: string;
  architecture: Architecture;
  rootDeviceName: string;
  createdAt: number;
  /** When `pending` ends, in `outcome`. */
  readyAt: number;
  outcome: 'available' | 'failed';
  tags: Tags;
  devices: { deviceName: string; snapshotId: string; sizeGb: number; encrypted: boolean }[];
  isPublic: boolean;
  booted: boolean;
  sourceInstanceId?: string;
  /** Set on a copy (CopyImage): only clients of this region see it. Unset: the account's region. */
  region?: string;
}

export interface SimSnapshot {
  snapshotId: string;
  volumeId: string;
  sizeGb: number;
  encrypted: boolean;
  description: string;
  startedAt: number;
  readyAt: number;
  outcome: 'completed' | 'error';
  tags: Tags;
  /** Set on a copy's snapshot: only clients of this region see it. Unset: the account's region. */
  region?: string;
}

export interface SimRule {
  ruleId: string;
  protocol: string;
  fromPort: number;
  toPort: number;
  cidr?: string;
  cidrV6?: string;
  sourceGroupId?: string;
  description?: string;
}

export interface SimSecurityGroup {
  groupId: string;
  name: string;
  description: string;
  vpcId: string;
  isDefault: boolean;
  tags: Tags;
  ingress: SimRule[];
  egress: SimRule[];
}

/** An Elastic IP: the account's until released, and an instance's while associated. */
export interface SimAddress {
  allocationId: string;
  publicIp: string;
  tags: Tags;
  instanceId?: string;
  associationId?: string;
  /** When it was allocated: AWS bills an Elastic IP from then until it is released. */
  allocatedAt: number;
  /** The region it was allocated in: only clients of that region see it. */
  region: string;
}

export interface SimSubnet {
  subnetId: string;
  /** The region of its VPC (each region has its own default VPC). */
  region: string;
  az: string;
  azId: string;
  cidr: string;
  vpcId: string;
  tags: Tags;
}

/** How long a terminated instance stays visible to DescribeInstances. */
const TERMINATED_VISIBLE = HOUR;

export class Ec2World {
  readonly instances = new Map<string, SimInstance>();
  readonly images = new Map<string, SimImage>();
  /** Deregistered images, kept only so `sim.ec2.images()` can show what was cleaned up. */
  readonly deregistered = new Map<string, SimImage>();
  readonly snapshots = new Map<string, SimSnapshot>();
  readonly groups = new Map<string, SimSecurityGroup>();
  readonly volumes = new Map<string, SimVolume>();
  readonly spotRequests = new Map<string, SimSpotRequest>();
  readonly addresses = new Map<string, SimAddress>();
  /** Released Elastic IPs, kept only so the bill can count the hours each was held. */
  readonly released = new Map<string, SimAddress & { releasedAt: number }>();
  /** Every region's default subnets, made when a client of that region first needs them. */
  readonly subnets: SimSubnet[] = [];
  /** The account's own region's default VPC. */
  readonly vpcId: string;
  /** Each region's default VPC, by region (the account's own region's is `vpcId`). */
  readonly vpcs = new Map<string, string>();
  private readonly ipOwners = new Map<string, string>();
  private readonly nextHost = new Map<string, number>();
  private ipCursor = 0;

  constructor(
    readonly clock: SimClock,
    readonly random: Random,
    readonly events: EventLog,
    readonly region: string,
    readonly account: string,
  ) {
    this.vpcId = this.newId('vpc');
  }

  now(): number {
    return this.clock.now();
  }

  /**
   * The region an instance, security group or subnet is in (its VPC's), or an Elastic IP's.
   * EC2 is regional: a client sees, and may name, only its own region's.
   */
  regionOf(resource: { vpcId: string } | { region: string }): string {
    if ('region' in resource) return resource.region;
    for (const [region, vpcId] of this.vpcs) if (vpcId === resource.vpcId) return region;
    return this.region;
  }

  /** Whether a client of `region` (unset: the account's own) sees the resource. */
  seenFrom(resource: { vpcId: string } | { region: string }, region?: string): boolean {
    return this.regionOf(resource) === (region ?? this.region);
  }

  newId(prefix: string): string {
    return `${prefix}-0${this.random.hex(16)}`;
  }

  phase(instance: SimInstance, now = this.now()): Phase {
    let current = instance.phases[0] as Phase;
    for (const phase of instance.phases) if (phase.at <= now) current = phase;
    return current;
  }

  state(instance: SimInstance, now = this.now()): InstanceStateName {
    return this.phase(instance, now).state;
  }

  /** Start of the current run, when the instance is running. */
  runningSince(instance: SimInstance, now = this.now()): number | undefined {
    const phase = this.phase(instance, now);
    return phase.state === 'running' ? phase.at : undefined;
  }

  /** How the instance's first boot (cloud-init and the seat script) has gone by `now`. */
  firstBootOutcome(instance: SimInstance, now = this.now()): BootOutcome | undefined {
    const first = instance.phases.find((p) => p.state === 'running');
    if (!instance.firstBoot || !first || first.at > now) return undefined;
    return bootOutcome(
      instance.firstBoot,
      first.at,
      instance.addressAt,
      Boolean(instance.iamInstanceProfile),
    );
  }

  /** The reports seats have written on their own instances by now (CreateTags with their role). */
  applyGuestReports(now = this.now()): void {
    for (const instance of this.instances.values()) {
      if (!instance.firstBoot || instance.tags.has(SEAT_REPORT_TAG)) continue;
      const report = this.firstBootOutcome(instance, now)?.report;
      if (!report || report.at > now || this.phase(instance, now).state !== 'running') continue;
      instance.tags.set(SEAT_REPORT_TAG, report.value);
      this.events.record(
        'EC2',
        `${instance.instanceId} tagged itself: ${report.value.split(' ')[0]}`,
      );
    }
  }

  agentOnline(instance: SimInstance, now = this.now()): boolean {
    const phase = this.phase(instance, now);
    return phase.state === 'running' && (phase.agentAt ?? Infinity) <= now;
  }

  /** First moment at or after `from` when the instance is no longer running. */
  leftRunningAt(instance: SimInstance, from: number): number | undefined {
    return instance.phases.find((p) => p.at >= from && p.state !== 'running')?.at;
  }

  /** Terminated long enough ago that AWS no longer shows it. */
  isGone(instance: SimInstance, now = this.now()): boolean {
    const phase = this.phase(instance, now);
    return phase.state === 'terminated' && now - phase.at > TERMINATED_VISIBLE;
  }

  /** Replace whatever was still to come with `next`. */
  reschedule(instance: SimInstance, now: number, next: Phase[]): void {
    instance.phases = [...instance.phases.filter((p) => p.at <= now), ...next];
  }

  /**
   * A boot requested at `at`: pending, running after ~15 s, the agent Online about a minute
   * later (if it can register), and the power-off its user data arms, if any.
   */
  boot(instance: SimInstance, at: number, agentCanRegister: boolean): Phase[] {
    const runningAt = at + this.random.latency(15 * SECOND, 25 * SECOND, 90 * SECOND);
    const agentAt = agentCanRegister
      ? runningAt + this.random.latency(60 * SECOND, 180 * SECOND, 360 * SECOND)
      : Infinity;
    return [
      { state: 'pending', at },
      { state: 'running', at: runningAt, agentAt },
      ...this.powerOff(instance, runningAt),
    ];
  }

  /**
   * The instance-initiated shutdown its user data schedules (`shutdown -P +N`, `systemd-run
   * --on-active=Nmin … poweroff`), counted from `bootedAt`; InstanceInitiatedShutdownBehavior
   * decides whether that stops or terminates it.
   */
  powerOff(instance: SimInstance, bootedAt: number): Phase[] {
    const minutes = powerOffMinutes(instance.userData);
    if (minutes === undefined) return [];
    const at = bootedAt + minutes * MINUTE;
    const settled = at + this.random.latency(30 * SECOND, 60 * SECOND);
    return instance.shutdownBehavior === 'terminate'
      ? [
          { state: 'shutting-down', at },
          { state: 'terminated', at: settled },
        ]
      : [
          { state: 'stopping', at },
          { state: 'stopped', at: settled },
        ];
  }

  /** The next private address of the subnet. */
  allocatePrivateIp(subnet: SimSubnet): string {
    const host = (this.nextHost.get(subnet.subnetId) ?? 4) + 1;
    this.nextHost.set(subnet.subnetId, host);
    const [a, b, c] = subnet.cidr.split(/[./]/).map(Number) as [number, number, number];
    return `${a}.${b}.${c + Math.floor(host / 256)}.${host % 256}`;
  }

  /** Auto-assigned public IPv4 from documentation ranges; never routable, never contacted. */
  allocatePublicIp(instanceId: string): string {
    for (;;) {
      const ip = publicIpAt(this.ipCursor);
      this.ipCursor = (this.ipCursor + 1) % PUBLIC_IP_COUNT;
      if (!this.ipOwners.has(ip)) {
        this.ipOwners.set(ip, instanceId);
        return ip;
      }
    }
  }

  /**
   * The instance loses its public address: an auto-assigned one goes back to the pool; an Elastic
   * IP stays associated through a stop (`keepElastic`) and is disassociated otherwise.
   */
  releasePublicIp(instance: SimInstance, { keepElastic = false } = {}): void {
    const elastic = this.elasticIpOf(instance.instanceId);
    if (elastic && keepElastic) return;
    if (elastic) {
      this.ipOwners.set(elastic.publicIp, elastic.allocationId);
      elastic.instanceId = undefined;
      elastic.associationId = undefined;
    } else if (instance.publicIp) this.ipOwners.delete(instance.publicIp);
    instance.publicIp = undefined;
  }

  /** A new Elastic IP, from the same documentation ranges as auto-assigned addresses. */
  allocateElasticIp(tags: Tags, region = this.region): SimAddress {
    const allocationId = this.newId('eipalloc');
    const address = {
      allocationId,
      publicIp: this.allocatePublicIp(allocationId),
      tags,
      allocatedAt: this.now(),
      region,
    };
    this.addresses.set(allocationId, address);
    return address;
  }

  /** `address` now routes to `instance`, whose auto-assigned address (if any) is released. */
  associateElasticIp(address: SimAddress, instance: SimInstance): string {
    const previous = address.instanceId ? this.instances.get(address.instanceId) : undefined;
    if (previous && previous !== instance) this.releasePublicIp(previous);
    const current = this.elasticIpOf(instance.instanceId);
    if (current && current !== address) this.releasePublicIp(instance);
    if (!current && instance.publicIp) this.ipOwners.delete(instance.publicIp);
    address.instanceId = instance.instanceId;
    address.associationId ??= this.newId('eipassoc');
    this.ipOwners.set(address.publicIp, instance.instanceId);
    instance.publicIp = address.publicIp;
    instance.addressAt = this.now();
    return address.associationId;
  }

  /** Elastic IPs of instances terminated by now are disassociated, as EC2 does. */
  settleAddresses(now = this.now()): void {
    for (const address of this.addresses.values()) {
      const instance = address.instanceId ? this.instances.get(address.instanceId) : undefined;
      if (instance && this.state(instance, now) === 'terminated') this.releasePublicIp(instance);
    }
  }

  elasticIpOf(instanceId: string): SimAddress | undefined {
    for (const address of this.addresses.values())
      if (address.instanceId === instanceId) return address;
    return undefined;
  }

  releaseElasticIp(address: SimAddress): void {
    this.ipOwners.delete(address.publicIp);
    this.addresses.delete(address.allocationId);
    this.released.set(address.allocationId, { ...address, releasedAt: this.now() });
  }

  instanceByIp(ip: string): SimInstance | undefined {
    const id = this.ipOwners.get(ip);
    return id ? this.instances.get(id) : undefined;
  }

  /** The tag map of any taggable resource, by id. */
  tagsOf(resourceId: string): Tags | undefined {
    return (
      this.instances.get(resourceId)?.tags ??
      this.images.get(resourceId)?.tags ??
      this.snapshots.get(resourceId)?.tags ??
      this.groups.get(resourceId)?.tags ??
      this.volumes.get(resourceId)?.tags ??
      this.spotRequests.get(resourceId)?.tags ??
      this.addresses.get(resourceId)?.tags ??
      this.subnets.find((s) => s.subnetId === resourceId)?.tags
    );
  }
}

/** Minutes after boot at which user data powers the instance off, if it does. */
/**
 * User data as cloud-init reads it: base64 decoded, and unzipped when it is gzip ("content found
 * to be gzip compressed will be uncompressed", cloud-init's user-data formats).
 */
export function userDataText(userData: string | undefined): string | undefined {
  if (!userData) return undefined;
  const bytes = Buffer.from(userData, 'base64');
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
}

export function powerOffMinutes(userData: string | undefined): number | undefined {
  const script = userDataText(userData);
  if (!script) return undefined;
  const timer =
    /systemd-run\b[^\n]*--on-active=(\d+)min[^\n]*\b(poweroff|halt|shutdown)\b/.exec(script) ??
    /\bshutdown\s+(?:-[hP]\s+)?\+(\d+)/.exec(script);
  return timer ? Number(timer[1]) : undefined;
}

export function tagList(tags: Tags): Tag[] {
  return [...tags].map(([Key, Value]) => ({ Key, Value }));
}

const PUBLIC_RANGES = ['198.51.100', '203.0.113', '192.0.2'] as const;
const PUBLIC_IP_COUNT = PUBLIC_RANGES.length * 254 + 2 * 256 * 254;

/** TEST-NET-2, -3, -1, then the 198.18.0.0/15 benchmarking range for large classes. */
function publicIpAt(index: number): string {
  const range = Math.floor(index / 254);
  const prefix = PUBLIC_RANGES[range];
  if (prefix) return `${prefix}.${(index % 254) + 1}`;
  const rest = index - PUBLIC_RANGES.length * 254;
  const block = Math.floor(rest / 254);
  return `198.${18 + Math.floor(block / 256)}.${block % 256}.${(rest % 254) + 1}`;
}
