import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
/** The arguments `npm start` gives tsx (package.json), so the test runs exactly what a user runs. */
const START_ARGS: string[] = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  .scripts.start.split(' ')
  .slice(1);
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bakehouse-cli-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** `npm start -- …args` as a child process: its exit code and everything it printed. */
function start(...args: string[]) {
  const run = spawnSync(TSX, [...START_ARGS, '--outbox', join(dir, 'outbox'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr, all: run.stdout + run.stderr };
}

function recipeFile(text: string) {
  const file = join(dir, 'recipe.yaml');
  writeFileSync(file, text);
  return file;
}

const RECIPE = 'name: cli-test\nbaseImage: /aws/service/debian/release/12/latest/amd64\n';

describe('npm start refuses bad options before anything runs', () => {
  it('exits 2 for --seats 0, saying why, without baking', () => {
    const run = start('--seats', '0');

    expect(run.code).toBe(2);
    expect(run.err).toContain('bakehouse: --seats: must be at least 1: a classroom needs a seat');
    expect(run.err).toContain('usage: npm start --');
    expect(run.out).not.toContain('Bake');
  });

  it('exits 2 for an unknown option, naming it', () => {
    const run = start('--bogus');

    expect(run.code).toBe(2);
    expect(run.err).toContain("bakehouse: Unknown option '--bogus'");
    expect(run.all).not.toContain('ERR_PARSE_ARGS');
  });

  it('exits 2 for an invalid recipe, naming each bad field', () => {
    const run = start('--recipe', recipeFile('name: X\nbaseImage: nope\n'));

    expect(run.code).toBe(2);
    expect(run.err).toContain('bakehouse: the recipe is not valid:\n  name: must be 3–63');
    expect(run.err).toContain('  baseImage: must be an AMI id');
  });
});

describe('npm start tells the failing step and its cause, and exits 1', () => {
  it('for an instance type EC2 refuses, instead of a TypeError', () => {
    const run = start(
      '--scale',
      '6000',
      '--recipe',
      recipeFile(`${RECIPE}builder:\n  instanceType: x9.huge\n`),
    );

    expect(run.code).toBe(1);
    expect(run.out).toMatch(
      /LaunchBuilder +FAILED: InvalidParameterValue: Invalid value 'x9.huge' for InstanceType\./,
    );
    expect(run.err).toContain(
      "The bake failed: LaunchBuilder failed: InvalidParameterValue: Invalid value 'x9.huge' for InstanceType. Nothing to clean up.",
    );
    expect(run.all).not.toContain('TypeError');
  });

  it('for a build script that fails, and says the builder was cleaned up', () => {
    const run = start(
      '--scale',
      '6000',
      '--recipe',
      recipeFile(RECIPE),
      '--faults',
      '{"commandFails":{}}',
    );

    expect(run.code).toBe(1);
    expect(run.out).toMatch(/CheckBuildScript +FAILED: \(RunBuildScript\) ScriptFailedError: /);
    expect(run.err).toMatch(
      /The bake failed: RunBuildScript failed: ScriptFailedError: .*FAILED \(exit 1\).* Cleaned up: i-[0-9a-f]+\./,
    );
    expect(run.out).not.toContain('Seat a classroom');
  });
});
