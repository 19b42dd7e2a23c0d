/**
 * Changes of a running class on the simulated AWS, on the exact clock: late students added, a
 * seat replaced, an email resent — each through its API handler, which records the change and
 * starts the classroom machine's change step — and what each did: instances launched and
 * terminated, emails per student, credentials stored. A repeat does nothing more; a class whose
 * session is over refuses them.
 */
import { rmSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { addSeats, replaceSeat, resendEmail } from '../../functions/api/seat-operations';
import { classSeats, getClass } from '../../layers/aws/dynamodb';
import { resolvePublicParameter } from '../../layers/aws/ssm';
import type { ClassStatus } from '../../layers/core/api/schemas';
import {
  parseClassRecord,
  parseSeatRecords,
} from '../../layers/core/classroom/record/class-record';
import { runLocal } from '../../local/runner';
import { sessionStartingSoon } from '../../local/session-soon';
import { LOCAL_CLASSES_TABLE, type Simulation } from '../../local/simulation';
import { simulatedAws } from './simulated';

const OUTBOX = '.cache/test-outbox-seat-changes';
const STORE = { region: 'us-east-1', table: LOCAL_CLASSES_TABLE };
const CLASS_ID = 'class-changed';
const late = [
  { name: 'Late One', email: 'late1@example.edu' },
  { name: 'Late Two', email: 'late2@example.edu' },
];

/** A class of two students, seated now, ready. */
async function seatedClass(extra: Record<string, unknown> = {}) {
  const sim = simulatedAws({ outboxDir: OUTBOX });
  const image = await resolvePublicParameter(
    'us-east-1',
    '/aws/service/debian/release/12/latest/amd64',
  );
  const run = await runLocal(
    'classroom',
    {
      request: {
        name: 'late-joiners',
        image,
        students: [
          { name: 'Student 1', email: 'student1@example.edu' },
          { name: 'Student 2', email: 'student2@example.edu' },
        ],
        schedule: sessionStartingSoon(sim.clock.now()),
        instructor: { email: 'ada@example.edu' },
        sender: 'classes@example.edu',
        ...extra,
      },
    },
    { clock: sim.clock, executionName: CLASS_ID },
  );
  expect(run.status, run.cause).toBe('SUCCEEDED');
  return sim;
}

type Answer = { statusCode: number; body: string };
const event = (pathParameters: Record<string, string>, body?: unknown) =>
  ({
    pathParameters,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
    isBase64Encoded: false,
  }) as never;
const answered = (answer: unknown) => {
  const { statusCode, body } = answer as Answer;
  return { status: statusCode, body: JSON.parse(body) as ClassStatus & { message?: string } };
};
const add = async (body: unknown) =>
  answered(await addSeats(event({ id: CLASS_ID }, body), {} as never));
const replace = async (seat: string, body?: unknown) =>
  answered(await replaceSeat(event({ id: CLASS_ID, seat }, body), {} as never));
const resend = async (seat: string, body?: unknown) =>
  answered(await resendEmail(event({ id: CLASS_ID, seat }, body), {} as never));

const seats = async () => parseSeatRecords(await classSeats(STORE, CLASS_ID));
const record = async () => parseClassRecord(await getClass(STORE, CLASS_ID));
const running = (sim: Simulation) => sim.ec2.instances().filter((i) => i.state === 'running');
const mailsTo = (sim: Simulation, email: string) =>
  sim.ses.outbox.filter((m) => m.to.includes(email));
const credentials = (sim: Simulation) =>
  sim.ssm.parameters().filter((p) => p.name.includes(`/classes/${CLASS_ID}/`));
const changeRuns = (sim: Simulation) =>
  sim.executions.runs.filter((r) => (r.input as { step?: string }).step === 'change');

beforeEach(() => {
  rmSync(OUTBOX, { recursive: true, force: true });
});

describe('changing the seats of a running class', () => {
  it('adds late students: one seat, one credential and one email each, and nothing twice', async () => {
    const sim = await seatedClass();
    expect(running(sim)).toHaveLength(2);

    const first = await add({ students: late, key: 'late-1' });
    const again = await add({ students: late, key: 'late-1' });
    await sim.executions.settled();

    expect(first.status).toBe(202);
    expect(first.body.seats.map((s) => [s.seat, s.state])).toEqual([
      ['seat-001', 'ready'],
      ['seat-002', 'ready'],
      ['seat-003', 'pending'],
      ['seat-004', 'pending'],
    ]);
    expect(again.status).toBe(202);
    expect(changeRuns(sim).map((r) => r.status)).toEqual(['SUCCEEDED']);
    expect(running(sim)).toHaveLength(4);
    expect(credentials(sim)).toHaveLength(4);
    expect(mailsTo(sim, 'late1@example.edu')).toHaveLength(1);
    expect(mailsTo(sim, 'late2@example.edu')).toHaveLength(1);
    expect(mailsTo(sim, 'student1@example.edu')).toHaveLength(1);
    const stored = await seats();
    expect(stored.map((s) => [s.seatId, s.batchId, s.state])).toEqual([
      ['seat-001', 'b00', 'ready'],
      ['seat-002', 'b00', 'ready'],
      ['seat-003', 'c01', 'ready'],
      ['seat-004', 'c01', 'ready'],
    ]);
    expect((await record()).changes).toEqual([
      expect.objectContaining({ id: 'c01', state: 'done', note: '2 of 2 seats ready, 2 emailed' }),
    ]);

    // Once done, the same students (with or without the key) are not added again.
    expect((await add({ students: late, key: 'late-1' })).status).toBe(200);
    expect((await add({ students: [late[1]] })).status).toBe(200);
    await sim.executions.settled();
    expect(changeRuns(sim)).toHaveLength(1);
    expect(running(sim)).toHaveLength(4);
    expect(sim.ses.outbox.filter((m) => m.to.some((t) => t.startsWith('late')))).toHaveLength(2);
  });

  it('replaces a seat: a new instance and credential, the old one terminated, one new email', async () => {
    const sim = await seatedClass();
    const [before] = await seats();
    const oldCredential = credentials(sim).find((p) => p.name.endsWith('/b00/seat-001'));

    const first = await replace('seat-001');
    const again = await replace('seat-001');
    await sim.executions.settled();

    expect([first.status, again.status]).toEqual([202, 202]);
    expect(changeRuns(sim).map((r) => r.status)).toEqual(['SUCCEEDED']);
    const after = (await seats())[0];
    expect(after).toMatchObject({ seatId: 'seat-001', batchId: 'c01', state: 'ready' });
    expect(after?.instanceId).not.toBe(before?.instanceId);
    expect(sim.ec2.instances().find((i) => i.instanceId === before?.instanceId)?.state).toBe(
      'terminated',
    );
    expect(running(sim)).toHaveLength(2);
    const newCredential = credentials(sim).find((p) => p.name.endsWith('/c01/seat-001'));
    expect(newCredential?.value).toBeDefined();
    expect(newCredential?.value).not.toBe(oldCredential?.value);
    const mails = mailsTo(sim, 'student1@example.edu');
    expect(mails).toHaveLength(2);
    const token = (JSON.parse(newCredential?.value ?? '{}') as { token: string }).token;
    expect(mails[1]?.text).toContain(token);
    expect(mailsTo(sim, 'student2@example.edu')).toHaveLength(1);
  });

  it("resends one student's email once, however often it is asked while pending", async () => {
    const sim = await seatedClass();
    const instances = sim.ec2.instances().length;

    const answers = [await resend('seat-002'), await resend('seat-002', {})];
    await sim.executions.settled();

    expect(answers.map((a) => a.status)).toEqual([202, 202]);
    expect(changeRuns(sim)).toHaveLength(1);
    const mails = mailsTo(sim, 'student2@example.edu');
    expect(mails).toHaveLength(2);
    expect(mails[1]?.text).toBe(mails[0]?.text);
    expect(mailsTo(sim, 'student1@example.edu')).toHaveLength(1);
    expect(sim.ec2.instances()).toHaveLength(instances);

    // Done, a new request is a new resend.
    expect((await resend('seat-002')).status).toBe(202);
    await sim.executions.settled();
    expect(mailsTo(sim, 'student2@example.edu')).toHaveLength(3);
  });

  it('stops the seats it brought up when the session ends while it runs', async () => {
    // Begun before the simulation's 09:00, the session ends at 09:02, while the change runs.
    const schedule = { start: '2026-11-02T08:30', end: '2026-11-02T09:02', timezone: 'UTC' };
    const sim = await seatedClass({ schedule });
    expect((await record()).state).toBe('ready');

    expect((await add({ students: [late[0]] })).status).toBe(202);
    await sim.executions.settled();

    const [change] = changeRuns(sim);
    expect(change?.status).toBe('SUCCEEDED');
    const states = (change?.events ?? []).flatMap((e) =>
      e.type === 'StateEntered' ? [e.state.name] : [],
    );
    expect(states).toContain('StopChangedSeats');
    expect((await record()).state).toBe('ended');
    expect(running(sim)).toEqual([]);
    expect((await seats()).map((s) => s.state)).toEqual(['stopped', 'stopped', 'stopped']);
    expect(mailsTo(sim, 'late1@example.edu')).toHaveLength(1);
  });

  it('refuses changes once the session is over, and unknown seats', async () => {
    const sim = await seatedClass();
    const { next } = await record();
    await sim.executions.until(Date.parse(next?.at ?? ''));
    expect((await record()).state).toBe('ended');

    const refusals = [await add({ seats: 1 }), await replace('seat-001'), await resend('seat-001')];
    expect(refusals.map((r) => r.status)).toEqual([409, 409, 409]);
    expect(refusals[0]?.body.message).toMatch(
      /class class-changed is ended: seats can be added only/,
    );
    expect(refusals[2]?.body.message).toMatch(/is ended: a student's email can be sent again only/);
    expect((await replace('seat-042')).status).toBe(409);
    await sim.executions.settled();
    expect(changeRuns(sim)).toEqual([]);
  });
});
