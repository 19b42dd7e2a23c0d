/**
 * Operations on a running class, on the simulated AWS over simulated time: each is an API
 * handler that moves or cancels the class's schedules and starts the classroom machine's own
 * step now (stop, start, retire), as the record's transition table allows.
 */
import { rmSync } from 'node:fs';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  deleteClass,
  extendClass,
  startClass,
  stopClass,
} from '../../functions/api/class-operations';
import { classSeats, getClass } from '../../layers/aws/dynamodb';
import { resolvePublicParameter } from '../../layers/aws/ssm';
import {
  type ClassRecord,
  parseClassRecord,
  parseSeatRecords,
} from '../../layers/core/classroom/record/class-record';
import { resetConfig } from '../../layers/runtime/config';
import { LOCAL_ENVIRONMENT, type LocalRun, runLocal } from '../../local/runner';
import { sessionsFrom } from '../../local/session-soon';
import { LOCAL_CLASSES_TABLE, type Simulation } from '../../local/simulation';
import { liveInstances, simulatedAws } from './simulated';

const OUTBOX = '.cache/test-outbox-operations';
const STORE = { region: 'us-east-1', table: LOCAL_CLASSES_TABLE };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const CLASS_ID = 'class-operated';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

const students = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    name: `Student ${i + 1}`,
    email: `student${i + 1}@example.edu`,
  }));

async function book(
  sim: Simulation,
  sessions: { startMinutes: number; minutes: number }[],
  extra: Record<string, unknown> = {},
) {
  const image = await resolvePublicParameter(
    'us-east-1',
    '/aws/service/debian/release/12/latest/amd64',
  );
  const times = sessionsFrom(sim.clock.now(), sessions);
  const run = await runLocal(
    'classroom',
    {
      request: {
        name: 'operated',
        image,
        students: students(3),
        sessions: times,
        timezone: 'UTC',
        instructor: { email: 'ada@example.edu' },
        sender: 'classes@example.edu',
        tls: { mode: 'none' },
        ...extra,
      },
    },
    { clock: sim.clock, executionName: CLASS_ID },
  );
  expect(run.status, run.cause).toBe('SUCCEEDED');
  const at = (local: string) => Date.parse(`${local}:00Z`);
  return { starts: times.map((t) => at(t.start)), ends: times.map((t) => at(t.end)) };
}

