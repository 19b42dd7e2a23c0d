// What the nightly teardown lists and how it removes: the EC2, security group, SSM, Scheduler and
// Route 53 adapters put together as the teardown's fleet listing and its ports.

import type { Tags } from '../core/tags';
import type { TeardownPorts } from '../core/teardown/apply';
import type { Fleet, FleetNamedClass } from '../core/teardown/fleet';
import {
  deleteImage,
  deleteSnapshot,
  listInstances,
  listOwnImages,
  snapshotsByTag,
  terminateInstances,
} from './ec2';
import { enabledRegions } from './ec2-copies';
import { deleteRecords, recordsUnderDomain } from './route53';
import { deleteSchedule, describeSchedule, scheduleNames } from './scheduler';
import { deleteSecurityGroup, listSecurityGroupsByTag } from './security-groups';
import { deleteParameters, parameterNamesUnder } from './ssm';

/**
 * Every instance and own image of the account (an image may be in use by any instance), and the
 * snapshots and security groups carrying the stack's tags, the parameters under its credentials
 * path and the schedules whose names start with its prefix; in every other region enabled for the
 * account that holds images of the stack (copies, whether their source is there or not), those
 * images and every instance there; and every A record under the domains of the named classes
 * (each zone and domain listed once).
 */
export async function listFleet(
  region: string,
  stack: {
    tags: Tags;
    credentialsPath: string;
    schedulePrefix: string;
    /** The class store's classes that name their seats in a hosted zone. */
    namedClasses?: FleetNamedClass[];
    /** The zones and domains to list records under (the core says which, once each). */
    domainsOf?: (classes: FleetNamedClass[]) => { hostedZoneId: string; domain: string }[];
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
  for (const copyRegion of await enabledRegions(region)) {
    if (copyRegion === region) continue;
    const theirs = (await listOwnImages(copyRegion)).filter((i) => ours(i.tags));
    if (theirs.length === 0) continue;
    copyRegions.push({
      region: copyRegion,
      images: theirs,
      instances: await listInstances(copyRegion),
    });
  }
  const namedClasses = stack.namedClasses ?? [];
  const records = [];
  for (const { hostedZoneId, domain } of stack.domainsOf?.(namedClasses) ?? [])
    records.push(...(await recordsUnderDomain(hostedZoneId, domain)));
  return {
    instances: await listInstances(region),
    images,
    snapshots: await snapshotsByTag(region, stack.tags),
    parameters: await parameterNamesUnder(region, stack.credentialsPath),
    schedules,
    securityGroups: await listSecurityGroupsByTag(region, stack.tags),
    copyRegions,
    namedClasses,
    records,
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
  deleteRecords: (hostedZoneId, records) => deleteRecords(hostedZoneId, records),
});
