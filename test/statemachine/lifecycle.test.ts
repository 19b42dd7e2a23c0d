/**
 * A class's life on the simulated AWS over simulated days: booked ahead, seated at its lead
 * time, stopped after each session and started before the next, ended, retired — every step an
 * execution of the classroom machine that a one-time schedule starts, every step in the record.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { ec2Client } from '../../layers/aws/clients';
import { classSeats, getClass } from '../../layers/aws/dynamodb';
import { resolvePublicParameter } from '../../layers/aws/ssm';
import {
  type ClassRecord,
  parseClassRecord,
  parseSeatRecords,
} from '../../layers/core/classroom/record/class-record';
import { type LocalRun, runLocal } from '../../local/runner';
import { sessionsFrom } from '../../local/session-soon';
import { LOCAL_CLASSES_TABLE, type Simulation } from '../../local/simulation';
import { liveInstances, simulatedAws } from './simulated';

const OUTBOX = '.cache/test-outbox-lifecycle';
const STORE = { region: 'us-east-1', table: LOCAL_CLASSES_TABLE };
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const CLASS_ID = 'class-booked';
const HOUR = 60 * MINUTE;

const students = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    name: `Student ${i + 1}`,
    email: `student${i + 1}@example.edu`,
  }));

let image = '';

/** A simulated account; seats boot from the Debian base image. */
async function account(options: Parameters<typeof simulatedAws>[0] = {}) {
  const sim = simulatedAws({ outboxDir: OUTBOX, ...options });
  image = await resolvePublicParameter('us-east-1', '/aws/service/debian/release/12/latest/amd64');
  return sim;
}

/** A class of three over `sessions` (minutes from now), booked through a new execution. */
async function book(
  sim: Simulation,
  sessions: { startMinutes: number; minutes: number }[],
  extra: Record<string, unknown> = {},
  options: Pick<Parameters<typeof runLocal>[2] & object, 'abortWhen'> = {},
) {
  const times = sessionsFrom(sim.clock.now(), sessions);
  const run = await runLocal(
    'classroom',
    {
      request: {
        name: 'three-mornings',
        image,
        students: students(3),
        sessions: times,
        timezone: 'UTC',
        instructor: { email: 'ada@example.edu' },
        sender: 'classes@example.edu',
        ...extra,
      },
    },
    { clock: sim.clock, executionName: CLASS_ID, ...options },
  );
  const at = (local: string) => Date.parse(`${local}:00Z`);
  return {
    run,
    starts: times.map((t) => at(t.start)),
    ends: times.map((t) => at(t.end)),
  };
}

/** Drives the clock to `at` (never back): the due schedules fire, their executions settle. */
async function until(sim: Simulation, at: number): Promise<void> {
  await sim.executions.until(at);
}

/** The execution a schedule started for `step` (of `session`), whenever it fired. */
function ran(sim: Simulation, step: string, session?: number): LocalRun | undefined {
  const matching = sim.executions.runs.filter((r) => {
    const input = r.input as { step?: string; session?: number };
    return input.step === step && (session === undefined || input.session === session);
  });
  expect(matching.length, `${step} ${session ?? ''} ran once`).toBeLessThanOrEqual(1);
  return matching[0];
}

const ranSteps = (sim: Simulation) =>
  sim.executions.runs.map((r) => {
    const { step, session } = r.input as { step: string; session: number };
    return `${step}-${session}: ${r.status}${r.cause ? ` (${r.cause})` : ''}`;
  });

const record = async (classId = CLASS_ID): Promise<ClassRecord> =>
  parseClassRecord(await getClass(STORE, classId));
const seats = async (classId = CLASS_ID) => parseSeatRecords(await classSeats(STORE, classId));
const entered = (run: LocalRun | undefined) =>
  (run?.events ?? []).flatMap((e) => (e.type === 'StateEntered' ? [e.state.name] : []));
const running = (sim: Simulation) => sim.ec2.instances().filter((i) => i.state === 'running');
const studentMails = () =>
  (existsSync(OUTBOX) ? readdirSync(OUTBOX) : []).filter((f) => f.includes('student'));

beforeEach(() => {
  rmSync(OUTBOX, { recursive: true, force: true });
});

