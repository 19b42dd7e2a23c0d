// Contract of the routes that read the stack and of POST /teardown, over HTTP against the local
// stack: good requests, bad ones (400 naming the field) and unknown ids (404), each answer
// checked against the route table's schema, none carrying a secret, an ARN or a stack trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../layers/core/api/routes';
import {
  BakeListSchema,
  BakeStatusSchema,
  ClassListSchema,
  ClassStatusSchema,
  ErrorSchema,
  StartedSchema,
  TeardownReportSchema,
  TeardownStartedSchema,
} from '../../layers/core/api/schemas';
import { type LocalStack, serveLocally } from '../../local/serve';
import { sessionStartingSoon } from '../../local/session-soon';

let stack: LocalStack;

beforeAll(async () => {
  stack = await serveLocally({ port: 0, outboxDir: '.cache/read-routes-outbox', quiet: true });
});

afterAll(async () => {
  await stack.idle();
  await stack.close();
});

async function call(method: string, path: string, body?: string, contentType = 'application/json') {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    body,
    headers: body === undefined ? {} : { 'content-type': contentType },
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown> };
}

/** The answer as the route table says `method path` answers `status`. */
function answered(method: string, path: string, status: number, body: unknown) {
  const route = ROUTES.find((r) => r.method === method && r.path === path);
  const schema = route?.answers[status]?.schema;
  if (!schema) throw new Error(`${method} ${path} does not answer ${status}`);
  return schema.parse(body);
}

function expectNothingInternal(text: string) {
  expect(text).not.toMatch(/arn:aws|\bat .*\.ts:\d+|000000000000|stack trace/i);
}

const recipe = (name: string) =>
  JSON.stringify({ name, baseImage: '/aws/service/debian/release/12/latest/amd64' });

async function bake(name: string, query = '') {
  const { body } = await call('POST', `/bakes${query}`, recipe(name));
  const started = StartedSchema.parse(body);
  await stack.idle();
  return started.id;
}

describe('GET /bakes/{id} and GET /bakes', () => {
  let first: string;

  beforeAll(async () => {
    first = await bake('stats-read');
  });

  it('answers a finished bake: succeeded, at its last stage, its tested image and where it is', async () => {
    const { status, body, text } = await call('GET', `/bakes/${first}`);

    expect(status).toBe(200);
    const bakeStatus = BakeStatusSchema.parse(answered('GET', '/bakes/{id}', 200, body));
    expect(bakeStatus).toMatchObject({
      id: first,
      state: 'succeeded',
      phase: 'done',
      progress: 1,
      reused: false,
      failure: null,
      image: {
        tested: true,
        regions: [{ region: 'us-east-1', id: expect.stringMatching(/^ami-/) }],
      },
    });
    expect(bakeStatus.image?.id).toMatch(/^ami-/);
    expect(bakeStatus.outputTail).toMatch(/bakehouse: phase/);
    expectNothingInternal(text);
  });

  it('reuses the tested image of the same recipe, and bakes anew with force=true', async () => {
    const baked = BakeStatusSchema.parse((await call('GET', `/bakes/${first}`)).body);
    const again = await bake('stats-read');
    const forced = await bake('stats-read', '?force=true');

    const reused = BakeStatusSchema.parse((await call('GET', `/bakes/${again}`)).body);
    const anew = BakeStatusSchema.parse((await call('GET', `/bakes/${forced}`)).body);

    expect(reused).toMatchObject({ state: 'succeeded', reused: true, image: baked.image });
    expect(anew).toMatchObject({ state: 'succeeded', reused: false });
    expect(anew.image?.id).not.toBe(baked.image?.id);
  });

  it('lists the bakes newest first, each with its state', async () => {
    const { status, body } = await call('GET', '/bakes');

    expect(status).toBe(200);
    const { bakes } = BakeListSchema.parse(answered('GET', '/bakes', 200, body));
    expect(bakes.length).toBeGreaterThanOrEqual(3);
    expect(bakes.at(-1)).toMatchObject({ id: first, state: 'succeeded' });
    const starts = bakes.map((b) => b.startedAt);
    expect([...starts].sort().reverse()).toEqual(starts);
  });

  it('answers 404 for a bake it does not know, and 400 naming id for one that cannot be', async () => {
    const unknown = await call('GET', '/bakes/bake-never');
    const bad = await call('GET', `/bakes/${'x'.repeat(81)}`);

    expect(unknown.status).toBe(404);
    expect(ErrorSchema.parse(unknown.body).error).toBe('NotFoundError');
    expectNothingInternal(unknown.text);
    expect(bad.status).toBe(400);
    expect(ErrorSchema.parse(bad.body).issues?.map((i) => i.path)).toEqual(['id']);
  });
});

