/**
 * One run of the fault suite: a fresh simulated account on the exact clock with a seed, the real
 * state machine under the faults, the nightly teardown after an aborted run, then the invariants.
 */
import { rmSync } from 'node:fs';
import { DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import { ec2Client } from '../../layers/aws/clients';
import { classBatches, classSeats } from '../../layers/aws/dynamodb';
import { resolvePublicParameter } from '../../layers/aws/ssm';
import { parseSeatRecords } from '../../layers/core/classroom/record/class-record';
import { type LocalRun, runLocal } from '../../local/runner';
import { sessionStartingSoon } from '../../local/session-soon';
import { LOCAL_CLASSES_TABLE, startSimulation } from '../../local/simulation';
import { CLASSROOM_MACHINE, nightlyTeardown } from '../statemachine/simulated';
import { type Fault, resolve } from './catalogue';
import { checkRun, type Violation } from './invariants';

export interface Scenario {
  fault: Fault;
  seed: number;
  /** Seats of the class (classroom runs only). */
  seats: number;
}

export interface ScenarioResult {
  scenario: string;
  status: LocalRun['status'];
  cause?: string;
  violations: Violation[];
  wallMs: number;
}

const DAY = 86_400_000;
const OUTBOX = '.cache/faults-outbox';
const START = Date.UTC(2026, 10, 2, 9, 0, 0);
const EXECUTION = 'fault-run';

export const RECIPE = {
  name: 'stats-workshop',
  region: 'us-east-1',
  baseImage: '/aws/service/debian/release/12/latest/amd64',
  builder: { instanceType: 't3.large', timeoutMinutes: 30 },
  environment: {
    apt: ['r-base', 'jq'],
    pip: ['numpy==2.1.0'],
    postBuild: 'echo ready > /etc/motd',
  },
  jupyter: { flavour: 'lab' },
};

export const students = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    name: `Student ${i + 1}`,
    email: `s${i + 1}@example.edu`,
  }));

export const INSTRUCTOR = { name: 'Ada Lovelace', email: 'ada@example.edu' };

export const describeScenario = ({ fault, seed, seats }: Scenario) =>
  `${fault.machine} [${fault.name}] seed ${seed}${fault.machine === 'classroom' ? ` seats ${seats}` : ''}`;

export async function runScenario(
  scenario: Scenario,
  inspect?: (run: LocalRun) => void,
): Promise<ScenarioResult> {
  const { fault, seed, seats } = scenario;
  const started = performance.now();
  rmSync(OUTBOX, { recursive: true, force: true });
  const sim = startSimulation({
    clock: 'exact',
    scale: 0,
    seed,
    start: START,
    outboxDir: OUTBOX,
    ...fault.ses,
    faults: resolve(fault, seats),
  });
  try {
    const input =
      fault.machine === 'bake' ? { recipe: RECIPE } : { request: await classRequest(sim, seats) };
    const run = await runLocal(fault.machine, input, {
      clock: sim.clock,
      executionName: EXECUTION,
      loseResponses: fault.lose,
      abortWhen: (event) =>
        fault.abortAt !== undefined &&
        event.type === 'StateEntered' &&
        event.state.name === fault.abortAt &&
        (fault.machine === 'bake' ||
          sim.ssm.parameters().some((p) => p.name.includes(`/classes/${EXECUTION}/`))),
    });
    inspect?.(run);
    if (run.status === 'ABORTED') {
      if (fault.machine === 'classroom')
        sim.stepFunctions.record({
          stateMachineArn: CLASSROOM_MACHINE,
          name: EXECUTION,
          status: 'ABORTED',
        });
      // The night after, and the next (shut-down seats leave their group a night later).
      await sim.executions.until(sim.clock.now() + DAY);
      await nightlyTeardown(sim);
      await sim.executions.until(sim.clock.now() + DAY);
      await nightlyTeardown(sim);
    }
    const records =
      fault.machine === 'classroom'
        ? parseSeatRecords(
            await classSeats({ region: 'us-east-1', table: LOCAL_CLASSES_TABLE }, EXECUTION).catch(
              () => [],
            ),
          )
        : [];
    const batchSeats =
      fault.machine === 'classroom'
        ? (
            (await classBatches(
              { region: 'us-east-1', table: LOCAL_CLASSES_TABLE },
              EXECUTION,
            ).catch(() => [])) as { seats: { seatId: string; instanceId?: string }[] }[]
          ).flatMap((b) => b.seats)
        : [];
    const violations = checkRun({
      machine: fault.machine,
      classId: EXECUTION,
      run,
      sim,
      records,
      batchSeats,
      students: fault.machine === 'classroom' ? students(seats) : [],
      instructor: INSTRUCTOR.email,
    });
    return {
      scenario: describeScenario(scenario),
      status: run.status,
      cause: run.cause?.slice(0, 300),
      violations,
      wallMs: performance.now() - started,
    };
  } finally {
    await sim.classStore.stop();
  }
}

async function classRequest(sim: ReturnType<typeof startSimulation>, seats: number) {
  const image = await resolvePublicParameter(
    'us-east-1',
    '/aws/service/debian/release/12/latest/amd64',
  );
  const output = await ec2Client('us-east-1').send(new DescribeSubnetsCommand({}));
  const subnets = (output.Subnets ?? [])
    .sort((x, y) => (x.AvailabilityZone ?? '').localeCompare(y.AvailabilityZone ?? ''))
    .slice(0, 2)
    .map((s) => s.SubnetId as string);
  return {
    name: 'fault-class',
    image,
    students: students(seats),
    subnets,
    schedule: sessionStartingSoon(sim.clock.now()),
    instructor: INSTRUCTOR,
    sender: 'classes@example.edu',
  };
}
