/**
 * A token bucket refilled in SIMULATED time: EC2's request and resource buckets and SES's
 * sending rate are all made of it.
 *
 * Every AWS latency here is simulated, so the request rate a caller reaches is measured on the
 * same clock: a poller that waits 10 simulated seconds between rounds makes one round per 10
 * simulated seconds whatever the scale. Refilling in wall time instead would starve a caller
 * that batches properly (at scale 600 it would see 600 times fewer tokens per simulated second)
 * and refilling faster than simulated time would let a per-seat poller off. The cost of this
 * choice: JavaScript work between calls also takes simulated time (1 ms of wall time is 0.6 s
 * at scale 600) unless the runner holds the clock around it (`ScaledClock.hold`; the EventClock has no such cost); bursts fired
 * together still land within a few simulated seconds and are throttled as AWS would throttle
 * them. Tests that count throttles exactly pause the clock (`scale: 0`).
 */
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
