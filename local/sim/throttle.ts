/**
 * EC2's token buckets (DESIGN.md §4), refilled in SIMULATED time.
 *
 * Every AWS latency here is simulated, so the request rate a caller reaches is measured on the
 * same clock: a poller that waits 10 simulated seconds between rounds makes one round per 10
 * simulated seconds whatever the scale. Refilling in wall time instead would starve a caller
 * that batches properly (at scale 600 it would see 600 times fewer tokens per simulated second)
 * and refilling faster than simulated time would let a per-seat poller off. The cost of this
 * choice: JavaScript work between calls also takes simulated time (1 ms of wall time is 0.6 s
 * at scale 600) unless the runner holds the clock around it (`SimClock.hold`); bursts fired
 * together still land within a few simulated seconds and are throttled as AWS would throttle
 * them. Tests that count throttles exactly pause the clock (`scale: 0`).
 */
import type { SimClock } from './clock';

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly size: number,
    readonly refillPerSecond: number,
    now: number,
  ) {
    this.tokens = size;
    this.updatedAt = now;
  }

  /** Take `n` tokens if the bucket holds them; a refused request takes none. */
  take(now: number, n = 1): boolean {
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.size, this.tokens + elapsed * this.refillPerSecond);
    this.updatedAt = Math.max(this.updatedAt, now);
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }
}

type Limit = readonly [size: number, refillPerSecond: number];

const NON_MUTATING: Limit = [100, 20];
const UNFILTERED_DESCRIBE: Limit = [50, 10];
const MUTATING: Limit = [50, 5];
const REQUEST_LIMITS: Record<string, Limit> = {
  RunInstances: [5, 2],
  StartInstances: [5, 2],
  TerminateInstances: [100, 5],
  CreateTags: [100, 10],
};
const RESOURCE_LIMITS: Record<string, Limit> = {
  RunInstances: [1000, 2],
  StartInstances: [1000, 2],
  StopInstances: [1000, 20],
  TerminateInstances: [1000, 20],
};

const NARROWING = /Ids$|Names$|^(Filters|Owners|MaxResults|NextToken)$/;

/** A Describe* call with no ids, no filters and no page size is "unfiltered and unpaginated". */
function isUnfiltered(input: Record<string, unknown>): boolean {
  return !Object.entries(input).some(
    ([key, value]) =>
      NARROWING.test(key) && value !== undefined && (!Array.isArray(value) || value.length > 0),
  );
}

/** Request and resource buckets per API, as EC2 keeps them per account and region. */
export class Ec2Throttle {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly clock: SimClock,
    private readonly enabled: boolean,
  ) {}

  /** One request token for `operation`; false when the caller must be throttled. */
  admitRequest(operation: string, input: Record<string, unknown>): boolean {
    if (!this.enabled) return true;
    if (operation.startsWith('Describe')) {
      return isUnfiltered(input)
        ? this.bucket(`${operation}:unfiltered`, UNFILTERED_DESCRIBE).take(this.clock.now())
        : this.bucket(operation, NON_MUTATING).take(this.clock.now());
    }
    return this.bucket(operation, REQUEST_LIMITS[operation] ?? MUTATING).take(this.clock.now());
  }

  /** Resource tokens, one per instance launched, started, stopped or terminated. */
  admitResources(operation: string, count: number): boolean {
    const limit = RESOURCE_LIMITS[operation];
    if (!this.enabled || !limit || count === 0) return true;
    return this.bucket(`${operation}:resources`, limit).take(this.clock.now(), count);
  }

  private bucket(key: string, [size, refill]: Limit): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(size, refill, this.clock.now());
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