describe('GET /classrooms/{id} and GET /classrooms', () => {
  let classId: string;

  beforeAll(async () => {
    const id = await bake('stats-class');
    const image = BakeStatusSchema.parse((await call('GET', `/bakes/${id}`)).body).image?.id;
    const { body } = await call(
      'POST',
      '/classrooms',
      JSON.stringify({
        name: 'intro-stats',
        image,
        students: [
          { name: 'Ada Lovelace', email: 'ada@example.edu' },
          { name: 'Grace Hopper', email: 'grace@example.edu' },
        ],
        schedule: sessionStartingSoon(stack.sim.clock.now()),
        instructor: { email: 'alan@example.edu' },
        sender: 'classes@example.edu',
        budgetUSD: 50,
      }),
    );
    classId = StartedSchema.parse(body).id;
    await stack.idle();
  });

  it('answers the seated class: ready, its session, each seat with student and link, its costs', async () => {
    const { status, body, text } = await call('GET', `/classrooms/${classId}`);

    expect(status).toBe(200);
    const classStatus = ClassStatusSchema.parse(answered('GET', '/classrooms/{id}', 200, body));
    expect(classStatus).toMatchObject({ id: classId, name: 'intro-stats', state: 'ready' });
    expect(classStatus.sessions).toHaveLength(1);
    expect(classStatus.seats.map((s) => [s.student, s.state])).toEqual([
      ['Ada Lovelace', 'ready'],
      ['Grace Hopper', 'ready'],
    ]);
    expect(classStatus.seats.every((s) => s.url?.startsWith('https://'))).toBe(true);
    expect(classStatus.estimateUSD).toBeGreaterThan(0);
    expect(classStatus.budgetUSD).toBe(50);
    expect(classStatus.costSoFarUSD).toBeGreaterThanOrEqual(0);
    expectNothingInternal(text);
  });

  it('carries no password or token of any seat', async () => {
    const { text } = await call('GET', `/classrooms/${classId}`);
    const secrets = stack.sim.ssm
      .parameters()
      .filter((p) => p.name.includes(`/${classId}/`))
      .flatMap((p) => Object.values(JSON.parse(p.value) as Record<string, unknown>))
      .filter((v): v is string => typeof v === 'string' && v.length >= 12);

    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('lists the class with its state and times', async () => {
    const { status, body } = await call('GET', '/classrooms');

    expect(status).toBe(200);
    const { classrooms } = ClassListSchema.parse(answered('GET', '/classrooms', 200, body));
    expect(classrooms).toContainEqual(
      expect.objectContaining({ id: classId, name: 'intro-stats', state: 'ready' }),
    );
  });

  it('answers a class that failed before it was stored: failed, and why', async () => {
    const started = await call(
      'POST',
      '/classrooms',
      JSON.stringify({
        name: 'no-such-image',
        image: 'ami-0123456789abcdef0',
        seats: 2,
        schedule: sessionStartingSoon(stack.sim.clock.now()),
        instructor: { email: 'alan@example.edu' },
        sender: 'classes@example.edu',
      }),
    );
    const { id } = StartedSchema.parse(started.body);
    await stack.idle();

    const { status, body, text } = await call('GET', `/classrooms/${id}`);

    expect(status).toBe(200);
    const failed = ClassStatusSchema.parse(answered('GET', '/classrooms/{id}', 200, body));
    expect(failed).toMatchObject({ id, state: 'failed', seats: [] });
    expect(failed.failure).toMatch(/^not planned: .*ami-0123456789abcdef0/);
    expectNothingInternal(text);
  });

  it('answers 404 for a class it does not know, and 400 naming id for one that cannot be', async () => {
    const unknown = await call('GET', '/classrooms/class-never');
    const bad = await call('GET', '/classrooms/not%20an%20id');

    expect(unknown.status).toBe(404);
    expect(ErrorSchema.parse(unknown.body).error).toBe('NotFoundError');
    expectNothingInternal(unknown.text);
    expect(bad.status).toBe(400);
    expect(ErrorSchema.parse(bad.body).issues?.map((i) => i.path)).toEqual(['id']);
  });
});

describe('POST /teardown', () => {
  it('with dryRun=true answers the report of a dry run, and changes nothing', async () => {
    const before = stack.sim.ec2.instances().filter((i) => i.state === 'running').length;

    const { status, body, text } = await call('POST', '/teardown?dryRun=true');

    expect(status).toBe(200);
    const report = TeardownReportSchema.parse(answered('POST', '/teardown', 200, body));
    expect(report).toMatchObject({ dryRun: true, stackName: 'bakehouse-local', done: [] });
    expect(stack.sim.ec2.instances().filter((i) => i.state === 'running')).toHaveLength(before);
    expectNothingInternal(text);
  });

  it('without dryRun schedules the teardown a minute ahead, which runs once time gets there', async () => {
    const { status, body, text } = await call('POST', '/teardown');

    expect(status).toBe(202);
    const started = TeardownStartedSchema.parse(answered('POST', '/teardown', 202, body));
    expect(Date.parse(started.at) - stack.sim.clock.now()).toBeLessThanOrEqual(61_000);
    expectNothingInternal(text);
    await stack.advance(2 * 60_000);
    expect(stack.sim.scheduler.fired.filter((f) => f.name === started.name)).toEqual([
      expect.not.objectContaining({ error: expect.anything() }),
    ]);
  });

  it('answers 400 naming dryRun when it is not true or false', async () => {
    const { status, body } = await call('POST', '/teardown?dryRun=soon');

    expect(status).toBe(400);
    expect(ErrorSchema.parse(body).issues?.map((i) => i.path)).toEqual(['dryRun']);
  });
});
