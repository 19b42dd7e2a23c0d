// Runs the `bakehouse` command in its own process, as `npm run bakehouse --` does.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../local/serverless-config';

export const TSX = join(ROOT, 'node_modules/.bin/tsx');
export const ARGS = ['--import', './local/text-files.ts', 'bin/bakehouse.ts'];

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `bakehouse ARGS…` in its own process; `env` replaces BAKEHOUSE_ENDPOINT and AWS_*. */
export function bakehouse(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('AWS_') && k !== 'BAKEHOUSE_ENDPOINT',
    ),
  );
  return new Promise((resolve) => {
    execFile(
      TSX,
      [...ARGS, ...args],
      { cwd: ROOT, env: { ...clean, ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
