// What the nightly teardown lists and how it removes: the EC2, security group, SSM, Scheduler and
// Route 53 adapters put together as the teardown's fleet listing and its ports. Every call is made
// patiently: hundreds of them in one night must not fail as a whole when the account is throttled.

import type { Tags } from '../core/tags';
import type { TeardownPorts } from '../core/teardown/apply';
import type { Fleet, FleetNamedClass } from '../core/teardown/fleet';
import {
  deleteSnapshot,
  deregisterImage,
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
import { patiently as p } from './throttling';

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
  const names = await p(() => scheduleNames(region, stack.schedulePrefix));
  const schedules = [];
  for (const name of names) {
    const schedule = await p(() => describeSchedule(region, name));
    if (schedule) schedules.push(schedule);
  }
  const images = await p(() => listOwnImages(region));
  const ours = (tags: Tags) => Object.entries(stack.tags).every(([k, v]) => tags[k] === v);
  const copyRegions = [];
  for (const copyRegion of await p(() => enabledRegions(region))) {
    if (copyRegion === region) continue;
    const theirs = (await p(() => listOwnImages(copyRegion))).filter((i) => ours(i.tags));
    if (theirs.length === 0) continue;
    copyRegions.push({
      region: copyRegion,
      images: theirs,
      instances: await p(() => listInstances(copyRegion)),
    });
  }
  const namedClasses = stack.namedClasses ?? [];
  const records = [];
  for (const { hostedZoneId, domain } of stack.domainsOf?.(namedClasses) ?? [])
    records.push(...(await p(() => recordsUnderDomain(hostedZoneId, domain))));
  return {
    instances: await p(() => listInstances(region)),
    images,
    snapshots: await p(() => snapshotsByTag(region, stack.tags)),
    parameters: await p(() => parameterNamesUnder(region, stack.credentialsPath)),
    schedules,
    securityGroups: await p(() => listSecurityGroupsByTag(region, stack.tags)),
    copyRegions,
    namedClasses,
    records,
  };
}

export const teardownPorts = (region: string): TeardownPorts => ({
  terminateInstances: (ids) => p(() => terminateInstances(region, ids)),
  deleteImage: async (a) => {
    const where = a.region ?? region;
    await p(() => deregisterImage(where, a.id));
    for (const id of a.snapshotIds) await p(() => deleteSnapshot(where, id));
  },
  deleteSnapshot: (id) => p(() => deleteSnapshot(region, id)),
  deleteParameters: (names) => p(() => deleteParameters(region, names)),
  deleteSchedule: (name) => p(() => deleteSchedule(region, name)),
  deleteSecurityGroup: (id) => p(() => deleteSecurityGroup(region, id)),
  deleteRecords: (hostedZoneId, records) => p(() => deleteRecords(hostedZoneId, records)),
});
