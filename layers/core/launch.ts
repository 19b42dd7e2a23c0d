import type { Tags } from './tags';

/** What to launch, decided by the core; the EC2 adapter turns it into RunInstances. */
export interface LaunchSpec {
  imageId: string;
  instanceType: string;
  /** Launch exactly `count` or, with `minCount`, as many as possible down to `minCount`. */
  count: number;
  minCount?: number;
  clientToken: string;
  subnetId?: string;
  securityGroupIds?: string[];
  /** `spot`: a persistent Spot request that stops on interruption, so its seats can be stopped. */
  market: 'spot' | 'on-demand';
  instanceProfileName: string;
  /** The image's root device (`/dev/sda1` on Ubuntu, `/dev/xvda` on Debian): resized, not added. */
  rootDeviceName: string;
  rootVolumeGiB: number;
  volumes?: { device: string; sizeGiB: number; type: string; encrypted: boolean; iops?: number }[];
  /** Text, or bytes (a gzipped script, which cloud-init unzips itself). */
  userData?: string | Uint8Array;
  /** `terminate` for builders: an in-guest `shutdown` then ends the instance for good. */
  shutdownBehavior: 'stop' | 'terminate';
  tags: Tags;
}

export interface InstanceSummary {
  instanceId: string;
  state: string;
  instanceType?: string;
  availabilityZone?: string;
  subnetId?: string;
  publicIp?: string;
  /** The Spot Instance request behind a spot instance. */
  spotRequestId?: string;
  /** Its position among the instances of its RunInstances call (AmiLaunchIndex). */
  launchIndex?: number;
  tags: Tags;
}

/**
 * The spot requests to cancel before terminating these instances: a persistent request would
 * otherwise launch a new instance in place of each one.
 */
export const spotRequestsOf = (instances: InstanceSummary[]): string[] =>
  instances.flatMap((i) => (i.spotRequestId ? [i.spotRequestId] : []));

export const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'] as const;
