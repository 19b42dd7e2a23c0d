import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Every temporary file a test makes lands in .cache/tmp, emptied at the start of each run. */
export const TEST_TMPDIR = join(import.meta.dirname, '..', '.cache', 'tmp');

export default function setup() {
  rmSync(TEST_TMPDIR, { recursive: true, force: true });
  mkdirSync(TEST_TMPDIR, { recursive: true });
}
