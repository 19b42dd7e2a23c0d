/**
 * The adapters a class's seats need, EC2's bound to the class's region: what the launch, the
 * class's poll and a student's email are given (the core's LaunchDeps, SeatDeps and EmailDeps).
 * Credentials stay in the stack's own region, wherever the seats are.
 */
import { randomBytes } from 'node:crypto';
import type { SeatDeps } from '../core/classroom/seats/actions';
import type { LaunchDeps } from '../core/classroom/seats/launch';
import { now } from '../runtime/clock';
import { stackRegion } from '../runtime/config';
import { associateAddresses, seatAddresses } from './addresses';
import {
  cancelSpotRequests,
  describeInstances,
  instancesByTag,
  launchInstances,
  terminateInstances,
} from './ec2';
import { emailDeps } from './email-deps';
import type { Once } from './idempotency';
import { nameSeats } from './route53';
import { probeSeat } from './seat-probe';
import { putSecureParameter, secureParameters } from './ssm';
import { patiently } from './throttling';

/** Terminated instances too: a seat whose instance is gone is told apart from one not yet seen. */
const ALL_STATES = ['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated'];

export const launchDeps = (region: string): LaunchDeps => ({
  secureParameters: (names) => secureParameters(stackRegion(), names),
  putSecureParameter: (name, value, description) =>
    putSecureParameter(stackRegion(), name, value, description),
  seatAddresses: (request) => seatAddresses(region, request),
  // RunInstances' bucket is small (5, refilled at 2/s); a class's batches launch at once, and a
  // throttled launch waits its turn here rather than being retried whole (reads and all).
  runInstances: (spec) => patiently(() => launchInstances(region, spec)),
  instancesTagged: (tags) => instancesByTag(region, tags),
  nameSeats: ({ hostedZoneId, records }) => nameSeats(hostedZoneId, records),
  randomBytes: (n) => new Uint8Array(randomBytes(n)),
  now: () => now().getTime(),
});

/** Emails go from `sender`, each once for its key (`once`). */
export const seatDeps = (region: string, sender: string, once: Once): SeatDeps => ({
  ...launchDeps(region),
  ...emailDeps(sender, once),
  classInstances: (tags) => instancesByTag(region, tags, ALL_STATES),
  describeInstances: (ids) => describeInstances(region, ids),
  associateAddresses: (pairs) => associateAddresses(region, pairs),
  probeSeat: (target) => probeSeat(target),
  cancelSpotRequests: (ids) => cancelSpotRequests(region, ids),
  terminateInstances: (ids) => terminateInstances(region, ids),
});
