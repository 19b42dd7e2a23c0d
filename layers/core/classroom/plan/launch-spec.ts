// One RunInstances for seats of a batch: its launch spec and its idempotent ClientToken.
import { createHash } from 'node:crypto';
import type { LaunchSpec } from '../../launch';
import { TAG } from '../../tags';
import { classTags } from './class-names';
import type { ClassPlan } from './class-plan';
import type { Placement } from './placement-order';

const CLIENT_TOKEN_MAX = 64;

/**
 * RunInstances idempotency token. The same class, batch and attempt always give the same token,
 * so a retried Lambda cannot launch a second set of seats; each placement attempt needs its own
 * token because EC2 rejects a reused token with other parameters (IdempotentParameterMismatch).
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

/** One RunInstances for up to `count` seats of a batch at one placement; partial fills allowed. */
export function seatLaunchSpec(
  plan: ClassPlan,
  launch: {
    batchId: string;
    attempt: number;
    placement: Placement;
    /** Its position in the batch's order of placements: part of the ClientToken. */
    placementIndex: number;
    count: number;
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
    count: launch.count,
    minCount: 1,
    clientToken: clientToken(
      plan.classId,
      launch.batchId,
      launch.attempt,
      `p${launch.placementIndex}-n${launch.count}`,
    ),
    securityGroupIds: [launch.securityGroupId],
    instanceProfileName: launch.instanceProfileName,
    rootDeviceName: plan.rootDeviceName,
    rootVolumeGiB: plan.volumeGiB,
    shutdownBehavior: 'stop',
    tags: { ...classTags(plan, 'seat'), [TAG.batch]: launch.batchId },
  };
}
