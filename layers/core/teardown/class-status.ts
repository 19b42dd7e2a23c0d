// Where a class stands, as far as the teardown needs it. The teardown takes it through one
// dependency, `ClassStatusOf`: `recordedClassStatus` reads it from the class record in the class
// store and, for a class the store does not know, from the classroom execution named after it
// (`executionClassStatus`).
import type { ClassState } from '../classroom/record/class-record';

export type ClassStatus = 'live' | 'ended' | 'deleted' | 'failed' | 'aborted' | 'unknown';

/** A class's status; throws when it cannot be told (the teardown then keeps what is the class's). */
export type ClassStatusOf = (classId: string) => Promise<ClassStatus>;

/** Step Functions' execution statuses (PENDING_REDRIVE included), undefined when none exists. */
export type ExecutionStatus =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED'
  | 'PENDING_REDRIVE';

/**
 * A seating execution succeeds once the seats are ready while the class still runs: SUCCEEDED
 * is live until the class's latest expiry (its seats' and group's `expires-at`) has passed.
 */
export function statusOfExecution(
  execution: ExecutionStatus | undefined,
  latestExpiry: number | undefined,
  now: Date,
): ClassStatus {
  switch (execution) {
    case undefined:
      return 'unknown';
    case 'RUNNING':
    case 'PENDING_REDRIVE':
      return 'live';
    case 'SUCCEEDED':
      return latestExpiry !== undefined && latestExpiry > now.getTime() ? 'live' : 'ended';
    case 'ABORTED':
      return 'aborted';
    case 'FAILED':
    case 'TIMED_OUT':
      return 'failed';
  }
}

/** The class status from its execution: `describe` reads the execution named `classId`. */
export function executionClassStatus(
  describe: (classId: string) => Promise<ExecutionStatus | undefined>,
  latestExpiry: (classId: string) => number | undefined,
  now: Date,
): ClassStatusOf {
  return async (classId) => statusOfExecution(await describe(classId), latestExpiry(classId), now);
}

/**
 * A class record's state as the teardown sees it: a class waiting for, in or between sessions is
 * live; an ended one keeps its stopped seats until its retirement, so it is live until the class's
 * latest expiry (its seats' and group's `expires-at`, the retirement date) has passed, then ended.
 */
export function statusOfRecord(
  state: ClassState,
  latestExpiry: number | undefined,
  now: Date,
): ClassStatus {
  switch (state) {
    case 'scheduled':
    case 'seating':
    case 'ready':
    case 'stopped':
      return 'live';
    case 'ended':
      return latestExpiry !== undefined && latestExpiry > now.getTime() ? 'live' : 'ended';
    case 'deleted':
      return 'deleted';
    case 'failed':
      return 'failed';
  }
}

/**
 * The class status from its record (`read` resolves undefined for a class the store does not
 * know, which then falls back to `execution`). A class recorded as seating is mid-step: if its
 * execution was aborted or failed, nothing will move its record on, and that is its status.
 */
export function recordedClassStatus(
  read: (classId: string) => Promise<ClassState | undefined>,
  execution: ClassStatusOf,
  latestExpiry: (classId: string) => number | undefined,
  now: Date,
): ClassStatusOf {
  return async (classId) => {
    const state = await read(classId);
    if (state === undefined) return execution(classId);
    if (state === 'seating') {
      const ran = await execution(classId);
      if (ran === 'aborted' || ran === 'failed') return ran;
    }
    return statusOfRecord(state, latestExpiry(classId), now);
  };
}
