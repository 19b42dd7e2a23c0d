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
  /** Where it runs when not in the teardown's own region (a class seated in another region). */
  region?: string;
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

/** Another region that holds images of the stack (copies): those images and its instances. */
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
  /** Its region when not the teardown's own (a class seated in another region). */
  region?: string;
}

/**
 * A class of the class store that names its seats in a hosted zone (`seatNames` of its plan):
 * the only classes whose records the teardown may delete, and only their own seat names.
 */
export interface FleetNamedClass {
  classId: string;
  hostedZoneId: string;
  /** The domain its names are under, e.g. `classes.example.org`. */
  domain: string;
  /** What each of its seat names ends with: `.<class label>.<domain>`. */
  suffix: string;
}

/** An A record under a named class's domain, as Route 53 lists it. */
export interface FleetRecord {
  hostedZoneId: string;
  /** Lowercase and absolute, as Route 53 returns it: `seat-001.intro-ab12cd.classes.example.org.` */
  name: string;
  type: string;
  ttl?: number;
  values: string[];
  /** An alias, or a record with a routing policy (a set identifier): never one bakehouse writes. */
  routed?: boolean;
}

export interface Fleet {
  /** Every instance of the account in the teardown's region, and the stack's in the others. */
  instances: FleetInstance[];
  images: FleetImage[];
  snapshots: FleetSnapshot[];
  /** Parameter names under the stack's classes path. */
  parameters: string[];
  schedules: FleetSchedule[];
  securityGroups: FleetSecurityGroup[];
  /** The other regions of the account that hold images of the stack; none when nothing was copied. */
  copyRegions?: FleetCopyRegion[];
  /** The class store's classes that name their seats in a hosted zone. */
  namedClasses?: FleetNamedClass[];
  /** The A records under those classes' domains, whoever wrote them. */
  records?: FleetRecord[];
}

/** Instances that still exist, or will again once started: what keeps images and groups in use. */
export const SURVIVING_STATES: ReadonlySet<string> = new Set([
  'pending',
  'running',
  'stopping',
  'stopped',
]);