/** Calls an operation's handler as API Gateway would, for class `id`. */
async function operate(fn: Handler, body?: unknown, id = CLASS_ID) {
  Object.assign(process.env, LOCAL_ENVIRONMENT);
  resetConfig();
  const event = {
    pathParameters: { id },
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  const response = (await fn(event, {} as Context)) as { statusCode: number; body: string };
  return { status: response.statusCode, body: JSON.parse(response.body) };
}

const record = async (): Promise<ClassRecord> => parseClassRecord(await getClass(STORE, CLASS_ID));
const seats = async () => parseSeatRecords(await classSeats(STORE, CLASS_ID));
const running = (sim: Simulation) => sim.ec2.instances().filter((i) => i.state === 'running');
const steps = (sim: Simulation) =>
  sim.executions.runs.map((r) => {
    const { step, session } = r.input as { step: string; session: number };
    return `${step}-${session}: ${r.status}${r.cause ? ` (${r.cause})` : ''}`;
  });
const ranSteps = (sim: Simulation, step: string): LocalRun[] =>
  sim.executions.runs.filter((r) => (r.input as { step: string }).step === step);

beforeEach(() => {
  rmSync(OUTBOX, { recursive: true, force: true });
});

describe('operations on a class on the simulated AWS', () => {
  it('stops a ready class now; the session stays stopped until its end, which ends the class', async () => {
    const sim = simulatedAws({ outboxDir: OUTBOX });
    const { ends } = await book(sim, [{ startMinutes: 20, minutes: 240 }]);
    expect(running(sim)).toHaveLength(3);
    await sim.executions.until(sim.clock.now() + HOUR);

    const asked = await operate(stopClass);
    const repeated = await operate(stopClass);

    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ id: CLASS_ID, state: 'ready' });
    expect(repeated.status).toBe(202);
    await sim.executions.settled();
    expect(steps(sim)).toEqual(['stop-0: SUCCEEDED']);
    expect(running(sim)).toEqual([]);
    expect(liveInstances(sim)).toHaveLength(3);
    expect(await record()).toMatchObject({
      state: 'stopped',
      operation: null,
      next: { step: 'stop', schedule: expect.stringMatching(/-stop-0$/) },
    });
    expect((await seats()).map((s) => s.state)).toEqual(['stopped', 'stopped', 'stopped']);
    const again = await operate(stopClass);
    expect(again.status).toBe(200);
    expect(again.body.state).toBe('stopped');
    expect(again.body.seats.map((s: { state: string }) => s.state)).toEqual([
      'stopped',
      'stopped',
      'stopped',
    ]);

    await sim.executions.until(ends[0] as number);

    expect(ranSteps(sim, 'stop')).toHaveLength(2);
    expect(await record()).toMatchObject({ state: 'ended', next: { step: 'retire' } });
    expect((await record()).history.map((h) => `${h.step}:${h.to}`)).toEqual([
      'plan:scheduled',
      'seat:seating',
      'seat:ready',
      'stop:stopped',
      'stop:ended',
    ]);
  });

  it('starts a class stopped within its session again: same session, its stop still at the end', async () => {
    const sim = simulatedAws({ outboxDir: OUTBOX });
    const { ends } = await book(sim, [{ startMinutes: 20, minutes: 240 }]);
    await sim.executions.until(sim.clock.now() + HOUR);
    await operate(stopClass);
    await sim.executions.settled();
    const stoppedLinks = (await seats()).map((s) => s.url);

    const asked = await operate(startClass);
    await sim.executions.settled();
    const repeated = await operate(startClass);

    expect(asked.status).toBe(202);
    expect(repeated.status).toBe(200);
    expect(steps(sim)).toEqual(['stop-0: SUCCEEDED', 'start-0: SUCCEEDED']);
    expect(running(sim)).toHaveLength(3);
    expect(await record()).toMatchObject({
      state: 'ready',
      session: 0,
      operation: null,
      next: { step: 'stop', at: new Date(ends[0] as number).toISOString() },
    });
    // Without TLS a restarted seat comes back at another address: its student is told.
    expect((await seats()).map((s) => s.state)).toEqual(['ready', 'ready', 'ready']);
    expect((await seats()).map((s) => s.url)).not.toEqual(stoppedLinks);

    await sim.executions.until(ends[0] as number);
    expect(running(sim)).toEqual([]);
    expect((await record()).state).toBe('ended');
  });

  it('starts the next session early between sessions, its own start schedule cancelled', async () => {
    const sim = simulatedAws({ outboxDir: OUTBOX });
    const { starts, ends } = await book(sim, [
      { startMinutes: 20, minutes: 120 },
      { startMinutes: 24 * 60, minutes: 120 },
    ]);
    await sim.executions.until(ends[0] as number);
    expect(sim.scheduler.schedules().map((s) => s.name)).toEqual([
      expect.stringMatching(/-start-1$/),
    ]);

    const asked = await operate(startClass);
    await sim.executions.settled();

    expect(asked.status).toBe(202);
    expect(steps(sim)).toEqual(['stop-0: SUCCEEDED', 'start-1: SUCCEEDED']);
    expect(running(sim)).toHaveLength(3);
    expect(await record()).toMatchObject({
      state: 'ready',
      session: 1,
      next: { step: 'stop', at: new Date(ends[1] as number).toISOString() },
    });
    expect(sim.scheduler.schedules().map((s) => s.name)).toEqual([
      expect.stringMatching(/-stop-1$/),
    ]);
    await sim.executions.until(starts[1] as number);
    expect(steps(sim)).toHaveLength(2);
  });

  it('extends the session: its stop moves to the new end, nothing stops before it', async () => {
    const sim = simulatedAws({ outboxDir: OUTBOX });
    const { ends } = await book(sim, [{ startMinutes: 20, minutes: 120 }], { retainDays: 2 });
    const end = (ends[0] as number) + 90 * MINUTE;

    const asked = await operate(extendClass, { end: new Date(end).toISOString() });
    const repeated = await operate(extendClass, { end: new Date(end).toISOString() });
    const earlier = await operate(extendClass, { end: new Date(end - HOUR).toISOString() });
    const bad = await operate(extendClass, { end: 'tomorrow' });

    expect(asked.status).toBe(200);
    expect(asked.body.sessions).toEqual([
      { start: expect.any(String), end: new Date(end).toISOString() },
    ]);
    expect(repeated.status).toBe(200);
    expect(earlier.status).toBe(409);
    expect(earlier.body.message).toMatch(/an extension ends it later/);
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(['end']);
    expect(sim.scheduler.schedules()).toEqual([
      expect.objectContaining({
        name: expect.stringMatching(/-stop-0$/),
        expression: `at(${new Date(end).toISOString().slice(0, 19)})`,
      }),
    ]);

    await sim.executions.until((ends[0] as number) + HOUR);
    expect(steps(sim)).toEqual([]);
    expect(running(sim)).toHaveLength(3);
    await sim.executions.until(end);
    expect(steps(sim)).toEqual(['stop-0: SUCCEEDED']);
    expect(running(sim)).toEqual([]);
    expect(await record()).toMatchObject({
      state: 'ended',
      next: { step: 'retire', at: new Date(end + 2 * 24 * HOUR).toISOString() },
    });
    expect((await record()).history.map((h) => h.step)).toContain('extend');
  });

  it('deletes a class: no instance, credential, schedule, address or group is left', async () => {
    const sim = simulatedAws({ outboxDir: OUTBOX });
    await book(
      sim,
      [
        { startMinutes: 20, minutes: 120 },
        { startMinutes: 24 * 60, minutes: 120 },
      ],
      {
        tls: { mode: 'acme', directory: 'https://acme-staging-v02.api.letsencrypt.org/directory' },
      },
    );
    expect(sim.ec2.addresses()).toHaveLength(3);
    expect(
      sim.ec2.securityGroups().filter((g) => g.tags['bakehouse:class'] === CLASS_ID),
    ).toHaveLength(1);

    const asked = await operate(deleteClass);
    await sim.executions.settled();
    const repeated = await operate(deleteClass);
    const stop = await operate(stopClass);

    expect(asked.status).toBe(202);
    expect(asked.body.state).toBe('deleted');
    expect(repeated.status).toBe(200);
    expect(stop.status).toBe(409);
    expect(steps(sim)).toEqual(['retire-0: SUCCEEDED']);
    expect(sim.ec2.instances().filter((i) => i.state !== 'terminated')).toEqual([]);
    expect(sim.ssm.parameters().filter((p) => p.name.includes(CLASS_ID))).toEqual([]);
    expect(sim.scheduler.schedules()).toEqual([]);
    expect(sim.ec2.addresses()).toEqual([]);
    expect(sim.ec2.securityGroups().filter((g) => g.tags['bakehouse:class'] === CLASS_ID)).toEqual(
      [],
    );
    expect((await seats()).map((s) => s.state)).toEqual(['terminated', 'terminated', 'terminated']);
    expect(await record()).toMatchObject({ state: 'deleted', next: null, operation: null });
  });
});
