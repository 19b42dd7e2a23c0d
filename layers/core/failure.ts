import * as z from 'zod';

/**
 * Every Catch of a state machine stores its error under `failed.<StepName>`, so the step that
 * failed is the key. This turns that record into the Fail state's error and cause.
 */
export const FailureSchema = z.record(
  z.string(),
  z.object({ Error: z.string(), Cause: z.unknown().optional() }),
);
export type Failure = z.infer<typeof FailureSchema>;

export function failureOutcome(failed: Failure, cleaned: string[]) {
  const [step, info] = Object.entries(failed)[0] ?? ['Unknown', { Error: 'Unknown', Cause: '' }];
  const cause = readableCause(info.Cause).trim();
  const cleanup = cleaned.length ? ` Cleaned up: ${cleaned.join(', ')}.` : ' Nothing to clean up.';
  return {
    error: info.Error,
    cause: `${step} failed: ${info.Error}${cause ? `: ${cause}` : ''}${/[.!?]$/.test(cause) ? '' : '.'}${cleanup}`,
  };
}

/** A Lambda's Cause is a JSON string `{errorType, errorMessage, trace}`; keep the message. */
export function readableCause(cause: unknown): string {
  if (typeof cause !== 'string') return cause === undefined ? '' : JSON.stringify(cause);
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // Not JSON: a plain message.
  }
  return cause;
}
