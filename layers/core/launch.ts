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
  market: 'spot' | 'on-demand';
  instanceProfileName: string;
  /** The image's root device (`/dev/sda1` on Ubuntu, `/dev/xvda` on Debian): resized, not added. */
  rootDeviceName: string;
  rootVolumeGiB: number;
  volumes?: { device: string; sizeGiB: number; type: string; encrypted: boolean; iops?: number }[];
  userData?: string;
  /** `terminate` for builders: an in-guest `shutdown` then ends the instance for good. */
  shutdownBehavior: 'stop' | 'terminate';
  tags: Tags;
}

export interface InstanceSummary {
  instanceId: string;
  state: string;
  instanceType?: string;
  availabilityZone?: string;
  publicIp?: string;
  tags: Tags;
}

export const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'] as const;
