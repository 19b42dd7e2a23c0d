/**
 * Throttling, as AWS answers it, and the patience a long batch of calls needs under it. The SDK
 * retries a throttled call a few times (`maxAttempts`), but its retry quota runs dry when a whole
 * account is over its request rate, and then the error reaches the caller: a job that makes
 * hundreds of calls (the nightly teardown) waits and asks again instead of giving up on the lot.
 */
import { draw, sleep } from '../runtime/sleep';

/** The error names of a call refused for its rate (EC2, SSM, Scheduler, SES, Route 53). */
const THROTTLES = new Set([
  'RequestLimitExceeded',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'PriorRequestNotComplete',
]);

export const isThrottle = (error: unknown): boolean =>
  error instanceof Error && THROTTLES.has(error.name);

/** The pause before attempt `attempt + 1`: full jitter over an exponential step, capped. */
const backoffMs = (attempt: number): number => draw() * Math.min(10_000, 250 * 2 ** attempt);

/** Runs `work`, and again after a backoff each time it is throttled, at most `attempts` times. */
export async function patiently<T>(work: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isThrottle(error) || attempt >= attempts) throw error;
      await sleep(backoffMs(attempt));
    }
  }
}
