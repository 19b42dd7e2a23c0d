/**
 * cfn-lint (AWS's CloudFormation linter) on the packaged template: what CloudFormation would
 * refuse to deploy (circular dependencies, bad properties) and what it warns of.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGED, packagedTemplate } from '../packaging/packaged';

const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const missing = probe.error ? `cfn-lint is not installed (${probe.error.message})` : undefined;
if (missing && process.env.CI === 'true') throw new Error(`CI needs cfn-lint: ${missing}`);
if (missing) console.warn(`skipping the cfn-lint judge: ${missing}`);

beforeAll(async () => {
  await packagedTemplate();
}, 240_000);

describe.skipIf(missing)('cfn-lint on the packaged template', () => {
  it('finds no error and no warning', () => {
    const lint = spawnSync('cfn-lint', ['--format', 'parseable', PACKAGED], { encoding: 'utf8' });
    console.log(
      `${probe.stdout.trim()}: ${lint.stdout.trim().split('\n').filter(Boolean).length} findings`,
    );
    expect(lint.stdout.trim().split('\n').filter(Boolean)).toEqual([]);
    expect(lint.stderr).toBe('');
    expect(lint.status).toBe(0);
  });
});
