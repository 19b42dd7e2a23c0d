/**
 * The seat operations' API handlers over the class store on dynalite, Step Functions and EC2's
 * Elastic IP quota mocked:
 * a good request records its change and starts the change's execution, a repeat starts the same
 * one, and a bad field, an unknown class or seat, or a state that does not allow it are 400,
 * 404 and 409 with nothing started.
 */
import {
  DescribeAccountAttributesCommand,
  DescribeAddressesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addSeats, replaceSeat, resendEmail } from '../../functions/api/seat-operations';
import { useTransport } from '../../layers/aws/clients';
import { createClass, getClass, putSeats } from '../../layers/aws/dynamodb';
import type { ClassState } from '../../layers/core/classroom/record/class-record';
import { parseClassRecord } from '../../layers/core/classroom/record/class-record';
import { resetConfig } from '../../layers/runtime/config';
import { startClassStore } from '../../local/class-store';
import { record, seat } from '../unit/classroom/record/fixtures';

const sfn = mockClient(SFNClient);
const ec2 = mockClient(EC2Client);
const TABLE = 'bakehouse-handler-classes';
const STORE = { region: 'us-east-1', table: TABLE };
const CLASS_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:bakehouse-dev-classroom';
let classes = 0;

beforeAll(() => {
  const local = startClassStore(TABLE);
  useTransport({ dynamodb: { endpoint: local.endpoint } });
});

/** The account may hold `limit` Elastic IPs; `inUse` are allocated, the first `held` by `classId`. */
function elasticIps(limit: number, inUse = 0, held = 0, classId = '') {
  ec2.on(DescribeAccountAttributesCommand).resolves({
    AccountAttributes: [
      { AttributeName: 'vpc-max-elastic-ips', AttributeValues: [{ AttributeValue: `${limit}` }] },
    ],
  });
  ec2.on(DescribeAddressesCommand).resolves({
    Addresses: Array.from({ length: inUse }, (_, i) => ({
      AllocationId: `eipalloc-${i}`,
      Tags: i < held ? [{ Key: 'bakehouse:class', Value: classId }] : [],
    })),
  });
}

beforeEach(() => {
  sfn.reset();
  ec2.reset();
  elasticIps(1000);
  sfn.on(StartExecutionCommand).resolves({ executionArn: `${CLASS_ARN}:x` });
  process.env.CLASSROOM_STATE_MACHINE_ARN = CLASS_ARN;
  process.env.CLASSES_TABLE = TABLE;
  resetConfig();
});

/** A new class in `state` with two seated students and one anonymous seat. */
async function aClass(state: ClassState = 'ready') {
  const classId = `class-h${++classes}`;
  await createClass(STORE, { ...record(), classId, state });
  await putSeats(STORE, classId, [seat(1), seat(2), seat(3, { student: null })]);
  return classId;
}

