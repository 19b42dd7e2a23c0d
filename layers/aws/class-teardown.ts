/**
 * Everything a class holds on AWS, found by its tag and name prefix and removed: the spot
 * requests of spot seats cancelled (so none is launched again), seats terminated, credentials
 * deleted, schedules deleted, the seats' names deleted from the class's hosted zone, Elastic IPs
 * released, the security group deleted (or left, and named so, while terminating instances still
 * hold it). EC2's in the class's `region`; the credentials and schedules in the stack's own.
 */
import { stackRegion } from '../runtime/config';
import { releaseAddresses } from './addresses';
import { cancelSpotRequests, instancesByTag, terminateInstances } from './ec2';
import { unnameSeats } from './route53';
import { deleteSchedules } from './scheduler';
import { deleteSecurityGroup, securityGroupsByTag } from './security-groups';
import { deleteParameters, parameterNamesUnder } from './ssm';

export async function tearDownClass(
  region: string,
  target: {
    classTag: Record<string, string>;
    parameterPath: string;
    schedulePrefix: string;
    /** The class's hosted zone and the suffix of its seat names, when it has one. */
    dns?: { hostedZoneId: string; suffix: string };
  },
): Promise<{ terminated: string[]; removed: string[] }> {
  const seats = await instancesByTag(region, target.classTag);
  await cancelSpotRequests(
    region,
    seats.flatMap((s) => (s.spotRequestId ? [s.spotRequestId] : [])),
  );
  // Seats already shutting down are not asked again: a retried clean-up would spend
  // TerminateInstances' resource tokens (1000, refilled at 20/s) on them and be throttled.
  const terminated = await terminateInstances(
    region,
    seats.filter((s) => s.state !== 'shutting-down').map((s) => s.instanceId),
  );
  const home = stackRegion();
  await deleteParameters(home, await parameterNamesUnder(home, target.parameterPath));
  await deleteSchedules(home, target.schedulePrefix);
  const names = target.dns ? await unnameSeats(target.dns.hostedZoneId, target.dns.suffix) : [];
  const addresses = await releaseAddresses(region, target.classTag);
  const groups = await securityGroupsByTag(region, target.classTag);
  const removed = await Promise.all(
    groups.map(async (g) =>
      (await deleteSecurityGroup(region, g))
        ? g
        : `${g} (still held by terminating instances: not deleted)`,
    ),
  );
  return { terminated, removed: [...names, ...addresses, ...removed] };
}

/**
 * Some of a class's seats ended for good: the spot requests of spot seats cancelled first (or a
 * persistent request would launch them again), then the instances terminated.
 */
export async function terminateSeats(
  region: string,
  seats: { instanceId: string; spotRequestId?: string }[],
): Promise<string[]> {
  await cancelSpotRequests(
    region,
    seats.flatMap((s) => (s.spotRequestId ? [s.spotRequestId] : [])),
  );
  return terminateInstances(
    region,
    seats.map((s) => s.instanceId),
  );
}
