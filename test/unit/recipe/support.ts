import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FieldIssue } from '../../../layers/base/errors';
import { ValidationError } from '../../../layers/base/errors';

export const EXAMPLES = join(import.meta.dirname, '../../../examples/recipes');

/** Every example recipe: the YAML files and the repo2docker directories. */
export const exampleRecipes = readdirSync(EXAMPLES, { withFileTypes: true }).map(
  (entry) => entry.name,
);

/** The issues `act` reports, or a failure when it accepts its input. */
export function issuesOf(act: () => unknown): FieldIssue[] {
  try {
    act();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('the input was accepted');
}

export const pathsOf = (act: () => unknown) => issuesOf(act).map((issue) => issue.path);

/**
 * Runs only the file writes of a compiled script (`cat >'PATH' <<'DELIM'` … `DELIM`, and the
 * `truncate` that follows one) in `dir`, each redirected to a numbered file there; returns what
 * each wrote, by its original path. The heredocs run in real bash, exactly as the script has them.
 */
export function runFileWrites(script: string, dir: string): Map<string, string> {
  const writes = [
    ...script.matchAll(
      /^ *cat >('(?:[^']|'\\'')*') <<'([A-Za-z0-9_]+)'\n([\s\S]*?)^\2\n(?: *truncate -s -1 \1\n)?/gm,
    ),
  ];
  const paths = writes.map((write) => write[1] ?? '');
  const fragment = writes
    .map((write, i) => write[0].replaceAll(write[1] ?? '', `"$OUT/${i}"`))
    .join('\n');
  const run = spawnSync('/bin/bash', ['-euo', 'pipefail', '-c', fragment], {
    cwd: dir,
    env: { OUT: dir, PATH: process.env.PATH ?? '/usr/bin:/bin' },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`the file writes failed: ${run.stderr}`);
  return new Map(
    paths.map((quoted, i) => [
      quoted.slice(1, -1).replaceAll(`'\\''`, "'"),
      readFileSync(join(dir, String(i)), 'utf8'),
    ]),
  );
}
