// The class operations' handlers over a real class store (dynalite): good, bad, unknown id, a
// state that does not allow it, a repeat. Step Functions and Scheduler are mocked: what the
// handlers ask of them is asserted, not what the steps then do (test/statemachine/operations).
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  deleteClass,
  extendClass,
  startClass,
  stopClass,
} from '../../functions/api/class-operations';
import { useTransport } from '../../layers/aws/clients';
import { createClass, getClass, putSeats, saveClass } from '../../layers/aws/dynamodb';
import { ClassStatusSchema } from '../../layers/core/api/schemas';
import {
  type ClassRecord,
  parseClassRecord,
} from '../../layers/core/classroom/record/class-record';
import { useClock } from '../../layers/runtime/clock';
import { resetConfig } from '../../layers/runtime/config';
import { setLogSink } from '../../layers/runtime/logger';
import { startClassStore } from '../../local/class-store';
import { record as fixture, seat } from '../unit/classroom/record/fixtures';

const sfn = mockClient(SFNClient);
const scheduler = mockClient(SchedulerClient);
const TABLE = 'bakehouse-test-classes';
const STORE = { region: 'us-east-1', table: TABLE };
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:bakehouse-dev-classroom';
// Session 2 of the fixture runs 08:00Z–11:00Z on 9 March 2027.
const IN_SESSION = new Date('2027-03-09T09:30:00Z');

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

const store = startClassStore(TABLE);
let classes = 0;

beforeEach(() => {
  sfn.reset();
  scheduler.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn: `${MACHINE}:x` });
  scheduler.on(DeleteScheduleCommand).resolves({});
  scheduler
    .on(CreateScheduleCommand)
    .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
  scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn:x' });
  useTransport({ dynamodb: { endpoint: store.endpoint } });
  Object.assign(process.env, { CLASSES_TABLE: TABLE, CLASSROOM_STATE_MACHINE_ARN: MACHINE });
  resetConfig();
  useClock(() => IN_SESSION);
  setLogSink(() => {});
});

/** A class in `state` (session 2 of 3), with three seats, under a fresh id. */
async function stored(state: ClassRecord['state'], change: Partial<ClassRecord> = {}) {
  const classId = `class-h${++classes}`;
  const base = fixture();
  const record = {
    ...base,
    classId,
    plan: { ...base.plan, classId },
    state,
    session: 1,
    ...change,
  };
  await createClass(STORE, record);
  const seatState = state === 'ready' ? 'ready' : 'stopped';
  await putSeats(
    STORE,
    classId,
    [1, 2, 3].map((n) => seat(n, { state: seatState })),
  );
  return classId;
}