describe('a class over days on the simulated AWS', () => {
  it('launches nothing for a class next week until its lead time, then seats it', async () => {
    const sim = await account();

    const { run, starts, ends } = await book(sim, [{ startMinutes: 7 * 24 * 60, minutes: 180 }]);

    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(entered(run)).toEqual([
      'WhichStep',
      'PlanClassroom',
      'SeatNow',
      'ScheduleSeating',
      'Scheduled',
    ]);
    expect(sim.ec2.instances()).toEqual([]);
    const seatAt = (starts[0] as number) - 20 * MINUTE;
    expect(sim.scheduler.schedules()).toEqual([
      expect.objectContaining({
        name: expect.stringMatching(/-seat-0$/),
        expression: `at(${new Date(seatAt).toISOString().slice(0, 19)})`,
      }),
    ]);
    expect(await record()).toMatchObject({
      state: 'scheduled',
      next: { step: 'seat', at: new Date(seatAt).toISOString() },
    });

    await until(sim, seatAt - 6 * HOUR);
    expect(sim.executions.runs).toEqual([]);
    expect(sim.ec2.instances()).toEqual([]);

    await until(sim, seatAt);
    const seating = ran(sim, 'seat', 0);
    expect(seating?.status, seating?.cause).toBe('SUCCEEDED');
    expect(entered(seating).slice(0, 4)).toEqual([
      'WhichStep',
      'ScheduledStep',
      'PlanScheduledClass',
      'PrepareNetwork',
    ]);
    expect(running(sim)).toHaveLength(3);
    expect(await record()).toMatchObject({
      state: 'ready',
      next: { step: 'stop', at: new Date(ends[0] as number).toISOString() },
    });
  });

  it('keeps each seat at its Elastic IP across a stop and start with TLS: one link, one email', async () => {
    const sim = await account();
    const { starts, ends } = await book(
      sim,
      [1, 2].map((day) => ({ startMinutes: day * 24 * 60, minutes: 480 })),
    );
    const links: (string | null)[][] = [];

    for (const [i, start] of starts.entries()) {
      await until(sim, start - 20 * MINUTE);
      expect(ran(sim, i === 0 ? 'seat' : 'start', i)?.status, ranSteps(sim).join('\n')).toBe(
        'SUCCEEDED',
      );
      links.push((await seats()).map((s) => s.url));
      await until(sim, ends[i] as number);
    }

    expect(sim.calls['EC2:StartInstances']).toBe(1);
    expect(links[1]).toEqual(links[0]);
    expect(links[0]?.every((url) => url?.startsWith('https://'))).toBe(true);
    expect(studentMails()).toHaveLength(3);
  });

  it('runs a three-session class: seats start before and stop after each session, then retire', async () => {
    const sim = await account();
    const { starts, ends } = await book(
      sim,
      [1, 2, 3].map((day) => ({ startMinutes: day * 24 * 60, minutes: 480 })),
      { retainDays: 2, tls: { mode: 'none' } },
    );
    const links: (string | null)[][] = [];

    for (const [i, start] of starts.entries()) {
      await until(sim, start - 20 * MINUTE);
      expect(ran(sim, i === 0 ? 'seat' : 'start', i)?.status, ranSteps(sim).join('\n')).toBe(
        'SUCCEEDED',
      );
      expect(running(sim)).toHaveLength(3);
      expect((await record()).state).toBe('ready');
      links.push((await seats()).map((s) => s.url));
      await until(sim, ends[i] as number);
      expect(ran(sim, 'stop', i)?.status, ranSteps(sim).join('\n')).toBe('SUCCEEDED');
      expect(running(sim)).toEqual([]);
      expect((await record()).state).toBe(i < 2 ? 'stopped' : 'ended');
    }

    expect(sim.calls['EC2:StartInstances']).toBe(2);
    // Without TLS (no Elastic IP) a restarted seat comes back at another address: each student
    // is sent the new link.
    expect(new Set(links.flat()).size).toBe(9);
    expect(studentMails()).toHaveLength(9);
    expect(liveInstances(sim)).toHaveLength(3);
    const lastEnd = ends[2] as number;
    expect((await record()).next).toEqual({
      step: 'retire',
      schedule: expect.stringMatching(/-retire$/),
      at: new Date(lastEnd + 2 * DAY).toISOString(),
    });

    await until(sim, lastEnd + 2 * DAY - 12 * HOUR);
    expect(ran(sim, 'retire')).toBeUndefined();
    await until(sim, lastEnd + 2 * DAY);
    const retired = ran(sim, 'retire');
    expect(retired?.status, retired?.cause).toBe('SUCCEEDED');
    expect(liveInstances(sim).filter((i) => i.state !== 'shutting-down')).toEqual([]);
    expect(sim.ssm.parameters().filter((p) => p.name.includes('/classes/'))).toEqual([]);
    expect((await seats()).map((s) => s.state)).toEqual(['terminated', 'terminated', 'terminated']);
    expect(sim.scheduler.schedules()).toEqual([]);
    const life = await record();
    expect(life.state).toBe('deleted');
    expect(life.history.map((h) => `${h.step}:${h.to}`)).toEqual([
      'plan:scheduled',
      'seat:seating',
      'seat:ready',
      'stop:stopped',
      'start:seating',
      'start:ready',
      'stop:stopped',
      'start:seating',
      'start:ready',
      'stop:ended',
      'retire:deleted',
    ]);
  });

  it('terminates the seats at the end of the last session when nothing is to be kept', async () => {
    const sim = await account();
    const { ends } = await book(sim, [{ startMinutes: 20, minutes: 240 }], { retainDays: 0 });

    await until(sim, ends[0] as number);

    const stop = ran(sim, 'stop', 0);
    expect(stop?.status, stop?.cause).toBe('SUCCEEDED');
    expect(entered(stop)).toEqual([
      'WhichStep',
      'ScheduledStep',
      'StopSeats',
      'ScheduleNext',
      'RunDueStep',
      'RetireClass',
    ]);
    expect(liveInstances(sim).filter((i) => i.state !== 'shutting-down')).toEqual([]);
    expect((await record()).state).toBe('deleted');
  });

  it('keeps the seats running through a break shorter than the lead time', async () => {
    const sim = await account();
    const { ends } = await book(sim, [
      { startMinutes: 20, minutes: 240 },
      { startMinutes: 270, minutes: 240 },
    ]);

    await until(sim, ends[0] as number);

    const breakTime = ran(sim, 'stop', 0);
    expect(breakTime?.status, breakTime?.cause).toBe('SUCCEEDED');
    expect(entered(breakTime)).toEqual([
      'WhichStep',
      'ScheduledStep',
      'StopSeats',
      'ScheduleNext',
      'RunDueStep',
      'Stopped',
    ]);
    expect(sim.calls['EC2:StopInstances']).toBeUndefined();
    expect(running(sim)).toHaveLength(3);
    expect(await record()).toMatchObject({
      state: 'ready',
      session: 1,
      next: { step: 'stop', at: new Date(ends[1] as number).toISOString() },
    });
    expect((await record()).history.at(-1)?.note).toBe(
      'kept running into session 2: it starts within the lead time',
    );
  });

  it('stops every seat it can when one cannot be stopped, and records the one that could not', async () => {
    const sim = await account();
    const { ends } = await book(sim, [{ startMinutes: 20, minutes: 240 }]);
    const [gone, ...rest] = running(sim).map((i) => i.instanceId);
    await ec2Client('us-east-1').send(
      new TerminateInstancesCommand({ InstanceIds: [gone as string] }),
    );

    await until(sim, ends[0] as number);

    const stop = ran(sim, 'stop', 0);
    expect(stop?.status, stop?.cause).toBe('SUCCEEDED');
    expect(running(sim)).toEqual([]);
    const states = Object.fromEntries(sim.ec2.instances().map((i) => [i.instanceId, i.state]));
    for (const id of rest) expect(['stopping', 'stopped']).toContain(states[id as string]);
    const refused = (await seats()).find((s) => s.instanceId === gone);
    expect(refused).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(
        /^could not be stopped: (IncorrectInstanceState|InvalidInstanceID\.NotFound)/,
      ),
    });
    expect((await seats()).filter((s) => s.state === 'stopped')).toHaveLength(2);
    expect((await record()).history.at(-1)).toMatchObject({
      to: 'ended',
      note: `1 seat(s) could not be stopped: ${gone}`,
    });
  });

  it('stops the seats again when a later session cannot be started', async () => {
    const sim = await account({ faults: { throttle: { StartInstances: 10_000 } } });
    const { starts, ends } = await book(sim, [
      { startMinutes: 20, minutes: 240 },
      { startMinutes: 24 * 60, minutes: 240 },
    ]);
    await until(sim, ends[0] as number);

    await until(sim, (starts[1] as number) - 20 * MINUTE);

    const start = ran(sim, 'start', 1);
    expect(start?.status).toBe('FAILED');
    expect(start?.error).toBe('RequestLimitExceeded');
    expect(entered(start)).toEqual(
      expect.arrayContaining([
        'StartSeats',
        'StopAfterFailedStart',
        'ScheduleAfterFailedStart',
        'SessionNotStarted',
      ]),
    );
    expect(running(sim)).toEqual([]);
    // The last session could not start: the class is over, and its retirement still comes.
    expect(await record()).toMatchObject({ state: 'ended', next: { step: 'retire' } });
  });

  it('refuses a step of a class that is gone, and a step it does not know', async () => {
    const sim = await account();
    await book(sim, [{ startMinutes: 20, minutes: 240 }], { retainDays: 0 });
    const options = { clock: sim.clock };
    const retire = await runLocal(
      'classroom',
      { classId: CLASS_ID, step: 'retire', session: 0 },
      options,
    );
    expect(retire.status, retire.cause).toBe('SUCCEEDED');

    const stop = await runLocal(
      'classroom',
      { classId: CLASS_ID, step: 'stop', session: 0 },
      options,
    );
    const seat = await runLocal(
      'classroom',
      { classId: 'no-such-class', step: 'seat', session: 0 },
      options,
    );
    const dance = await runLocal(
      'classroom',
      { classId: CLASS_ID, step: 'dance', session: 0 },
      options,
    );

    expect([stop.status, stop.error, entered(stop).at(-1)]).toEqual([
      'FAILED',
      'ConflictError',
      'StepFailed',
    ]);
    expect(stop.cause).toContain('is deleted: it cannot become ended');
    expect([seat.status, seat.error, entered(seat).at(-1)]).toEqual([
      'FAILED',
      'NotFoundError',
      'StepFailed',
    ]);
    expect([dance.status, dance.error, entered(dance).at(-1)]).toEqual([
      'FAILED',
      'ValidationError',
      'UnknownStep',
    ]);
  });

  it('keeps a seated class on schedule when only the roster could not be delivered', async () => {
    const verified = [
      'student1@example.edu',
      'student2@example.edu',
      'student3@example.edu',
      'classes@example.edu',
    ];
    const sim = await account({ sesSandbox: { verified } });

    const { run } = await book(sim, [{ startMinutes: 20, minutes: 120 }]);

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('RosterUndelivered');
    expect(run.cause).toMatch(/^DeliverRoster failed: .*MessageRejected/);
    expect(entered(run)).toEqual(
      expect.arrayContaining(['ClassReady', 'WasRosterDelivered', 'RosterUndelivered']),
    );
    expect((await record()).state).toBe('ready');
    expect(sim.scheduler.schedules().map((s) => s.name)).toEqual([
      expect.stringMatching(/-stop-0$/),
    ]);
  });

  it('records a class failed, with nothing left running, when its seating cannot be scheduled', async () => {
    const sim = await account({ faults: { throttle: { CreateSchedule: 10_000 } } });

    const later = await book(sim, [{ startMinutes: 7 * 24 * 60, minutes: 180 }]);

    expect(later.run.status).toBe('FAILED');
    expect(entered(later.run)).toEqual(
      expect.arrayContaining(['ScheduleSeating', 'CleanUp', 'ClassroomFailed']),
    );
    expect(await record()).toMatchObject({ state: 'failed', next: null });
    expect((await record()).history.at(-1)).toMatchObject({
      step: 'clean-up',
      note: 'ScheduleSeating: ThrottlingException',
    });
  });

  it('fails a class whose stop cannot be scheduled before any seat launches or any student is emailed', async () => {
    const sim = await account({ faults: { throttle: { CreateSchedule: 10_000 } } });

    const { run } = await book(sim, [{ startMinutes: 20, minutes: 180 }]);

    expect(run.status).toBe('FAILED');
    expect(entered(run)).toEqual(expect.arrayContaining(['ScheduleSessionStop', 'CleanUp']));
    expect(entered(run)).not.toContain('LaunchBatches');
    expect(run.cause).toContain('ScheduleSessionStop');
    expect(sim.ec2.instances()).toEqual([]);
    expect(studentMails()).toEqual([]);
    expect((await record()).state).toBe('failed');
  });

  it('schedules the stop while seating, and a stop that comes while its session is still seating stops nothing', async () => {
    const sim = await account();

    // Act: a class whose seating execution is stopped once its seats are launching
    const { run: aborted } = await book(
      sim,
      [{ startMinutes: 20, minutes: 180 }],
      {},
      { abortWhen: (e) => e.type === 'StateEntered' && e.state.name === 'WaitForSeats' },
    );
    const scheduled = sim.scheduler.schedules().map((s) => s.name);
    const launched = sim.ec2.instances().length;
    const stop = await runLocal(
      'classroom',
      { classId: CLASS_ID, step: 'stop', session: 0 },
      { clock: sim.clock },
    );

    // Assess: the stop was there before a student could be written to; the stop, while the
    // record still says seating, stopped nothing and moved nothing (the teardown has the class)
    expect(aborted.status).toBe('ABORTED');
    expect(scheduled).toEqual([expect.stringMatching(/-stop-0$/)]);
    expect(studentMails()).toEqual([]);
    expect(stop.status, stop.cause).toBe('SUCCEEDED');
    expect(launched).toBe(3);
    expect(sim.ec2.instances().filter((i) => /stop/.test(i.state))).toEqual([]);
    expect(await record()).toMatchObject({ state: 'seating', next: null });
  });
});
