import { createHash } from 'node:crypto';
import { z } from 'zod';

/** SendCommand takes at most 50 instance ids, so a batch is at most 50 seats. */
export const MAX_BATCH = 50;
/** Inline Map state ceiling for concurrent iterations. */
export const MAP_MAX_CONCURRENCY = 40;
const CLIENT_TOKEN_MAX = 64;

/** `seat-001` … `seat-040`; the number is padded to the width of the count, at least 3 digits. */
export function seatIds(count: number): string[] {
  const width = Math.max(3, String(count).length);
  return Array.from({ length: count }, (_, i) => `seat-${String(i + 1).padStart(width, '0')}`);
}

export interface Batch<T> {
  /** `b00`, `b01`, …: stable for a given seat list, so retries land on the same ids. */
  batchId: string;
  seats: T[];
}

/**
 * Split seats into batches of at most `maxBatch`, sized evenly (51 seats → 26 + 25, not 50 + 1)
 * so the batches of one Map run finish together instead of waiting on a straggler.
 */
export function planBatches<T>(seats: readonly T[], maxBatch = MAX_BATCH): Batch<T>[] {
  if (!Number.isInteger(maxBatch) || maxBatch < 1) {
    throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
  }
  const count = Math.ceil(seats.length / maxBatch);
  const width = Math.max(2, String(count - 1).length);
  const batches: Batch<T>[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const size = Math.floor(seats.length / count) + (i < seats.length % count ? 1 : 0);
    batches.push({
      batchId: `b${String(i).padStart(width, '0')}`,
      seats: seats.slice(start, start + size),
    });
    start += size;
  }
  return batches;
}

/** The position of a batch from its id (`b07` → 7). */
export const batchNumber = (batchId: string) => Number.parseInt(batchId.slice(1), 10);

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

export interface FanOutShape {
  seats: number;
  batches: number;
  largestBatch: number;
  /** MaxConcurrency of the Map over batches. */
  mapMaxConcurrency: number;
  /** Rounds of the Map needed when batches exceed the concurrency ceiling. */
  waves: number;
  /** One RunInstances and one SendCommand per batch when the first placement succeeds. */
  runInstancesCalls: number;
  sendCommandCalls: number;
}

/** How a classroom of `seatCount` seats fans out, for documentation and benchmarks. */
export function fanOutShape(seatCount: number, maxBatch = MAX_BATCH): FanOutShape {
  const batches = planBatches(
    Array.from({ length: seatCount }, (_, i) => i),
    maxBatch,
  );
  const mapMaxConcurrency = Math.min(MAP_MAX_CONCURRENCY, Math.max(1, batches.length));
  return {
    seats: seatCount,
    batches: batches.length,
    largestBatch: batches[0]?.seats.length ?? 0,
    mapMaxConcurrency,
    waves: Math.ceil(batches.length / mapMaxConcurrency),
    runInstancesCalls: batches.length,
    sendCommandCalls: batches.length,
  };
}
