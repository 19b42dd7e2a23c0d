// Where a class may launch, best first, and what an EC2 launch error means for the next candidate.
import * as z from 'zod';

export const MarketSchema = z.enum(['spot', 'on-demand']);
export type Market = z.infer<typeof MarketSchema>;

export const PlacementSchema = z.strictObject({
  instanceType: z.string(),
  /** Absent: let EC2 choose a subnet of the default VPC. */
  subnetId: z.string().optional(),
  market: MarketSchema,
});
export type Placement = z.infer<typeof PlacementSchema>;

/**
 * Where to try launching, best first: each instance type in the order given, within it each
 * subnet (or one "any subnet" entry), within that spot before on-demand when spot is wanted.
 */
export function placements(request: {
  instanceTypes: readonly string[];
  subnets?: readonly string[] | undefined;
  spot?: boolean | undefined;
}): Placement[] {
  const subnets: (string | undefined)[] = request.subnets?.length
    ? [...request.subnets]
    : [undefined];
  const markets: Market[] = request.spot ? ['spot', 'on-demand'] : ['on-demand'];
  return request.instanceTypes.flatMap((instanceType) =>
    subnets.flatMap((subnetId) =>
      markets.map((market) =>
        subnetId ? { instanceType, subnetId, market } : { instanceType, market },
      ),
    ),
  );
}

/** EC2 errors that mean "not here, not now": another type, subnet or market may well work. */
const TRY_ELSEWHERE = new Set([
  'InsufficientInstanceCapacity',
  'InsufficientCapacity',
  'Unsupported',
  'SpotMaxPriceTooLow',
  'MaxSpotInstanceCountExceeded',
  'InsufficientFreeAddressesInSubnet',
]);
/** Account quotas: every other candidate would fail the same way until the quota is raised. */
const QUOTA = new Set(['VcpuLimitExceeded', 'InstanceLimitExceeded']);

export type PlacementStep =
  | { action: 'next'; index: number }
  | { action: 'exhausted' }
  | { action: 'quota'; errorName: string }
  | { action: 'not-placement'; errorName: string };

/**
 * What to do after candidate `index` of `candidateCount` failed with the EC2 error `errorName`:
 * move on to the next candidate, give up because none is left, stop and report an account quota,
 * or treat it as an ordinary error (throttling, bad parameters) that placement cannot fix.
 */
export function nextPlacement(
  index: number,
  errorName: string,
  candidateCount: number,
): PlacementStep {
  if (QUOTA.has(errorName)) return { action: 'quota', errorName };
  if (!TRY_ELSEWHERE.has(errorName)) return { action: 'not-placement', errorName };
  return index + 1 < candidateCount
    ? { action: 'next', index: index + 1 }
    : { action: 'exhausted' };
}
