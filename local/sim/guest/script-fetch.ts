/**
 * What an instance does with the command that names a bake script in S3
 * (layers/core/script-object/fetch-script.sh): it reads the object with its role, which allows
 * `s3:GetObject` only on `bakes/*\/<its own instance ARN>/*` of the script bucket (serverless.yml,
 * InstanceRole), checks the object's SHA-256 and runs it. Without `s3:ListBucket` S3 answers a
 * missing key with 403, as it answers a key the role may not read.
 */
import { createHash } from 'node:crypto';
import { SCRIPT_OBJECT_MARKER } from '../../../layers/core/script-object/script-object';
import { SECOND } from '../kernel/clock';
import type { ScriptRun } from './script-run';

const SETTING = /^(OBJECT_[A-Z0-9]+)='([^']*)'$/;

export type Fetched = { script: string } | { failure: string };

export function fetchedScript(
  command: string,
  instanceArn: string,
  read: (bucket: string, key: string) => Buffer | undefined,
): Fetched | undefined {
  const lines = command.split('\n');
  const start = lines.indexOf(SCRIPT_OBJECT_MARKER);
  if (start < 0) return undefined;
  const settings: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    const m = SETTING.exec(line);
    if (!m?.[1]) break;
    settings[m[1]] = m[2] ?? '';
  }
  const { OBJECT_BUCKET: bucket = '', OBJECT_KEY: key = '', OBJECT_SHA256: sha256 = '' } = settings;
  const where = `s3://${bucket}/${key}`;
  const allowed = /^bakes\/[^/]+\//.test(key) && key.includes(`/${instanceArn}/`);
  const body = allowed ? read(bucket, key) : undefined;
  if (!body) return { failure: `bakehouse: could not fetch ${where}: HTTP 403` };
  const digest = createHash('sha256').update(body).digest('hex');
  if (digest !== sha256) {
    return { failure: `bakehouse: ${where} has SHA-256 ${digest}, not ${sha256}: not run` };
  }
  return { script: body.toString('utf8') };
}

/** The run of a command whose fetch failed: its one line, and the exit the agent reports. */
export function fetchFailed(failure: string): ScriptRun {
  return {
    lines: [
      { at: 2 * SECOND, text: failure, stream: 'stdout' },
      { at: 2 * SECOND, text: 'failed to run commands: exit status 1', stream: 'stderr' },
    ],
    exitCode: 1,
    duration: 2 * SECOND,
  };
}
