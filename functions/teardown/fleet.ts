// What the nightly teardown lists and how it removes, on the adapters: the handler's composition,
// kept beside it.
import {
  deleteImage,
  deleteSnapshot,
  listInstances,
  listOwnImages,
  snapshotsByTag,
  terminateInstances,
} from '../../layers/aws/ec2';
import { deleteSchedule, describeSchedule, scheduleNames } from '../../layers/aws/scheduler';
import { deleteSecurityGroup, listSecurityGroupsByTag } from '../../layers/aws/security-groups';
import { deleteParameters, parameterNamesUnder } from '../../layers/aws/ssm';
import { TAG } from '../../layers/core/tags';
import type { TeardownPorts } from '../../layers/core/teardown/apply';
import type { Fleet } from '../../layers/core/teardown/fleet';
import { SCHEDULE_PREFIX } from '../../layers/core/teardown/plan';

/**
 * Every instance and own image of the account (an image may be in use by any instance), and the
 * stack's snapshots, class credentials, `bakehouse-` schedules and security groups.
 */
export async function listFleet(
  region: string,
  stack: { stackName: string; parameterPrefix: string },
): Promise<Fleet> {
  const mine = { [TAG.stack]: stack.stackName };
  const names = await scheduleNames(region, SCHEDULE_PREFIX);
  const schedules = [];
  for (const name of names) {
    const schedule = await describeSchedule(region, name);
    if (schedule) schedules.push(schedule);
  }
  return {
    instances: await listInstances(region),
    images: await listOwnImages(region),
    snapshots: await snapshotsByTag(region, mine),
    parameters: await parameterNamesUnder(region, `${stack.parameterPrefix}/classes`),
    schedules,
    securityGroups: await listSecurityGroupsByTag(region, mine),
  };
}

export const teardownPorts = (region: string): TeardownPorts => ({
  terminateInstances: (ids) => terminateInstances(region, ids),
  deleteImage: (a) => deleteImage(region, { imageId: a.id, snapshotIds: a.snapshotIds }),
  deleteSnapshot: (id) => deleteSnapshot(region, id),
  deleteParameters: (names) => deleteParameters(region, names),
  deleteSchedule: (name) => deleteSchedule(region, name),
  deleteSecurityGroup: (id) => deleteSecurityGroup(region, id),
});
