/**
 * What one SSM Run Command request may carry. Systems Manager documents are at most 64 KB, and
 * that quota "also includes the content specified for input parameters at runtime" (SSM API
 * Reference, CreateDocument `Content`; SendCommand fails with MaxDocumentSizeExceeded, "The size
 * limit of a document is 64 KB"). AWS-RunShellScript's own content (schema 2.2, three
 * parameters, one aws:runShellScript step) takes about 1.5 KB of it; 4 KiB is kept for it, and
 * the rest is what the parameters of one command (the script, the timeout) may hold.
 */
import { ValidationError } from '../base/errors';

export const RUN_COMMAND_DOCUMENT_MAX_BYTES = 64 * 1024;
export const RUN_SHELL_SCRIPT_DOCUMENT_BYTES = 4 * 1024;
/** 61,440 bytes of parameter values (UTF-8) per SendCommand. */
export const RUN_COMMAND_PARAMETERS_MAX_BYTES =
  RUN_COMMAND_DOCUMENT_MAX_BYTES - RUN_SHELL_SCRIPT_DOCUMENT_BYTES;

/** The UTF-8 size of a SendCommand's parameters: every key and every value. */
export function parametersBytes(parameters: Readonly<Record<string, readonly string[]>>): number {
  return Object.entries(parameters).reduce(
    (sum, [key, values]) =>
      sum + Buffer.byteLength(key) + values.reduce((n, v) => n + Buffer.byteLength(v), 0),
    0,
  );
}

/**
 * Throws a ValidationError at `path` when `script` (with room for the timeout parameter) would
 * not fit in one Run Command request, naming both sizes.
 */
export function requireSendable(script: string, path: string, what: string): void {
  const bytes = parametersBytes({ commands: [script], executionTimeout: ['172800'] });
  if (bytes > RUN_COMMAND_PARAMETERS_MAX_BYTES) {
    throw new ValidationError(
      [
        {
          path,
          message: `${what} is ${bytes} bytes; one SSM Run Command carries at most ${RUN_COMMAND_PARAMETERS_MAX_BYTES} bytes of parameters (documents are limited to 64 KB including their parameters)`,
        },
      ],
      'recipe',
    );
  }
}
