/**
 * The nightly teardown on the simulated AWS, after real classroom runs: an execution aborted
 * in the middle of its fan-out leaves seats, credentials and a security group behind; the next
 * teardown ends them, and leaves a class that is still on alone.
 */
import { readdirSync, rmSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { resolvePublicParameter } from '../../layers/aws/ssm';
import { TAG } from '../../layers/core/tags';
import { runLocal } from '../../local/runner';
import { sessionStartingSoon } from '../../local/session-soon';
import {
  liveInstances,
  CLASSROOM_MACHINE as MACHINE,
  nightlyTeardown,
  simulatedAws,
} from './simulated';

const OUTBOX = '.cache/test-outbox-teardown';
const DAY = 86_400_000;

type Sim = ReturnType<typeof simulatedAws>;

const students = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    name: `Student ${i + 1}`,
    email: `s${i + 1}@example.edu`,
  }));

const ofClass = (sim: Sim, classId: string) =>
  liveInstances(sim).filter((i) => i.tags[TAG.classroom] === classId);
const credentialsOf = (sim: Sim, classId: string) =>
  sim.ssm.parameters().filter((p) => p.name.startsWith(`/bakehouse/local/classes/${classId}/`));
const groupsOf = (sim: Sim, classId: string) =>
  sim.ec2.securityGroups().filter((g) => g.tags[TAG.classroom] === classId);

/** Seats a class; `abort`: abort it at the first wait between polls after its credentials are stored. */
async function seatClass(sim: Sim, name: string, abort = false) {
  const image = await resolvePublicParameter(
    'us-east-1',
    '/aws/service/debian/release/12/latest/amd64',
  );
  const run = await runLocal(
    'classroom',
    {
      request: {
        name: 'intro-genomics',
        image,
        students: students(3),
        schedule: sessionStartingSoon(sim.clock.now()),
        instructor: { name: 'Ada Lovelace', email: 'ada@example.edu' },
        sender: 'classes@example.edu',
      },
    },
    {
      clock: sim.clock,
      executionName: name,
      abortWhen: (event) =>
        abort &&
        event.type === 'StateEntered' &&
        event.state.name === 'WaitForSeats' &&
        credentialsOf(sim, name).length > 0,
    },
  );
  // What Step Functions would answer DescribeExecution with for this run.
  sim.stepFunctions.record({ stateMachineArn: MACHINE, name, status: run.status });
  return run;
}

beforeEach(() => {
  rmSync(OUTBOX, { recursive: true, force: true });
});

describe('the nightly teardown after an aborted classroom', () => {
  it("ends an aborted class's seats, credentials and group, and leaves a running class alone", async () => {
    // Prepare
    const sim = simulatedAws({ outboxDir: OUTBOX });
    const kept = await seatClass(sim, 'class-kept');
    const aborted = await seatClass(sim, 'class-aborted', true);
    expect(kept.status, kept.cause).toBe('SUCCEEDED');
    expect(aborted.status).toBe('ABORTED');
    expect(ofClass(sim, 'class-aborted').length).toBeGreaterThan(0);
    expect(credentialsOf(sim, 'class-aborted').length).toBeGreaterThan(0);
    expect(groupsOf(sim, 'class-aborted')).toHaveLength(1);
    const seats = ofClass(sim, 'class-aborted').map((i) => i.instanceId);

    // Act: a dry run first, then the night's run, then the next night's
    const preview = await nightlyTeardown(sim, true);
    const untouched = liveInstances(sim).length;
    const night = await nightlyTeardown(sim);
    await sim.executions.until(sim.clock.now() + DAY);
    const nextNight = await nightlyTeardown(sim);

    // Assess
    expect(preview.done).toEqual([]);
    expect(untouched).toBe(seats.length + 3);
    expect(new Set(preview.wouldDo.map((e) => `${e.kind} ${e.id}`))).toEqual(
      new Set([...night.done, ...night.couldNot].map((e) => `${e.kind} ${e.id}`)),
    );
    expect(
      night.done
        .filter((e) => e.kind === 'terminate-instance')
        .map((e) => e.id)
        .sort(),
    ).toEqual([...seats].sort());
    expect(night.done.find((e) => e.kind === 'terminate-instance')?.reason).toBe(
      'seat of class class-aborted, which is aborted',
    );
    expect(ofClass(sim, 'class-aborted')).toEqual([]);
    expect(credentialsOf(sim, 'class-aborted')).toEqual([]);
    expect(groupsOf(sim, 'class-aborted')).toEqual([]);
    expect(
      [...night.done, ...nextNight.done].filter((e) => e.kind === 'delete-security-group'),
    ).toHaveLength(1);
    // The class still on keeps everything.
    expect(ofClass(sim, 'class-kept')).toHaveLength(3);
    expect(credentialsOf(sim, 'class-kept')).toHaveLength(3);
    expect(groupsOf(sim, 'class-kept')).toHaveLength(1);
    expect(sim.scheduler.schedules()).toHaveLength(1);
    // The operator got a report each night.
    const reports = readdirSync(OUTBOX).filter((f) => f.includes('ops'));
    expect(reports).toHaveLength(3);
  }, 60_000);
});