async function call(fn: Handler, id: string, body?: string, headers = {}) {
  const event = {
    pathParameters: { id },
    headers: { 'content-type': 'application/json', ...headers },
    body,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  const response = (await fn(event, {} as Context)) as { statusCode: number; body: string };
  return { status: response.statusCode, body: JSON.parse(response.body) };
}

const started = () =>
  sfn.commandCalls(StartExecutionCommand).map((c) => ({
    name: c.args[0].input.name,
    input: JSON.parse(c.args[0].input.input ?? '{}'),
  }));
const read = async (id: string) => parseClassRecord(await getClass(STORE, id));

describe('POST /classrooms/{id}/stop', () => {
  it('starts the stop step now and answers 202 with the class status', async () => {
    const id = await stored('ready');

    const { status, body } = await call(stopClass, id);

    expect(status).toBe(202);
    expect(ClassStatusSchema.parse(body)).toMatchObject({ id, state: 'ready', budgetUSD: null });
    expect(body.seats).toHaveLength(3);
    expect(JSON.stringify(body)).not.toMatch(/password|token/i);
    expect(started()).toEqual([
      {
        name: expect.stringMatching(/^bakehouse-[0-9a-f]{16}-stop-0$/),
        input: { classId: id, step: 'stop', session: 1 },
      },
    ]);
    expect((await read(id)).operation).toMatchObject({
      name: 'stop',
      at: IN_SESSION.toISOString(),
    });
  });

  it('starts the same execution again on a repeat while it is under way, nothing new', async () => {
    const id = await stored('ready');

    await call(stopClass, id);
    const again = await call(stopClass, id);

    expect(again.status).toBe(202);
    const names = started().map((s) => s.name);
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(1);
  });

  it('answers 200 and starts nothing for a class already stopped', async () => {
    const id = await stored('stopped');

    const { status, body } = await call(stopClass, id);

    expect(status).toBe(200);
    expect(body.state).toBe('stopped');
    expect(started()).toEqual([]);
  });

  it('answers 409 with the reason for a class with no seat to stop', async () => {
    const id = await stored('scheduled', { session: 0 });

    const { status, body } = await call(stopClass, id);

    expect(status).toBe(409);
    expect(body).toEqual({
      error: 'ConflictError',
      message: `class ${id} is scheduled: cannot stop: no seat runs yet; seating starts at 2027-03-08 07:40 UTC`,
    });
    expect(started()).toEqual([]);
  });

  it('answers 404 for an unknown class, and 400 naming the field for a bad id or body', async () => {
    const unknown = await call(stopClass, 'class-nobody');
    const badId = await call(stopClass, 'class one');
    const badBody = await call(stopClass, await stored('ready'), '{"now":true}');

    expect(unknown.status).toBe(404);
    expect(badId.status).toBe(400);
    expect(badId.body.issues).toEqual([
      { path: 'id', message: expect.stringContaining('class id') },
    ]);
    expect(badBody.status).toBe(400);
    expect(badBody.body.issues.map((i: { path: string }) => i.path)).toEqual(['']);
    expect(started()).toEqual([]);
  });

  it('answers 409 when another operation wrote the class since it was read', async () => {
    const id = await stored('ready');
    const first = call(stopClass, id);
    const second = call(stopClass, id);

    const answers = (await Promise.all([first, second])).map((a) => a.status).sort();

    // Both read version 0; one wins the conditional write, or the other already sees its mark.
    expect(answers[0]).toBe(202);
    expect([202, 409]).toContain(answers[1]);
  });
});

describe('POST /classrooms/{id}/start', () => {
  it('starts the next session between sessions: its start schedule cancelled, 202', async () => {
    useClock(() => new Date('2027-03-09T15:00:00Z'));
    const id = await stored('stopped');

    const { status, body } = await call(startClass, id);

    expect(status).toBe(202);
    expect(body.state).toBe('stopped');
    expect(scheduler.commandCalls(DeleteScheduleCommand).map((c) => c.args[0].input.Name)).toEqual([
      expect.stringMatching(/^bakehouse-[0-9a-f]{16}-start-2$/),
    ]);
    expect(started()).toEqual([
      {
        name: expect.stringMatching(/-start-0$/),
        input: { classId: id, step: 'start', session: 2 },
      },
    ]);
  });

  it('answers 200 for a class already ready, 409 for an ended one, 404 for none', async () => {
    const ready = await call(startClass, await stored('ready'));
    const ended = await call(startClass, await stored('ended', { session: 2 }));
    const none = await call(startClass, 'class-nobody');

    expect([ready.status, ended.status, none.status]).toEqual([200, 409, 404]);
    expect(ended.body.message).toMatch(/cannot start: its last session ended/);
    expect(started()).toEqual([]);
  });
});

describe('POST /classrooms/{id}/extend', () => {
  it('moves the stop schedule to the new end and answers the class with it', async () => {
    const id = await stored('ready');

    const { status, body } = await call(extendClass, id, '{"end":"2027-03-09T12:30:00Z"}');

    expect(status).toBe(200);
    expect(body.sessions[1]).toEqual({
      start: '2027-03-09T08:00:00.000Z',
      end: '2027-03-09T12:30:00.000Z',
    });
    const update = scheduler.commandCalls(UpdateScheduleCommand)[0]?.args[0].input;
    expect(update).toMatchObject({
      Name: expect.stringMatching(/-stop-1$/),
      ScheduleExpression: 'at(2027-03-09T12:30:00)',
      Target: { Arn: MACHINE },
    });
    expect(JSON.parse(update?.Target?.Input ?? '{}')).toEqual({
      classId: id,
      step: 'stop',
      session: 1,
    });
    expect((await read(id)).plan.sessions[1]?.end).toBe('2027-03-09T13:30');
    expect(started()).toEqual([]);
  });

  it('answers 400 naming end for a bad or past end, and 409 for an earlier one', async () => {
    const id = await stored('ready');

    const missing = await call(extendClass, id, '{}');
    const notADate = await call(extendClass, id, '{"end":"soon"}');
    const past = await call(extendClass, id, '{"end":"2027-03-09T09:00:00Z"}');
    const earlier = await call(extendClass, id, '{"end":"2027-03-09T10:00:00Z"}');
    const intoNext = await call(extendClass, id, '{"end":"2027-03-10T08:30:00Z"}');

    for (const answer of [missing, notADate, past, intoNext]) {
      expect(answer.status).toBe(400);
      expect(answer.body.issues.map((i: { path: string }) => i.path)).toEqual(['end']);
    }
    expect(intoNext.body.issues[0].message).toMatch(/before session 3 starts/);
    expect(earlier.status).toBe(409);
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toEqual([]);
  });

  it('answers 409 for a scheduled class and 404 for none', async () => {
    const scheduled = await call(
      extendClass,
      await stored('scheduled', { session: 0 }),
      '{"end":"2027-03-09T12:30:00Z"}',
    );
    const none = await call(extendClass, 'class-nobody', '{"end":"2027-03-09T12:30:00Z"}');

    expect(scheduled.status).toBe(409);
    expect(scheduled.body.message).toMatch(/no session has begun/);
    expect(none.status).toBe(404);
  });
});

describe('DELETE /classrooms/{id}', () => {
  it('records the class deleted and starts its retirement; a later repeat is a 200', async () => {
    const id = await stored('stopped');

    const { status, body } = await call(deleteClass, id);
    const record = await read(id);
    await saveClass(STORE, { ...record, operation: null });
    const repeat = await call(deleteClass, id);

    expect(status).toBe(202);
    expect(body.state).toBe('deleted');
    expect(record.history.at(-1)).toMatchObject({ from: 'stopped', to: 'deleted', step: 'delete' });
    expect(started()).toEqual([
      {
        name: expect.stringMatching(/-delete-0$/),
        input: { classId: id, step: 'retire', session: 1 },
      },
    ]);
    expect(repeat.status).toBe(200);
  });

  it('answers 409 for a class being seated, and 404 for none', async () => {
    const seating = await call(deleteClass, await stored('seating'));
    const none = await call(deleteClass, 'class-nobody');

    expect(seating.status).toBe(409);
    expect(none.status).toBe(404);
    expect(started()).toEqual([]);
  });
});
