// Where a class stands, as far as the teardown needs it. The teardown takes it through one
// dependency, `ClassStatusOf`; `executionClassStatus` derives it from the classroom execution
// (whose name is the class id) until the class store answers it instead.

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
