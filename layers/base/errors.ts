// Named errors, on the floor below core and runtime: every layer may throw and match them.
/**
 * Named errors. State machines match them by `name` in Retry/Catch; the HTTP middleware maps them
 * to status codes once. Names are string literals so minified bundles keep them.
 */

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `environment.apt[2]`. */
  path: string;
  message: string;
}

/** Input that can never work: a 400 at the API, a non-retryable failure in a state machine. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    readonly issues: FieldIssue[],
    what = 'input',
  ) {
    super(
      `invalid ${what}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
    );
  }
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** The thing exists, but its state does not allow the operation (a 409 at the API). */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

/** The script sent through SSM Run Command ended in Failed, TimedOut or Cancelled. */
export class ScriptFailedError extends Error {
  override readonly name = 'ScriptFailedError';
}

/** CreateImage ended in the `failed` state (or the image vanished). */
export class ImageFailedError extends Error {
  override readonly name = 'ImageFailedError';
}

/** A class whose estimate exceeds its budget, or cannot be held to it: a 400 at the API. */
export class BudgetError extends Error {
  override readonly name = 'BudgetError';
}

/** Deployment configuration (environment) is missing or malformed. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The message of anything thrown, for causes and logs. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
