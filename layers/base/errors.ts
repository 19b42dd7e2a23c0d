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

/** A rejection keeps at most this many issues: its size never grows with the input's. */
export const MAX_ISSUES = 20;
/** The longest path or message an issue keeps; longer ones are cut and end in `…`. */
export const MAX_ISSUE_TEXT = 200;

const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/gu;

/**
 * `text` safe to show and bounded: control and format characters (bidi overrides among them) and
 * lone surrogates written as `\uXXXX`, and cut to `max` characters.
 */
export function printable(text: string, max = MAX_ISSUE_TEXT): string {
  const shown = text
    .slice(0, max * 6)
    .replace(UNPRINTABLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (shown.length <= max) return shown;
  const cut = shown.slice(0, max - 1);
  return `${/[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

/** Input that can never work: a 400 at the API, a non-retryable failure in a state machine. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  /** The first MAX_ISSUES issues, each made printable and bounded. */
  readonly issues: FieldIssue[];
  /** How many issues were found beyond those kept. */
  readonly omitted: number;
  constructor(issues: FieldIssue[], what = 'input') {
    const kept = issues
      .slice(0, MAX_ISSUES)
      .map((issue) => ({ path: printable(issue.path), message: printable(issue.message) }));
    const omitted = issues.length - kept.length;
    super(
      `invalid ${printable(what)}: ${kept.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}${omitted > 0 ? `; and ${omitted} more` : ''}`,
    );
    this.issues = kept;
    this.omitted = omitted;
  }
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/**
 * The thing exists, but its state does not allow the operation (a 409 at the API): a write lost
 * a race or came too late (the record changed since it was read), or the move is not allowed from
 * the state it is in.
 */
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

/**
 * The account's quota in a region cannot hold what the operation needs (Elastic IPs for a class's
 * TLS seats): a 409 at the API, a non-retryable failure in a state machine. The message names the
 * numbers and the fix.
 */
export class QuotaError extends Error {
  override readonly name = 'QuotaError';
}

/** A resource cannot be deleted yet: something that is going still holds it (a retry will do). */
export class ResourceInUseError extends Error {
  override readonly name = 'ResourceInUseError';
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
