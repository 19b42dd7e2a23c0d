import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { type Phase, renderScript } from '../../../layers/core/recipe/script';

let dir: string;
let layout: { stateDir: string; logDir: string };

/** Runs the rendered script in bash against a scratch state directory; the trace lists what ran. */
function run(phases: Phase[]) {
  const result = spawnSync('/bin/bash', ['-c', renderScript(['test'], phases, layout)], {
    encoding: 'utf8',
    env: { TRACE: join(dir, 'trace'), HOME: dir },
  });
  const trace = existsSync(join(dir, 'trace')) ? readFileSync(join(dir, 'trace'), 'utf8') : '';
  return { ...result, lines: result.stdout.trim().split('\n'), trace };
}

const recording = (name: string, extra = ''): Phase => ({
  name,
  body: `echo ${name} >>"$TRACE"\necho "noisy output of ${name}"${extra}`,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bakehouse-script-'));
  layout = { stateDir: join(dir, 'phases'), logDir: join(dir, 'logs') };
});

describe('the phase runner', () => {
  it('runs every phase in order, logging start and done on stdout and the rest to a log', () => {
    // Act
    const result = run([recording('first'), recording('second')]);

    // Assess
    expect(result.status).toBe(0);
    expect(result.trace).toBe('first\nsecond\n');
    expect(result.lines).toEqual([
      'bakehouse: phase first start',
      'bakehouse: phase first done',
      'bakehouse: phase second start',
      'bakehouse: phase second done',
    ]);
    expect(readFileSync(join(layout.logDir, 'first.log'), 'utf8')).toBe('noisy output of first\n');
  });

  it('skips every phase on a second run of the same script', () => {
    // Prepare
    const phases = [recording('first'), recording('second')];
    run(phases);

    // Act
    const again = run(phases);

    // Assess
    expect(again.status).toBe(0);
    expect(again.trace).toBe('first\nsecond\n');
    expect(again.lines).toEqual([
      'bakehouse: phase first skipped (already done)',
      'bakehouse: phase second skipped (already done)',
    ]);
  });

  it('runs again only the phase whose content changed', () => {
    // Prepare
    run([recording('first'), recording('second')]);

    // Act
    const changed = run([recording('first'), recording('second', '\ntrue')]);

    // Assess
    expect(changed.trace).toBe('first\nsecond\nsecond\n');
    expect(changed.lines).toContain('bakehouse: phase first skipped (already done)');
    expect(changed.lines).toContain('bakehouse: phase second done');
  });

  it('stops at a failing command, names the phase and its exit status last, and exits with it', () => {
    // Act
    const result = run([
      recording('first'),
      recording('broken', '\n(exit 3)\necho after >>"$TRACE"'),
      recording('third'),
    ]);

    // Assess
    expect(result.status).toBe(3);
    expect(result.trace).toBe('first\nbroken\n');
    expect(result.lines.at(-1)).toBe('bakehouse: phase broken FAILED (exit 3)');
    expect(result.stdout).toContain('noisy output of broken');
    expect(existsSync(join(layout.stateDir, 'broken.done'))).toBe(false);
  });

  it('fails on an unset variable and on a failure inside a pipeline', () => {
    // Act
    const unset = run([{ name: 'unset', body: 'echo "$NOT_SET_ANYWHERE"' }]);
    const pipeline = run([{ name: 'pipeline', body: 'false | cat' }]);

    // Assess
    expect(unset.status).not.toBe(0);
    expect(unset.lines.at(-1)).toMatch(/^bakehouse: phase unset FAILED \(exit \d+\)$/);
    expect(pipeline.lines.at(-1)).toBe('bakehouse: phase pipeline FAILED (exit 1)');
  });

  it('resumes after a failure with the phases that had not succeeded', () => {
    // Prepare
    run([recording('first'), { name: 'flaky', body: 'false' }]);

    // Act
    const retry = run([recording('first'), recording('flaky')]);

    // Assess
    expect(retry.status).toBe(0);
    expect(retry.trace).toBe('first\nflaky\n');
    expect(retry.lines[0]).toBe('bakehouse: phase first skipped (already done)');
  });
});
