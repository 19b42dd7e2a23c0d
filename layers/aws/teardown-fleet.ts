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
 * account, the stack's instances and security groups (classes seated there) and, where it holds
 * images of the stack (copies, whether their source is there or not), those images and every
 * instance there; and every A record under the domains of the named classes (each zone and
 * domain listed once).
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
  const seatedElsewhere = [];
  const groupsElsewhere = [];
  for (const other of await p(() => enabledRegions(region))) {
    if (other === region) continue;
    const instances = await p(() => listInstances(other));
    seatedElsewhere.push(
      ...instances.filter((i) => ours(i.tags)).map((i) => ({ ...i, region: other })),
    );
    groupsElsewhere.push(
      ...(await p(() => listSecurityGroupsByTag(other, stack.tags))).map((g) => ({
        ...g,
        region: other,
      })),
    );
    const theirs = (await p(() => listOwnImages(other))).filter((i) => ours(i.tags));
    if (theirs.length) copyRegions.push({ region: other, images: theirs, instances });
  }
  const namedClasses = stack.namedClasses ?? [];
  const records = [];
  for (const { hostedZoneId, domain } of stack.domainsOf?.(namedClasses) ?? [])
    records.push(...(await p(() => recordsUnderDomain(hostedZoneId, domain))));
  return {
    instances: [...(await p(() => listInstances(region))), ...seatedElsewhere],
    images,
    snapshots: await p(() => snapshotsByTag(region, stack.tags)),
    parameters: await p(() => parameterNamesUnder(region, stack.credentialsPath)),
    schedules,
    securityGroups: [
      ...(await p(() => listSecurityGroupsByTag(region, stack.tags))),
      ...groupsElsewhere,
    ],
    copyRegions,
    namedClasses,
    records,
  };
}

export const teardownPorts = (region: string): TeardownPorts => ({
  terminateInstances: (ids, where = region) => p(() => terminateInstances(where, ids)),
  deleteImage: async (a) => {
    const where = a.region ?? region;
    await p(() => deregisterImage(where, a.id));
    for (const id of a.snapshotIds) await p(() => deleteSnapshot(where, id));
  },
  deleteSnapshot: (id) => p(() => deleteSnapshot(region, id)),
  deleteParameters: (names) => p(() => deleteParameters(region, names)),
  deleteSchedule: (name) => p(() => deleteSchedule(region, name)),
  deleteSecurityGroup: (id, where = region) => p(() => deleteSecurityGroup(where, id)),
  deleteRecords: (hostedZoneId, records) => p(() => deleteRecords(hostedZoneId, records)),
});
