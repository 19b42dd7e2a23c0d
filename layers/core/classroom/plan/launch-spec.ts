// One RunInstances for seats of a batch: its launch spec and its idempotent ClientToken.
import { createHash } from 'node:crypto';
import type { LaunchSpec } from '../../launch';
import { TAG } from '../../tags';
import { classTags } from './class-names';
import type { ClassPlan } from './class-plan';
import type { Placement } from './placement-order';

const CLIENT_TOKEN_MAX = 64;

/**
 * RunInstances idempotency token. The same class, batch, attempt and salt always give the same
 * token, so a retried Lambda cannot launch a second set of seats; each placement attempt needs its
 * own token because EC2 rejects a reused token with other parameters (IdempotentParameterMismatch).
 * Tokens that would exceed 64 ASCII characters keep a readable prefix and end in a SHA-256 digest.
 */
export function clientToken(
  classId: string,
  batchId: string,
  attempt: number,
  salt?: string,
): string {
  const readable = [classId, batchId, String(attempt), ...(salt ? [salt] : [])].join('-');
  if (readable.length <= CLIENT_TOKEN_MAX && /^[\x21-\x7e]+$/.test(readable)) return readable;
  const digest = createHash('sha256').update(readable).digest('hex').slice(0, 40);
  const prefix = readable
    .replace(/[^A-Za-z0-9-]/g, '')
    .slice(0, CLIENT_TOKEN_MAX - digest.length - 1);
  return `${prefix}-${digest}`;
}

const digest = (text: string, length: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

/**
 * The launch of these waiting seats of a batch in this replacement round: every instance it
 * starts carries it as a tag (written by RunInstances itself, so it exists before any response
 * can be lost), and a retried launch finds them by it instead of launching again.
 */
export const launchKey = (classId: string, batchId: string, attempt: number, seatIds: string[]) =>
  digest([classId, batchId, attempt, ...seatIds].join('\u0000'), 24);

/**
 * One RunInstances for the seats `seatIds` of a batch at one placement; partial fills allowed.
 * Its ClientToken names the class, batch, attempt, placement and the seats themselves: two
 * replacement launches of one round for other seats (a seat failed in each of two polls) never
 * share a token, so EC2 never answers the second with the first one's instance.
 */
export function seatLaunchSpec(
  plan: ClassPlan,
  launch: {
    batchId: string;
    attempt: number;
    placement: Placement;
    /** Its position in the batch's order of placements: part of the ClientToken. */
    placementIndex: number;
    /** The seats this call launches for, in the order they take its instances. */
    seatIds: string[];
    /** The launch this call is part of (`launchKey`): tagged on its instances. */
    launch: string;
    securityGroupId: string;
    instanceProfileName: string;
  },
): LaunchSpec {
  const { placement } = launch;
  return {
    imageId: plan.imageId,
    instanceType: placement.instanceType,
    subnetId: placement.subnetId,
    market: placement.market,
    count: launch.seatIds.length,
    minCount: 1,
    clientToken: clientToken(
      plan.classId,
      launch.batchId,
      launch.attempt,
      `p${launch.placementIndex}-n${launch.seatIds.length}-${digest(launch.seatIds.join(','), 12)}`,
    ),
    securityGroupIds: [launch.securityGroupId],
    instanceProfileName: launch.instanceProfileName,
    rootDeviceName: plan.rootDeviceName,
    rootVolumeGiB: plan.volumeGiB,
    shutdownBehavior: 'stop',
    tags: { ...classTags(plan, 'seat'), [TAG.batch]: launch.batchId, [TAG.launch]: launch.launch },
  };
}
