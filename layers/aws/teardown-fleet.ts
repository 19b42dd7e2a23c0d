// What the nightly teardown lists and how it removes: the EC2, security group, SSM and Scheduler
// adapters put together as the teardown's fleet listing and its ports.

import type { Tags } from '../core/tags';
import type { TeardownPorts } from '../core/teardown/apply';
import type { Fleet, FleetImage } from '../core/teardown/fleet';
import {
  deleteImage,
  deleteSnapshot,
  listInstances,
  listOwnImages,
  snapshotsByTag,
  terminateInstances,
} from './ec2';
import { deleteSchedule, describeSchedule, scheduleNames } from './scheduler';
import { deleteSecurityGroup, listSecurityGroupsByTag } from './security-groups';
import { deleteParameters, parameterNamesUnder } from './ssm';

/**
 * Every instance and own image of the account (an image may be in use by any instance), and the
 * snapshots and security groups carrying the stack's tags, the parameters under its credentials
 * path and the schedules whose names start with its prefix; in each region the stack's images
 * were copied to, the stack's images there and every instance.
 */
export async function listFleet(
  region: string,
  stack: {
    tags: Tags;
    credentialsPath: string;
    schedulePrefix: string;
    /** The regions the images' copies live in (the core reads them from the images' tags). */
    copyRegionsOf?: (images: FleetImage[]) => string[];
  },
): Promise<Fleet> {
  const names = await scheduleNames(region, stack.schedulePrefix);
  const schedules = [];
  for (const name of names) {
    const schedule = await describeSchedule(region, name);
    if (schedule) schedules.push(schedule);
  }
  const images = await listOwnImages(region);
  const ours = (tags: Tags) => Object.entries(stack.tags).every(([k, v]) => tags[k] === v);
  const copyRegions = [];
  for (const copyRegion of stack.copyRegionsOf?.(images) ?? []) {
    copyRegions.push({
      region: copyRegion,
      images: (await listOwnImages(copyRegion)).filter((i) => ours(i.tags)),
      instances: await listInstances(copyRegion),
    });
  }
  return {
    instances: await listInstances(region),
    images,
    snapshots: await snapshotsByTag(region, stack.tags),
    parameters: await parameterNamesUnder(region, stack.credentialsPath),
    schedules,
    securityGroups: await listSecurityGroupsByTag(region, stack.tags),
    copyRegions,
  };
}

export const teardownPorts = (region: string): TeardownPorts => ({
  terminateInstances: (ids) => terminateInstances(region, ids),
  deleteImage: (a) =>
    deleteImage(a.region ?? region, { imageId: a.id, snapshotIds: a.snapshotIds }),
  deleteSnapshot: (id) => deleteSnapshot(region, id),
  deleteParameters: (names) => deleteParameters(region, names),
  deleteSchedule: (name) => deleteSchedule(region, name),
  deleteSecurityGroup: (id) => deleteSecurityGroup(region, id),
});
