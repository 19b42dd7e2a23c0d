/**
 * A bake script too large for one Run Command request travels as an S3 object: the bake's Lambda
 * writes it under the bake's prefix, in a folder named by the builder's ARN, and the command only
 * names the object and its SHA-256 (fetch-script.sh). The builder's role may read
 * `bakes/*\/<its own instance ARN>/*` and nothing else of the bucket, so a builder reads only its
 * bake's script and a seat (same role) reads nothing.
 *
 * Above SCRIPT_OBJECT_MAX_BYTES a script is refused before launch: the recipe that carries the
 * repository travels in the bake's state twice (the execution's input and `$.bake`), and Step
 * Functions caps a state's input and output at 256 KiB (262,144 bytes), which a recipe whose
 * script is larger than 112 KiB would come too close to (the script is the recipe's packed
 * repository plus the compiled phases).
 */
import { ValidationError } from '../../base/errors';
import { parametersBytes, RUN_COMMAND_PARAMETERS_MAX_BYTES, requireSendable } from '../run-command';
import { fillSlots, heredoc, shQuote } from '../shell';
import fetchScriptPy from './fetch-script.py';
import fetchScriptSh from './fetch-script.sh';

export const SCRIPT_OBJECT_MAX_BYTES = 112 * 1024;
/** The line after which the fetch command carries the object's settings. */
export const SCRIPT_OBJECT_MARKER = '# bakehouse:script-object';
const FETCHER = '/var/lib/bakehouse/fetch/fetch-script.py';

/** Whether `script` goes in the command itself or as an object; refused above the upper bound. */
export function scriptTravel(script: string, path: string, what: string): 'command' | 'object' {
  const bytes = parametersBytes({ commands: [script], executionTimeout: ['172800'] });
  if (bytes <= RUN_COMMAND_PARAMETERS_MAX_BYTES) return 'command';
  if (Buffer.byteLength(script) > SCRIPT_OBJECT_MAX_BYTES) {
    throw new ValidationError(
      [
        {
          path,
          message: `${what} is ${Buffer.byteLength(script)} bytes; a script that travels through S3 is at most ${SCRIPT_OBJECT_MAX_BYTES} bytes, since the recipe that makes it travels twice in the bake's state and Step Functions caps that at 256 KiB`,
        },
      ],
      'recipe',
    );
  }
  return 'object';
}

export const instanceArn = (region: string, account: string, instanceId: string) =>
  `arn:aws:ec2:${region}:${account}:instance/${instanceId}`;

/** The object's key: the bake's prefix, then the builder's ARN, which its role's policy names. */
export const scriptObjectKey = (bakeId: string, builderArn: string) =>
  `bakes/${bakeId}/${builderArn}/build.sh`;

export interface ScriptObject {
  region: string;
  bucket: string;
  key: string;
  /** SHA-256 of the script, lowercase hex. */
  sha256: string;
}

/** The Run Command text that fetches the object, checks its digest and runs it. */
export function fetchScriptCommand(object: ScriptObject): string {
  const settings = [
    SCRIPT_OBJECT_MARKER,
    `OBJECT_REGION=${shQuote(object.region)}`,
    `OBJECT_BUCKET=${shQuote(object.bucket)}`,
    `OBJECT_KEY=${shQuote(object.key)}`,
    `OBJECT_SHA256=${shQuote(object.sha256)}`,
  ].join('\n');
  const command = fillSlots(fetchScriptSh, {
    object: settings,
    fetcher: heredoc(`cat >${shQuote(FETCHER)}`, fetchScriptPy),
  });
  requireSendable(command, 'recipe', 'the command that fetches the bake script');
  return command;
}
