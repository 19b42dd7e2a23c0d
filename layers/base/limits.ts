// Sizes AWS enforces that bakehouse must stay under, each stated once.
import { ValidationError } from './errors';

/**
 * Step Functions' limit on an execution's input and on every state's input and output, in bytes
 * of UTF-8 JSON (256 KiB). Over it StartExecution fails, and inside a run a state fails with
 * States.DataLimitExceeded, which `States.ALL` does not catch.
 */
export const STEP_FUNCTIONS_PAYLOAD_BYTES = 256 * 1024;

/** The largest request body the API reads; no valid request comes near it. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

const kib = (bytes: number) => `${Math.ceil(bytes / 1024)} KiB`;

/**
 * `input` as the JSON text of an execution's input, or a ValidationError (a 400 at the API) when
 * it is over Step Functions' limit; `path` names what made it large.
 */
export function executionInputText(input: unknown, path = 'body'): string {
  const text = JSON.stringify(input);
  const bytes = Buffer.byteLength(text);
  if (bytes > STEP_FUNCTIONS_PAYLOAD_BYTES) {
    throw new ValidationError(
      [
        {
          path,
          message: `makes an execution input of ${kib(bytes)}, over Step Functions' limit of ${kib(STEP_FUNCTIONS_PAYLOAD_BYTES)}: send fewer or shorter entries`,
        },
      ],
      'request',
    );
  }
  return text;
}
