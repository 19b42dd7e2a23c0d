/**
 * Shared set-up for state-machine tests: a fresh simulated AWS behind the real SDK clients, on the
 * exact clock (simulated time jumps from timer to timer; a run is repeatable). Every
 * AWS request of every run is recorded (`recorded()`) and appended to
 * `.cache/requests/<test file>.jsonl`, the input of the request judges (test/judges).
 */
import { basename, join } from 'node:path';
import { expect } from 'vitest';
import { type RecordedRequest, Recorder } from '../../local/record';
import { ROOT } from '../../local/serverless-config';
import type { SimOptions, SimulatedAws } from '../../local/sim';
import { startSimulation } from '../../local/simulation';

export const REQUESTS_DIR = join(ROOT, '.cache/requests');

let recorder: Recorder | undefined;

/** Every request sent in this test file so far, across all its simulated accounts. */
export const recorded = (): readonly RecordedRequest[] => recorder?.requests ?? [];

function fileRecorder(): Recorder {
  if (!recorder) {
    const testFile = basename(expect.getState().testPath ?? 'statemachine', '.ts');
    recorder = new Recorder().toFile(join(REQUESTS_DIR, `${testFile}.jsonl`));
  }
  return recorder;
}

export function simulatedAws(options: SimOptions = {}): SimulatedAws {
  return startSimulation(
    {
      clock: 'exact',
      scale: 0,
      seed: 7,
      start: Date.UTC(2026, 10, 2, 9, 0, 0),
      outboxDir: '.cache/test-outbox',
      ...options,
    },
    { recorder: fileRecorder() },
  );
}

const LIVE = new Set(['pending', 'running', 'stopping', 'stopped']);

/** Instances that still cost money (or will, once started again). */
export function liveInstances(sim: SimulatedAws) {
  return sim.ec2.instances().filter((i) => LIVE.has(i.state));
}
