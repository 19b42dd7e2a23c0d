/**
 * A discrete-event clock: simulated time stands still while anything runs and, once everything
 * is idle, jumps to the earliest timer. A Lambda's own CPU time therefore costs no simulated
 * time at all, and two runs with the same seed make the same calls at the same simulated
 * moments.
 *
 * - `sleep(ms)` / `at(time, fire)` put a timer in the queue: Wait states, retry intervals, task
 *   timeouts, pauses inside handlers, schedules. A sleep given an `AbortSignal` is taken out of
 *   the queue and rejects when the signal aborts (a stopped execution releases its timers). A
 *   sleep that no `drive()` or `advance()` fires within `STALL_MS` of wall time rejects, saying
 *   so, instead of waiting for ever.
 * - `work(fn)` runs in-process work (a Lambda invocation). Work runs one at a time, in the order
 *   it was asked for, so work that awaits something real (WebAssembly, a file) cannot reorder
 *   the AWS calls of the work beside it. A `sleep` inside work gives up its turn while asleep.
 * - `drive(main)` is the scheduler: until `main` settles it waits for quiet (no work in flight,
 *   then a `setImmediate` turn, so every promise continuation has run) and then fires the
 *   earliest timer; timers due at the same moment fire in the order they were set. A run that
 *   starts while another is driven (an execution a schedule starts) rides on that drive.
 * - `hold()` keeps time still, without taking a turn, until its release is called: a run being
 *   set up before its first work.
 *
 * `scale` paces the jumps for people watching (`npm start`): a jump of s simulated seconds waits
 * s / scale wall seconds first. 0 jumps at once (tests, benchmarks).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SimClock } from './clock';

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

/** How long the clock tolerates having nothing to run and nothing scheduled. */
const STALL_MS = 10_000;

const aborted = (signal: AbortSignal): Error =>
  signal.reason instanceof Error ? signal.reason : new Error('the sleep was aborted');

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const wallDelay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class EventClock implements SimClock {
  private current: number;
  /** Timers sorted by (at, seq). */
  private readonly queue: Timer[] = [];
  private seq = 0;
  /** Work started and not finished, minus work asleep on a timer. */
  private inFlight = 0;
  private held = false;
  private readonly waitingForTurn: (() => void)[] = [];
  private readonly working = new AsyncLocalStorage<true>();
  private isDriving = false;
  /** Called when the last work in flight finishes or falls asleep. */
  private onIdle: (() => void)[] = [];

  constructor(
    /** Simulated seconds per wall second when pacing; 0 never waits. */
    readonly scale: number,
    start: number,
  ) {
    if (!(scale >= 0)) throw new RangeError(`cannot pace simulated time at ${scale}`);
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  /** True while `drive` runs. */
  get driving(): boolean {
    return this.isDriving;
  }

  /** Timers still to fire. */
  get pending(): number {
    return this.queue.length;
  }

  /** Move time by hand (tests), firing every timer due on the way, in order. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`cannot move simulated time by ${ms} ms`);
    const target = this.current + ms;
    for (let next = this.queue[0]; next && next.at <= target; next = this.queue[0]) {
      this.queue.shift();
      this.current = Math.max(this.current, next.at);
      next.fire();
    }
    this.current = target;
  }

  /** Call `fire` at simulated `time` (at once if it is past); returns a cancel function. */
  at(time: number, fire: () => void): () => void {
    const timer = { at: Math.max(time, this.current), seq: this.seq++, fire };
    let low = 0;
    let high = this.queue.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const other = this.queue[mid] as Timer;
      if (other.at < timer.at || (other.at === timer.at && other.seq < timer.seq)) low = mid + 1;
      else high = mid;
    }
    this.queue.splice(low, 0, timer);
    return () => {
      const index = this.queue.indexOf(timer);
      if (index >= 0) this.queue.splice(index, 1);
    };
  }

  /**
   * Resolves when simulated time has moved `ms` on. Inside `work`, gives up the turn meanwhile
   * (and takes it back before it resolves or rejects). Rejects when `signal` aborts, or when no
   * `drive()` runs and nothing fires the timer for `STALL_MS` of wall time.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`cannot sleep for ${ms} ms`);
    if (signal?.aborted) return Promise.reject(aborted(signal));
    const inWork = this.working.getStore() === true;
    if (inWork) this.leave();
    const asleep = new Promise<void>((resolve, reject) => {
      let watchdog: NodeJS.Timeout | undefined;
      const settle = (error?: Error) => {
        clearTimeout(watchdog);
        signal?.removeEventListener('abort', onAbort);
        if (inWork) this.inFlight += 1;
        if (error) reject(error);
        else resolve();
      };
      const cancel = this.at(this.current + ms, () => settle());
      const onAbort = () => {
        cancel();
        settle(aborted(signal as AbortSignal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const watch = () => {
        watchdog = setTimeout(() => {
          if (this.driving) return watch();
          cancel();
          settle(
            new Error(
              `a ${ms} ms sleep on the event clock was never fired: nothing drives the clock ` +
                '(run it inside EventClock.drive())',
            ),
          );
        }, STALL_MS);
      };
      watch();
    });
    if (!inWork) return asleep;
    return asleep.then(
      () => this.takeTurn(),
      async (error: unknown) => {
        await this.takeTurn();
        throw error;
      },
    );
  }

  /** Runs `fn` as in-process work: time stands still until it settles; one at a time. */
  async work<T>(fn: () => Promise<T>): Promise<T> {
    if (this.working.getStore()) return fn();
    this.inFlight += 1;
    await this.takeTurn();
    try {
      return await this.working.run(true, fn);
    } finally {
      this.leave();
    }
  }

  /** Keeps time still until the returned release is called (once; later calls do nothing). */
  hold(): () => void {
    this.inFlight += 1;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.release();
    };
  }

  /** Fires timers whenever everything is idle, until `main` settles; returns `main`. */
  async drive<T>(main: Promise<T>): Promise<T> {
    if (this.isDriving) throw new Error('EventClock.drive() is already driving a run');
    this.isDriving = true;
    let settled = false;
    const done = main.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    try {
      let stalledSince: number | undefined;
      while (!settled) {
        await this.quiet();
        if (settled) break;
        const next = this.queue[0];
        if (!next) {
          stalledSince ??= performance.now();
          if (performance.now() - stalledSince > STALL_MS)
            throw new Error('simulation stalled: nothing is running and no timer is set');
          await wallDelay(5);
          continue;
        }
        stalledSince = undefined;
        if (this.scale > 0 && next.at > this.current) {
          await wallDelay((next.at - this.current) / this.scale);
          if (this.queue[0] !== next || this.inFlight > 0) continue;
        }
        this.queue.shift();
        this.current = Math.max(this.current, next.at);
        next.fire();
      }
      await done;
      return main;
    } finally {
      this.isDriving = false;
    }
  }

  /** Resolves once no work is in flight and a `setImmediate` turn has let every continuation run. */
  private async quiet(): Promise<void> {
    for (;;) {
      if (this.inFlight > 0) await new Promise<void>((resolve) => this.onIdle.push(resolve));
      await turn();
      if (this.inFlight === 0) return;
    }
  }

  private takeTurn(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waitingForTurn.push(resolve));
  }

  private leave(): void {
    const next = this.waitingForTurn.shift();
    if (next) next();
    else this.held = false;
    this.release();
  }

  private release(): void {
    this.inFlight -= 1;
    if (this.inFlight === 0) {
      const idle = this.onIdle;
      this.onIdle = [];
      for (const resolve of idle) resolve();
    }
  }
}