const event = (pathParameters: Record<string, string>, body?: unknown) =>
  ({
    pathParameters,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

async function call(fn: typeof addSeats, e: APIGatewayProxyEventV2) {
  const response = (await fn(e, {} as Context)) as { statusCode: number; body: string };
  return { status: response.statusCode, body: JSON.parse(response.body) };
}

const started = () =>
  sfn.commandCalls(StartExecutionCommand).map((c) => ({
    name: c.args[0].input.name,
    input: JSON.parse(c.args[0].input.input ?? '{}'),
  }));
const paths = (body: { issues?: { path: string }[] }) => body.issues?.map((i) => i.path);

describe('POST /classrooms/{id}/seats', () => {
  it('records the addition, starts its execution and answers the class with the seats pending', async () => {
    const id = await aClass();

    const { status, body } = await call(
      addSeats,
      event({ id }, { students: [{ name: 'Late', email: 'late@example.edu' }], key: 'k1' }),
    );

    expect(status).toBe(202);
    expect(body).toMatchObject({ id, state: 'ready' });
    expect(body.seats.at(-1)).toEqual({
      seat: 'seat-004',
      student: 'Late',
      state: 'pending',
      url: null,
    });
    expect(started()).toEqual([
      { name: `${id}-c01`, input: { classId: id, step: 'change', change: 'c01' } },
    ]);
  });

  it('starts the same execution again for a repeat, and records the change once', async () => {
    const id = await aClass();
    const body = { seats: 2, key: 'twice' };

    await call(addSeats, event({ id }, body));
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    const again = await call(addSeats, event({ id }, body));

    expect(again.status).toBe(202);
    expect(started().map((s) => s.name)).toEqual([`${id}-c01`, `${id}-c01`]);
    expect(parseClassRecord(await getClass(STORE, id)).changes).toHaveLength(1);
  });

  it('answers 400 naming the field, 404 for an unknown class, 409 for a class over', async () => {
    const id = await aClass('ended');

    const bad = await call(addSeats, event({ id }, { seats: 0 }));
    const badId = await call(addSeats, event({ id: 'no/such' }, { seats: 1 }));
    const unknown = await call(addSeats, event({ id: 'class-none' }, { seats: 1 }));
    const over = await call(addSeats, event({ id }, { seats: 1 }));

    expect([bad.status, paths(bad.body)]).toEqual([400, ['seats']]);
    expect([badId.status, paths(badId.body)]).toEqual([400, ['id']]);
    expect(unknown.status).toBe(404);
    expect(over).toEqual({
      status: 409,
      body: {
        error: 'ConflictError',
        message: `class ${id} is ended: seats can be added only while it is scheduled or ready`,
      },
    });
    expect(started()).toEqual([]);
  });
});

describe('POST /classrooms/{id}/seats, on an account short of Elastic IPs', () => {
  it('answers 409 naming the numbers and the fix, and records and starts nothing', async () => {
    // Its three seats hold three of the four addresses in use; one more is free.
    const id = await aClass();
    elasticIps(5, 4, 3, id);

    const full = await call(addSeats, event({ id }, { seats: 2 }));

    expect(full.status).toBe(409);
    expect(full.body).toEqual({
      error: 'QuotaError',
      message:
        "adding 2 seats needs 2 more Elastic IPs (one per TLS seat) but the account may hold 5 in us-east-1 and 4 are in use, 3 its own: ask Service Quotas for more 'EC2-VPC Elastic IPs' (L-0263D0A3)",
    });
    expect(full.body.message.length).toBeLessThanOrEqual(200);
    expect(started()).toEqual([]);
    expect(parseClassRecord(await getClass(STORE, id)).changes ?? []).toEqual([]);
  });

  it('does not look at the quota for a scheduled class: its booking is checked when it is seated', async () => {
    const id = await aClass('scheduled');
    elasticIps(0);

    await call(addSeats, event({ id }, { seats: 1 }));

    expect(ec2.commandCalls(DescribeAccountAttributesCommand)).toEqual([]);
  });
});

describe('POST /classrooms/{id}/seats/{seat}/replace', () => {
  it('takes no body, records the replacement and starts it; a repeat is the same', async () => {
    const id = await aClass();

    const first = await call(replaceSeat, event({ id, seat: 'seat-002' }));
    const again = await call(replaceSeat, event({ id, seat: 'seat-002' }, {}));

    expect([first.status, again.status]).toEqual([202, 202]);
    expect(new Set(started().map((s) => s.name))).toEqual(new Set([`${id}-c01`]));
    expect(parseClassRecord(await getClass(STORE, id)).changes?.map((c) => c.kind)).toEqual([
      'replace',
    ]);
  });

  it('answers 404 for an unknown seat, 400 for a bad one, 409 in a stopped class', async () => {
    const id = await aClass();
    const stopped = await aClass('stopped');

    const unknown = await call(replaceSeat, event({ id, seat: 'seat-009' }));
    const bad = await call(replaceSeat, event({ id, seat: 'desk-1' }));
    const wrongState = await call(replaceSeat, event({ id: stopped, seat: 'seat-001' }));

    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe(`class ${id} has no seat seat-009`);
    expect([bad.status, paths(bad.body)]).toEqual([400, ['seat']]);
    expect(wrongState.status).toBe(409);
    expect(wrongState.body.message).toMatch(/replace one once the next session has started/);
    expect(started()).toEqual([]);
  });
});

describe('POST /classrooms/{id}/seats/{seat}/resend', () => {
  it("records the resend of a student's email and starts it", async () => {
    const id = await aClass();

    const { status } = await call(resendEmail, event({ id, seat: 'seat-001' }));

    expect(status).toBe(202);
    expect(started()).toHaveLength(1);
  });

  it('answers 409 for an anonymous seat, 400 for an unknown field', async () => {
    const id = await aClass();

    const anonymous = await call(resendEmail, event({ id, seat: 'seat-003' }));
    const extra = await call(resendEmail, event({ id, seat: 'seat-001' }, { to: 'x@example.edu' }));

    expect(anonymous.status).toBe(409);
    expect(anonymous.body.message).toMatch(/seat-003 is anonymous: it has no student to email/);
    expect(extra.status).toBe(400);
    expect(started()).toEqual([]);
  });
});
