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
}

/** Instances that still exist, or will again once started: what keeps images and groups in use. */
export const SURVIVING_STATES: ReadonlySet<string> = new Set([
  'pending',
  'running',
  'stopping',
  'stopped',
]);
