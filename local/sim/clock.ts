/**
 * Simulated time. Every AWS latency, token-bucket refill and schedule lives on this clock, so a
 * 10-minute bake costs about a second of wall time at the default scale while rates stay honest
 * relative to each other.
 */
export class SimClock {
  private readonly wallStart = performance.now();
  private offset = 0;
  private holds = 0;
  private heldSince = 0;
  private heldTotal = 0;

  constructor(
    /** Simulated seconds per wall second; 0 means time only moves through `advance`. */
    readonly scale: number,
    private readonly start: number,
  ) {}

  /** Simulated epoch milliseconds. */
  now(): number {
    const wall = this.holds > 0 ? this.heldSince : performance.now();
    const elapsed = (wall - this.wallStart - this.heldTotal) * this.scale;
    return Math.floor(this.start + elapsed + this.offset);
  }

  /**
   * Stop time while our own code runs (a Lambda handler in the local runner): its wall time is an
   * artefact of running in-process, and at 600× even 50 ms would be half a simulated minute.
   * Holds nest; time moves again when the last is released.
   */
  hold(): void {
    if (this.holds++ === 0) this.heldSince = performance.now();
  }

  release(): void {
    if (this.holds === 0) throw new Error('release() without hold()');
    if (--this.holds === 0) this.heldTotal += performance.now() - this.heldSince;
  }

  /** Jump ahead in simulated time (tests, or a runner skipping a Wait). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`cannot move simulated time by ${ms} ms`);
    this.offset += ms;
  }
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
