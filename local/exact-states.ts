/**
 * What the local runner changes so that a definition's time passes on an `EventClock` instead of
 * aws-local-stepfunctions' wall-clock timers (which it uses for Waits, retry intervals and task
 * timeouts, with no hook to replace them):
 *
 * - each `Wait` (Seconds) becomes a Task whose local handler sleeps on the clock; its events are
 *   reported as the Wait's again;
 * - each Task's `TimeoutSeconds` is enforced on the clock, and the library's own timer is set
 *   beyond any run;
 * - every retry interval is overridden to 0 for the library, and the retried invocation first
 *   sleeps on the clock for as long as the ASL says: IntervalSeconds × BackoffRate^n, capped by
 *   MaxDelaySeconds, FULL jitter drawn from the run's seeded draws. The retrier that
 *   applies and the attempt count follow the library's own rules (first retrier whose
 *   ErrorEquals matches; none once its MaxAttempts are used), so both agree on whether a retry
 *   comes.
 *
 * Transitions are unchanged: a Wait, like the Task that stands in for it, is one state entered.
 */
import { allStates, type Definition } from './serverless-config';

/** Longer than any run: the library's wall-clock task timer never fires. */
const NEVER_SECONDS = 2_000_000;
const WAIT_RESOURCE = 'arn:aws:lambda:us-east-1:000000000000:function:bakehouse-local-wait';
/** aws-local-stepfunctions' defaults, which the stand-ins must match. */
const DEFAULT_TIMEOUT_SECONDS = 60;
const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_INTERVAL_SECONDS = 1;
const DEFAULT_BACKOFF_RATE = 2;

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  BackoffRate?: number;
  MaxAttempts?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface ExactPlan {
  /** The definition the library runs. */
  definition: Definition;
  /** Former Wait states → simulated milliseconds, or the path of the seconds in their input. */
  waits: Record<string, number | { secondsPath: string }>;
  /** Task states → their timeout in simulated milliseconds. */
  timeouts: Record<string, number>;
  retriers: Record<string, Retrier[]>;
  /** For the library: every retry interval 0. */
  retryIntervalOverrides: Record<string, number[]>;
}

export function exactPlan(source: Definition): ExactPlan {
  const definition = structuredClone(source);
  const plan: ExactPlan = {
    definition,
    waits: {},
    timeouts: {},
    retriers: {},
    retryIntervalOverrides: {},
  };
  for (const [name, state] of allStates(definition)) {
    if (state.Type === 'Wait') {
      if (typeof state.Seconds === 'number') plan.waits[name] = state.Seconds * 1000;
      else if (typeof state.SecondsPath === 'string')
        plan.waits[name] = { secondsPath: state.SecondsPath };
      else
        throw new Error(`Wait ${name}: only Seconds and SecondsPath waits run on the exact clock`);
      delete state.Seconds;
      delete state.SecondsPath;
      Object.assign(state, {
        Type: 'Task',
        Resource: WAIT_RESOURCE,
        TimeoutSeconds: NEVER_SECONDS,
      });
      continue;
    }
    if (state.Type === 'Task') {
      if (state.TimeoutSecondsPath !== undefined)
        throw new Error(`Task ${name}: TimeoutSecondsPath does not run on the exact clock`);
      plan.timeouts[name] = ((state.TimeoutSeconds as number) ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
      state.TimeoutSeconds = NEVER_SECONDS;
    }
    const retry = state.Retry as Retrier[] | undefined;
    if (!retry) continue;
    if (state.Type !== 'Task')
      throw new Error(`${name}: Retry on a ${state.Type} state does not run on the exact clock`);
    plan.retriers[name] = retry;
    plan.retryIntervalOverrides[name] = retry.map(() => 0);
  }
  return plan;
}

/**
 * For a scaled clock: the Waits whose time the state decides (SecondsPath), which the library's
 * fixed overrides cannot scale, turned into Tasks a handler runs as a scaled wall-clock sleep.
 */
export function scaledPathWaits(source: Definition): {
  definition: Definition;
  waits: Record<string, { secondsPath: string }>;
} {
  const definition = structuredClone(source);
  const waits: Record<string, { secondsPath: string }> = {};
  for (const [name, state] of allStates(definition)) {
    if (state.Type !== 'Wait' || typeof state.SecondsPath !== 'string') continue;
    waits[name] = { secondsPath: state.SecondsPath };
    delete state.SecondsPath;
    Object.assign(state, { Type: 'Task', Resource: WAIT_RESOURCE, TimeoutSeconds: NEVER_SECONDS });
  }
  return { definition, waits };
}

/**
 * Retry attempts per state entry, as the library counts them. An entry is known by its state and
 * its input: a retried Task gets the same input again, and attempts are forgotten when the entry
 * ends (success, or an error no retrier takes).
 */
export class RetryBackoff {
  private readonly attempts = new Map<string, number[]>();
  private readonly due = new Map<string, number>();

  constructor(private readonly draw: () => number) {}

  /**
   * After a failure: the simulated ms the retry must wait (kept for `take`), or undefined when no
   * retrier takes the error.
   */
  delay(state: string, input: unknown, errorName: string, retriers: Retrier[]): number | undefined {
    const key = keyOf(state, input);
    const counts = this.attempts.get(key) ?? retriers.map(() => 0);
    for (const [i, retrier] of retriers.entries()) {
      const matches = retrier.ErrorEquals.some(
        (name) => name === errorName || name === 'States.ALL' || name === 'States.TaskFailed',
      );
      if (!matches) continue;
      const done = counts[i] ?? 0;
      if (done >= (retrier.MaxAttempts ?? DEFAULT_MAX_ATTEMPTS)) break;
      const seconds =
        (retrier.IntervalSeconds ?? DEFAULT_INTERVAL_SECONDS) *
        (retrier.BackoffRate ?? DEFAULT_BACKOFF_RATE) ** done;
      const capped = retrier.MaxDelaySeconds ? Math.min(seconds, retrier.MaxDelaySeconds) : seconds;
      const ms = capped * 1000;
      counts[i] = done + 1;
      this.attempts.set(key, counts);
      const wait = retrier.JitterStrategy === 'FULL' ? Math.floor(this.draw() * (ms + 1)) : ms;
      this.due.set(key, wait);
      return wait;
    }
    this.attempts.delete(key);
    return undefined;
  }

  /** Before an invocation: how long it must wait as a retry (0 for a first attempt). */
  take(state: string, input: unknown): number {
    const key = keyOf(state, input);
    const wait = this.due.get(key) ?? 0;
    this.due.delete(key);
    return wait;
  }

  /** The entry succeeded: its attempts start again from 0 next time. */
  forget(state: string, input: unknown): void {
    this.attempts.delete(keyOf(state, input));
  }
}

/** The milliseconds a former Wait sleeps for this input (a SecondsPath: `$.a.b`). */
export function waitMs(wait: number | { secondsPath: string }, input: unknown): number {
  if (typeof wait === 'number') return wait;
  let value: unknown = input;
  for (const part of wait.secondsPath
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean))
    value = (value as Record<string, unknown> | undefined)?.[part];
  if (typeof value !== 'number' || value < 0 || !Number.isInteger(value))
    throw new Error(`States.Runtime: ${wait.secondsPath} is not a non-negative integer`);
  return value * 1000;
}

const keyOf = (state: string, input: unknown) => `${state}\u0000${JSON.stringify(input)}`;
