/**
 * The in-class budget stop on the simulated AWS over simulated time: a class that runs longer
 * than it was booked for (extended) has its budget looked at by schedules of its own, its seats
 * stopped before spending crosses the budget, the instructor told once, and no later step starts
 * it again; only the start operation does.
 */
import { rmSync } from 'node:fs';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { extendClass, startClass } from '../../functions/api/class-operations';
import { handler as notifyBudgetStop } from '../../functions/classroom/notify-budget-stop';
import { classSeats, getClass } from '../../layers/aws/dynamodb';
import { resolvePublicParameter } from '../../layers/aws/ssm';
import {
  type ClassRecord,
  parseClassRecord,
  parseSeatRecords,
} from '../../layers/core/classroom/record/class-record';
import { BUDGET_STOP_MARGIN_MINUTES } from '../../layers/core/cost/budget-watch';
import { classCostSoFar } from '../../layers/core/cost/class-spend';
import { resetConfig } from '../../layers/runtime/config';
import { LOCAL_ENVIRONMENT, runLocal } from '../../local/runner';
import { sessionsFrom } from '../../local/session-soon';
import { LOCAL_CLASSES_TABLE, type Simulation } from '../../local/simulation';
import { simulatedAws } from './simulated';

const OUTBOX = '.cache/test-outbox-budget';
const STORE = { region: 'us-east-1', table: LOCAL_CLASSES_TABLE };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const CLASS_ID = 'class-budgeted';
const INSTRUCTOR = 'ada@example.edu';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

const students = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    name: `Student ${i + 1}`,
    email: `student${i + 1}@example.edu`,
  }));

async function book(
  sim: Simulation,
  sessions: { startMinutes: number; minutes: number }[],
  budgetUSD: number,
  extra: Record<string, unknown> = { tls: { mode: 'none' } },
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
        name: 'budgeted',
        image,
        students: students(3),
        sessions: times,
        timezone: 'UTC',
        retainDays: 1,
        budgetUSD,
        instructor: { email: INSTRUCTOR },
        sender: 'classes@example.edu',
        ...extra,
      },
    },
    { clock: sim.clock, executionName: CLASS_ID },
  );
  expect(run.status, run.cause).toBe('SUCCEEDED');
  const at = (local: string) => Date.parse(`${local}:00Z`);
  return { starts: times.map((t) => at(t.start)), ends: times.map((t) => at(t.end)) };
}

