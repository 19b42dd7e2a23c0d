/**
 * Shared set-up for state-machine tests: a fresh simulated AWS behind the real SDK clients, on the
 * exact clock (simulated time jumps from timer to timer; a run is repeatable). Every
 * AWS request of every run is recorded (`recorded()`) and appended to
 * `.cache/requests/<test file>.jsonl`, the input of the request judges (test/judges).
 */
import { basename, join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { nightlyTeardown as teardown } from '../../functions/teardown/teardown';
import type { Tags } from '../../layers/core/tags';
import type { TeardownReport } from '../../layers/core/teardown/report';
import { resetConfig } from '../../layers/runtime/config';
import { type LogRecord, setLogSink } from '../../layers/runtime/logger';
import { asFunction, type RecordedRequest, Recorder } from '../../local/record';
import { LOCAL_ENVIRONMENT } from '../../local/runner';
import { ROOT } from '../../local/serverless-config';
import type { SimOptions, SimulatedAws } from '../../local/sim';
import { EventClock } from '../../local/sim/kernel/event-clock';
import { LOCAL_SENDER, type Simulation, startSimulation } from '../../local/simulation';
import { asDevStage, callsOf, deniedCalls } from '../judges/iam-engine';
import { ec2Tags, type Observed } from '../judges/scenarios';
import { packagedTemplate } from '../packaging/packaged';

export const REQUESTS_DIR = join(ROOT, '.cache/requests');

let recorder: Recorder | undefined;
let current: Simulation | undefined;
const observed: Observed[] = [];
const associations = new Map<string, Tags>();

/** Every request sent in this test file so far, across all its simulated accounts. */
export const recorded = (): readonly RecordedRequest[] => recorder?.requests ?? [];

const EC2_ID = /\b(?:i|ami|snap|sg|sir|eipalloc|eipassoc)-[0-9a-f]+\b/g;

/** The tags, at the time, of the EC2 resources a request names. */
function tagsNamedBy(request: RecordedRequest, sim: Simulation) {
  const ids = new Set(JSON.stringify(request.input).match(EC2_ID));
  return new Map([...ec2Tags(sim, associations)].filter(([id]) => ids.has(id)));
}

function fileRecorder(): Recorder {
  if (!recorder) {
    const testFile = basename(expect.getState().testPath ?? 'statemachine', '.ts');
    recorder = new Recorder()
      .toFile(join(REQUESTS_DIR, `${testFile}.jsonl`))
      .onRequest((request) => {
        if (request.function && current)
          observed.push({ request, tags: tagsNamedBy(request, current), scenario: testFile });
      });
  }
  return recorder;
}

export function simulatedAws(options: SimOptions = {}): Simulation {
  current = startSimulation(
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
  return current;
}

/**
 * After each file: every call its functions made, judged by the IAM engine against the calling
 * function's role in the packaged template (as the dev stage would make it), none denied.
 */
afterAll(async () => {
  if (!observed.length) return;
  const template = await packagedTemplate();
  const calls = callsOf(template, observed.map(asDevStage));
  const { distinct, denied } = await deniedCalls(template, calls);
  console.log(
    `IAM engine: ${calls.length} checks (${distinct} distinct) from this file's runs, ${denied.length} denied`,
  );
  expect(denied, 'calls the functions made that their roles do not allow').toEqual([]);
}, 300_000);

const LIVE = new Set(['pending', 'running', 'stopping', 'stopped']);

/** Instances that still cost money (or will, once started again). */
export function liveInstances(sim: SimulatedAws) {
  return sim.ec2.instances().filter((i) => LIVE.has(i.state));
}

export const CLASSROOM_MACHINE =
  'arn:aws:states:us-east-1:000000000000:stateMachine:bakehouse-local-classroom';

/** The nightly teardown's handler, run now on the simulated account, with its report. */
export async function nightlyTeardown(sim: SimulatedAws, dryRun = false): Promise<TeardownReport> {
  Object.assign(process.env, LOCAL_ENVIRONMENT, {
    CLASSROOM_STATE_MACHINE_ARN: CLASSROOM_MACHINE,
    OPERATOR_EMAIL: 'ops@example.edu',
    REPORT_SENDER: LOCAL_SENDER,
  });
  resetConfig();
  const now = new Date(sim.clock.now()).toISOString();
  const logs: LogRecord[] = [];
  setLogSink((record) => logs.push(record));
  try {
    const run = () => asFunction('teardown', () => teardown({ dryRun, now }, {} as never));
    // On the exact clock, as a Lambda's work, driven: a throttled call waited out moves time.
    const { clock } = sim;
    return (await (clock instanceof EventClock && !clock.driving
      ? clock.drive(clock.work(run))
      : run())) as TeardownReport;
  } finally {
    setLogSink(undefined);
  }
}
