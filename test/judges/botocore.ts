/**
 * Drives validate-requests.py: AWS's own API models (botocore) judge recorded requests.
 * Also a command: `npx tsx test/judges/botocore.ts FILE.jsonl…` prints the same summary.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type RecordedRequest, toJsonLine } from '../../local/record';

const SCRIPT = join(import.meta.dirname, 'validate-requests.py');

export interface BotocoreVerdict {
  botocore: string;
  requests: number;
  operations: Record<string, number>;
  invalid: { line: number; function?: string; operation: string; report: string }[];
}

/** Why botocore cannot judge here, or undefined when it can. */
export function botocoreMissing(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import botocore'], { encoding: 'utf8' });
  if (probe.error) return `python3 is not installed (${probe.error.message})`;
  if (probe.status !== 0)
    return `python3 has no botocore (${probe.stderr.trim().split('\n').at(-1)})`;
  return undefined;
}

function run(args: string[], input?: string): BotocoreVerdict {
  const out = execFileSync('python3', [SCRIPT, ...args], {
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out) as BotocoreVerdict;
}

export const validateRequests = (requests: readonly RecordedRequest[]) =>
  run([], requests.map((r) => `${toJsonLine(r)}\n`).join(''));

export const validateFiles = (files: string[]) => run(files);

if (import.meta.main) {
  const verdict = validateFiles(process.argv.slice(2));
  console.log(JSON.stringify(verdict, null, 2));
  process.exit(verdict.invalid.length ? 1 : 0);
}
