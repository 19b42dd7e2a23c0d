/**
 * The phase log's writer (phase-log.sh, run by bash) against its parser and its TS writer
 * (phase-log.ts): what the bake script prints is what the bake's checks, `npm start` and the
 * simulator read and print.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  failureLine,
  finishedPhases,
  type PhaseEvent,
  parsePhaseLine,
  parsePhaseLog,
  phaseLogLine,
  phaseLogScript,
} from '../../../layers/core/recipe/phase-log';
import { shQuote } from '../../../layers/core/shell';

/** Runs phase-log.sh's `phase_log` once per argument list; its stdout and stderr. */
function bashPhaseLog(...calls: string[][]) {
  const script = [
    phaseLogScript,
    ...calls.map((args) => `phase_log ${args.map(shQuote).join(' ')}`),
  ];
  return spawnSync('/bin/bash', ['-c', script.join('\n')], { encoding: 'utf8' });
}

const EVENTS: [string[], PhaseEvent][] = [
  [['start', 'jupyter'], { event: 'start', phase: 'jupyter' }],
  [['done', 'jupyter'], { event: 'done', phase: 'jupyter' }],
  [['skipped', 'jupyter-info'], { event: 'skipped', phase: 'jupyter-info' }],
  [['failed', 'post-build', '3'], { event: 'failed', phase: 'post-build', exitCode: 3 }],
  [
    ['log-tail', '/var/log/bakehouse/post-build.log'],
    { event: 'log-tail', logFile: '/var/log/bakehouse/post-build.log' },
  ],
];

describe('the phase log', () => {
  it('parses every line the bash writer prints as the event it was given', () => {
    // Act
    const run = bashPhaseLog(...EVENTS.map(([args]) => args));

    // Assess
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n').filter(Boolean).map(parsePhaseLine)).toEqual(
      EVENTS.map(([, event]) => event),
    );
  });

  it('writes on the TS side, for the simulator, the very lines bash writes', () => {
    // Act
    const run = bashPhaseLog(...EVENTS.map(([args]) => args));

    // Assess
    expect(run.stdout).toBe(EVENTS.map(([, event]) => `${phaseLogLine(event)}\n`).join(''));
  });

  it('refuses an event it does not know, on stderr and with a failing status', () => {
    // Act
    const run = bashPhaseLog(['finished', 'jupyter']);

    // Assess
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("unknown event 'finished'");
  });

  it('reads a run: the finished phases in order, and the failure line', () => {
    // Prepare
    const output = [
      'bakehouse: waiting for cloud-init to finish',
      phaseLogLine({ event: 'skipped', phase: 'apt' }),
      phaseLogLine({ event: 'start', phase: 'jupyter' }),
      phaseLogLine({ event: 'done', phase: 'jupyter' }),
      phaseLogLine({ event: 'start', phase: 'pip' }),
      phaseLogLine({ event: 'log-tail', logFile: '/var/log/bakehouse/pip.log' }),
      'bakehouse: phase pip done', // a line of the log's tail, not of this run's events
      phaseLogLine({ event: 'failed', phase: 'pip', exitCode: 1 }),
    ].join('\n');

    // Act
    const events = parsePhaseLog(output);

    // Assess
    expect(events.map((e) => e.event)).toEqual([
      'skipped',
      'start',
      'done',
      'start',
      'log-tail',
      'done',
      'failed',
    ]);
    expect(finishedPhases(output)).toEqual(['apt', 'jupyter', 'pip']);
    expect(failureLine(output)).toBe('bakehouse: phase pip FAILED (exit 1)');
  });

  it.each([
    'bakehouse: phase jupyter started',
    'bakehouse: phase  done',
    'bakehouse: phase jupyter FAILED',
    'note: bakehouse: phase jupyter done',
    'bakehouse: apt-get update failed (attempt 1), retrying in 10 s',
  ])('reads no event from %j', (line) => {
    // Act
    const event = parsePhaseLine(line);

    // Assess
    expect(event).toBeUndefined();
  });
});
