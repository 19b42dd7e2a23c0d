/**
 * Simulated time. Every AWS latency, token-bucket refill and schedule is computed from `now()`.
 * Two clocks keep it: `ScaledClock` (below), where simulated time flows as wall time × scale, and
 * `EventClock` (event-clock.ts), where it moves only from one timer to the next while nothing
 * runs, so a run is exact and repeatable.
 */
export interface SimClock {
  /** Simulated epoch milliseconds. */
  now(): number;
  /** Jump ahead in simulated time (tests, or a runner skipping a Wait). */
  advance(ms: number): void;
  /** Simulated seconds per wall second (an EventClock's pace; 0 for time moved only by hand). */
  readonly scale: number;
}

/**
 * Simulated time as wall time × scale: a 10-minute bake costs about a second of wall time at
 * scale 600. JavaScript CPU time counts as simulated time too, so runs are not repeatable.
 *
 * `hold()` stops time while in-process work runs (a local runner holds it around each handler),
 * so JavaScript CPU time is not mistaken for minutes of AWS time; `advance()` jumps ahead.
 */
export class ScaledClock implements SimClock {
  private readonly wallStart = performance.now();
  private offset = 0;
  private holds = 0;
  private frozenAt: number | undefined;

  constructor(
    /** Simulated seconds per wall second; 0 means time only moves through `advance`. */
    readonly scale: number,
    private readonly start: number,
  ) {}

  /** Simulated epoch milliseconds. */
  now(): number {
    return this.frozenAt ?? this.flowing();
  }

  /** Jump ahead in simulated time (tests, or a runner skipping a Wait). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`cannot move simulated time by ${ms} ms`);
    this.offset += ms;
    if (this.frozenAt !== undefined) this.frozenAt += ms;
  }

  /** Stop the flow of time until the matching `release()`; holds nest. */
  hold(): void {
    if (this.holds === 0) this.frozenAt = this.flowing();
    this.holds += 1;
  }

  release(): void {
    if (this.holds === 0) throw new Error('ScaledClock.release() without a matching hold()');
    this.holds -= 1;
    if (this.holds > 0 || this.frozenAt === undefined) return;
    this.offset -= this.flowing() - this.frozenAt;
    this.frozenAt = undefined;
  }

  private flowing(): number {
    const elapsed = (performance.now() - this.wallStart) * this.scale;
    return Math.floor(this.start + elapsed + this.offset);
  }
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
