// What the nightly teardown sees of an account: every resource it may judge, as the adapters list
// them. Resources of other stacks and untagged ones are in it too (an image may be in use by any
// instance); the plan acts only on this stack's.
import type { Tags } from '../tags';

export interface FleetInstance {
  instanceId: string;
  /** EC2's state name: pending, running, stopping, stopped, shutting-down, terminated. */
  state: string;
  imageId?: string;
  securityGroupIds: string[];
  tags: Tags;
}

export interface FleetImage {
  imageId: string;
  name?: string;
  /** pending, available, failed, … */
  state: string;
  /** ISO 8601, when the image was registered. */
  createdAt?: string;
  snapshotIds: string[];
  tags: Tags;
}

/** A region the stack's images were copied to: its own images and its instances. */
export interface FleetCopyRegion {
  region: string;
  /** The account's own images there that carry the stack's tag. */
  images: FleetImage[];
  /** Every instance there that is not terminated (a copy may be in use by any of them). */
  instances: FleetInstance[];
}

export interface FleetSnapshot {
  snapshotId: string;
  /** pending, completed, error */
  state: string;
  tags: Tags;
}

export interface FleetSchedule {
  name: string;
  /** The role the schedule runs as: a stack's stop schedules run as that stack's scheduler role. */
  roleArn?: string;
  /** The instances its target stops. */
  instanceIds: string[];
  /** The class whose next step it starts (a class's life schedules name it in their input). */
  classId?: string;
}

export interface FleetSecurityGroup {
  groupId: string;
  name?: string;
  tags: Tags;
}

export interface Fleet {
  instances: FleetInstance[];
  images: FleetImage[];
  snapshots: FleetSnapshot[];
  /** Parameter names under the stack's classes path. */
  parameters: string[];
  schedules: FleetSchedule[];
  securityGroups: FleetSecurityGroup[];
  /** The regions named by the stack's images' copies tags; none when nothing was copied. */
  copyRegions?: FleetCopyRegion[];
}

/** Instances that still exist, or will again once started: what keeps images and groups in use. */
export const SURVIVING_STATES: ReadonlySet<string> = new Set([
  'pending',
  'running',
  'stopping',
  'stopped',
]);
