/**
 * EC2's request and resource token buckets per API, with the sizes and refill rates of the
 * Amazon EC2 Developer Guide's "Request throttling for the Amazon EC2 API"
 * (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html).
 */
import type { SimClock } from '../kernel/clock';
import { TokenBucket } from '../kernel/token-bucket';

export type Limit = readonly [size: number, refillPerSecond: number];

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

/** The request bucket of a mutating `operation` (size, refill per second): its own or the default. */
export const mutatingRequestLimit = (operation: string): Limit =>
  REQUEST_LIMITS[operation] ?? MUTATING;

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
    return this.bucket(operation, mutatingRequestLimit(operation)).take(this.clock.now());
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
