// Contract of every route, over HTTP, against the local stack: the real handlers behind a real
// server on a free port, over the simulated AWS; answers checked against the route table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../layers/core/api/routes';
import {
  ClassEstimateAnswerSchema,
  ErrorSchema,
  GatewayErrorSchema,
  OpenApiDocumentSchema,
  StartedSchema,
} from '../../layers/core/api/schemas';
import { type LocalStack, localExecutionArn, serveLocally } from '../../local/serve';

let stack: LocalStack;

beforeAll(async () => {
  stack = await serveLocally({
    port: 0,
    outboxDir: '.cache/api-outbox',
    quiet: true,
  });
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

const recipe = `
name: stats-101
baseImage: /aws/service/debian/release/12/latest/amd64
environment:
  apt: [r-base]
`;

const classRequest = (extra: object = {}) =>
  JSON.stringify({
    name: 'intro-genomics',
    image: 'ami-0123456789abcdef0',
    seats: 3,
    schedule: { start: '2099-03-02T09:00', end: '2099-03-02T12:00', timezone: 'UTC' },
    instructor: { email: 'grace@example.edu' },
    sender: 'classes@example.edu',
    ...extra,
  });

const issuePaths = (body: Record<string, unknown>) =>
  ErrorSchema.parse(body).issues?.map((i) => i.path);

/** No stack trace, no ARN, no account id in an error answer. */
function expectNothingInternal(text: string) {
  expect(text).not.toMatch(/arn:aws|\bat .*\.ts:\d+|000000000000|stack/i);
}

describe('POST /bakes', () => {
  it('answers 202 with the bake id (no ARN), and the real bake machine bakes the recipe on the simulator', async () => {
    const { status, body } = await call('POST', '/bakes', recipe, 'application/yaml');

    expect(status).toBe(202);
    const started = StartedSchema.parse(body);
    const run = await stack.sim.executions.done(localExecutionArn('bake', started.id));
    expect(run?.status).toBe('SUCCEEDED');
    expect((run?.output as { imageId?: string } | undefined)?.imageId).toMatch(/^ami-/);
  });

  it('takes the recipe as JSON too, and force=true, which the bake carries in its input', async () => {
    const { status, body } = await call(
      'POST',
      '/bakes?force=true',
      JSON.stringify({
        name: 'stats-102',
        baseImage: '/aws/service/debian/release/12/latest/amd64',
      }),
    );

    expect(status).toBe(202);
    const run = await stack.sim.executions.done(
      localExecutionArn('bake', StartedSchema.parse(body).id),
    );
    expect(run?.status).toBe('SUCCEEDED');
    const started = run?.events.find((e) => e.type === 'ExecutionStarted') as
      | { input?: { force?: boolean } }
      | undefined;
    expect(started?.input?.force).toBe(true);
  });

  it('answers 400 naming each bad field', async () => {
    const { status, body, text } = await call(
      'POST',
      '/bakes',
      recipe.replace('stats-101', 'X'),
      'application/yaml',
    );

    expect(status).toBe(400);
    expect(issuePaths(body)).toEqual(['name']);
    expectNothingInternal(text);
  });

  it('answers 400 naming the body when it is not JSON, and the query parameter when it is wrong', async () => {
    const notJson = await call('POST', '/bakes', '{"name": ');
    const badForce = await call('POST', '/bakes?force=yes', recipe, 'application/yaml');

    expect(notJson.status).toBe(400);
    expect(issuePaths(notJson.body)).toEqual(['body']);
    expect(badForce.status).toBe(400);
    expect(issuePaths(badForce.body)).toEqual(['force']);
  });
});

describe('POST /classrooms', () => {
  it('with dryRun=true answers 200 with the estimate and the plan, and starts nothing', async () => {
    const before = stack.sim.stepFunctions.executions().length;

    const { status, body } = await call('POST', '/classrooms?dryRun=true', classRequest());

    expect(status).toBe(200);
    const { estimate, plan } = ClassEstimateAnswerSchema.parse(body);
    expect(estimate.estimateUSD).toBeGreaterThan(0);
    expect(plan).toMatchObject({ seats: 3, students: 0, batches: 1, waves: 1 });
    expect(plan.placements[0]).toEqual({ instanceType: 't3.medium', market: 'on-demand' });
    expect(stack.sim.stepFunctions.executions().length).toBe(before);
  });

  it('answers 202 and starts the classroom machine', async () => {
    const { status, body } = await call('POST', '/classrooms', classRequest());

    expect(status).toBe(202);
    const started = StartedSchema.parse(body);
    expect(JSON.stringify(body)).not.toContain('arn:');
    const run = await stack.sim.executions.done(localExecutionArn('classroom', started.id));
    expect(run?.status).toBeDefined();
  });

  it('answers 400 naming each bad field, also on a dry run', async () => {
    const wrong = classRequest({ seats: 0, name: 'X' });

    const real = await call('POST', '/classrooms', wrong);
    const dry = await call('POST', '/classrooms?dryRun=true', wrong);

    expect(real.status).toBe(400);
    expect(issuePaths(real.body)).toEqual(expect.arrayContaining(['name', 'seats']));
    expect(dry.body).toEqual(real.body);
  });

  it('answers 400 BudgetError for an estimate above the budget, also on a dry run', async () => {
    const { status, body } = await call(
      'POST',
      '/classrooms?dryRun=true',
      classRequest({ seats: 30, budgetUSD: 1 }),
    );

    expect(status).toBe(400);
    expect(ErrorSchema.parse(body).error).toBe('BudgetError');
  });

  it('answers 400 naming dryRun when it is not true or false', async () => {
    const { status, body } = await call('POST', '/classrooms?dryRun=maybe', classRequest());

    expect(status).toBe(400);
    expect(issuePaths(body)).toEqual(['dryRun']);
  });
});

describe('GET /openapi.json', () => {
  it('answers the document, with every route of the table', async () => {
    const { status, body } = await call('GET', '/openapi.json');

    expect(status).toBe(200);
    const document = OpenApiDocumentSchema.parse(body) as unknown as {
      paths: Record<string, object>;
    };
    expect(Object.keys(document.paths).sort()).toEqual(
      [...new Set(ROUTES.map((r) => r.path))].sort(),
    );
  });
});

describe('requests no route takes', () => {
  it('answers 404 for an unknown path, as API Gateway does', async () => {
    const { status, body } = await call('GET', '/classrooms/class-1/seats');

    expect(status).toBe(404);
    expect(GatewayErrorSchema.parse(body)).toEqual({ message: 'Not Found' });
  });

  it('answers 404 for a known path with another method, and runs no handler', async () => {
    const before = stack.sim.stepFunctions.executions().length;

    const deleted = await call('DELETE', '/bakes');
    const got = await call('PUT', '/classrooms');
    const posted = await call('POST', '/openapi.json', '{}');

    expect([deleted.status, got.status, posted.status]).toEqual([404, 404, 404]);
    expect(stack.sim.stepFunctions.executions().length).toBe(before);
  });
});