async function operate(fn: Handler, body?: unknown) {
  Object.assign(process.env, LOCAL_ENVIRONMENT);
  resetConfig();
  const event = {
    pathParameters: { id: CLASS_ID },
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
const toInstructor = (sim: Simulation) =>
  sim.ses.outbox.filter(
    (m) => m.to.includes(INSTRUCTOR) && /seats stopped to stay within/.test(m.subject ?? ''),
  );
const steps = (sim: Simulation) =>
  sim.executions.runs.map((r) => `${(r.input as { step: string }).step}: ${r.status}`);

beforeEach(() => {
  rmSync(OUTBOX, { recursive: true, force: true });
});

describe('the in-class budget stop on the simulated AWS', () => {
  it('stops an extended class before its spending crosses the budget and tells the instructor once', async () => {
    // Prepare: a two-hour session within its budget (seats at Elastic IPs, with TLS), then
    // extended by twelve hours
    const sim = simulatedAws({ outboxDir: OUTBOX });
    const budgetUSD = 1.5;
    const { ends } = await book(sim, [{ startMinutes: 20, minutes: 120 }], budgetUSD, {});
    const booked = await record();
    expect(booked.costs.estimate.estimateUSD).toBeLessThan(budgetUSD);
    expect(booked.budgetWatch?.schedule).toMatch(/-budget-0-\d+$/);
    const end = (ends[0] as number) + 12 * HOUR;
    expect((await operate(extendClass, { end: new Date(end).toISOString() })).status).toBe(200);
    // The last session's end moved the retirement: every resource's expiry says so.
    const expiry = new Date(end + 24 * HOUR).toISOString();
    const expiries = [
      ...sim.ec2.instances().flatMap((i) => [i.tags, ...i.volumes.map((v) => v.tags)]),
      ...sim.ec2
        .securityGroups()
        .filter((g) => g.tags['bakehouse:class'] === CLASS_ID)
        .map((g) => g.tags),
      ...sim.ec2.addresses().map((a) => a.tags),
    ].map((tags) => tags['bakehouse:expires-at']);
    expect(sim.ec2.addresses()).toHaveLength(3);
    expect(expiries).toHaveLength(3 + 3 + 1 + 3);
    expect(new Set(expiries)).toEqual(new Set([expiry]));

    // Act: the session's time passes
    await sim.executions.until(end);

    // Assess: the budget's own schedules looked, then stopped the seats before the crossing
    const life = await record();
    const stop = life.budgetStop;
    expect(stop, steps(sim).join('\n')).toBeDefined();
    const stoppedAt = Date.parse(stop?.at ?? '');
    const crossesAt = Date.parse(stop?.crossesAt ?? '');
    expect(stoppedAt).toBeLessThan(end);
    expect(crossesAt - stoppedAt).toBeGreaterThan(0);
    expect(crossesAt - stoppedAt).toBeLessThanOrEqual(BUDGET_STOP_MARGIN_MINUTES * MINUTE + MINUTE);
    expect(running(sim)).toEqual([]);
    expect(life.state).toBe('ended');
    expect(life.history.map((h) => `${h.step}:${h.to}`)).toEqual([
      'plan:scheduled',
      'seat:seating',
      'seat:ready',
      'extend:ready',
      'budget:stopped',
      'stop:ended',
    ]);
    expect(life.history.find((h) => h.step === 'budget')?.note).toMatch(
      /^stopped for budget: \$\d+\.\d\d spent of \$1\.50/,
    );
    expect(steps(sim).filter((s) => s.startsWith('budget')).length).toBeGreaterThan(3);
    expect(steps(sim).every((s) => s.endsWith('SUCCEEDED'))).toBe(true);
    // Everything the class will ever be billed for its seats stays within the budget.
    const billed = classCostSoFar(
      life,
      await seats(),
      new Date(life.plan.sessions[0]?.endsAt ?? 0),
    );
    expect(billed.spentUSD + billed.storedUSDPerHour * 24).toBeLessThanOrEqual(budgetUSD);
    const mails = toInstructor(sim);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain('The later sessions will not start on their own');
    expect(mails[0]?.messageId).toBe(life.budgetStop?.notified?.messageId);
    expect(life.budgetStop?.notified?.messageId).toBeTruthy();

    // Act: the email step runs again, as a retry whose answer was lost would
    Object.assign(process.env, LOCAL_ENVIRONMENT);
    resetConfig();
    const again = await notifyBudgetStop({ classId: CLASS_ID }, {} as Context);

    // Assess: nothing more is sent
    expect(again).toMatchObject({ sent: false });
    expect(toInstructor(sim)).toHaveLength(1);
  });

  it('starts no later session of a class stopped for its budget; the start operation does, once', async () => {
    // Prepare: two sessions a day apart; the first extended past what the budget allows
    const sim = simulatedAws({ outboxDir: OUTBOX });
    const { starts, ends } = await book(
      sim,
      [
        { startMinutes: 20, minutes: 60 },
        { startMinutes: 24 * 60, minutes: 60 },
      ],
      1.2,
    );
    const end = (ends[0] as number) + 14 * HOUR;
    expect((await operate(extendClass, { end: new Date(end).toISOString() })).status).toBe(200);
    await sim.executions.until(end);
    expect((await record()).budgetStop).toBeDefined();

    // Act: the second session's time comes
    await sim.executions.until((starts[1] as number) + 10 * MINUTE);

    // Assess: it did not start; the class waits for its retirement
    expect(running(sim)).toEqual([]);
    expect(steps(sim).some((s) => s.startsWith('start'))).toBe(false);
    const held = await record();
    expect(held.state).toBe('stopped');
    expect(held.next).toMatchObject({ step: 'retire' });

    // Act: the instructor starts it
    const started = await operate(startClass);
    await sim.executions.settled();

    // Assess: it runs the second session, is not stopped for its budget again, and stops at its end
    expect(started.status).toBe(202);
    expect(running(sim)).toHaveLength(3);
    const resumed = await record();
    expect(resumed.state).toBe('ready');
    expect(resumed.budgetStop?.startedAt).toBeDefined();
    expect(resumed.next).toMatchObject({ step: 'stop' });
    await sim.executions.until(ends[1] as number);
    expect(running(sim)).toEqual([]);
    expect((await record()).state).toBe('ended');
    expect(toInstructor(sim)).toHaveLength(1);
  });
});
