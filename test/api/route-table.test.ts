// The route table against serverless.yml (both ways), and the OpenAPI document built from it,
// judged by openapi-spec-validator.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../layers/core/api/openapi';
import { PAGE_LINK_QUERY } from '../../layers/core/api/page/page-link';
import { operationId, PAGE_AUTHORIZER, ROUTES, routeKey } from '../../layers/core/api/routes';
import { ClassStatusSchema } from '../../layers/core/api/schemas';
import { ROOT } from '../../local/serverless-config';

interface Fn {
  handler: string;
  role?: unknown;
  events?: {
    httpApi?: { method: string; path: string; authorizer?: { type?: string; name?: string } };
  }[];
}
const serverless = yaml.load(readFileSync(join(ROOT, 'serverless.yml'), 'utf8')) as {
  functions: Record<string, Fn>;
  provider: { httpApi?: { authorizers?: Record<string, Record<string, unknown>> } };
};
const functions = serverless.functions;

const httpEvents = Object.entries(functions).flatMap(([key, fn]) =>
  (fn.events ?? []).flatMap((e) => (e.httpApi ? [{ key, fn, event: e.httpApi }] : [])),
);

const authorizerOf = (route: { auth?: 'iam' | 'page' }) =>
  route.auth === 'page' ? { name: PAGE_AUTHORIZER.name } : { type: 'aws_iam' };

describe('the route table and serverless.yml', () => {
  it("gives every route its function's httpApi event, authorized as the table says, and a role", () => {
    for (const route of ROUTES) {
      const fn = functions[route.function];
      expect(fn, route.function).toBeDefined();
      expect(fn?.handler).toBe(route.handler);
      expect(fn?.role, `${route.function} has an explicit role`).toBeDefined();
      expect(fn?.events).toContainEqual({
        httpApi: { method: route.method, path: route.path, authorizer: authorizerOf(route) },
      });
    }
  });

  it('has only IAM-authorized routes but the class pages, behind the page authorizer', () => {
    expect(ROUTES.filter((r) => r.auth === 'page').map((r) => r.path)).toEqual(
      expect.arrayContaining(['/page/{id}', '/page/{id}/status']),
    );
    for (const route of ROUTES) expect(route.path.startsWith('/page/')).toBe(route.auth === 'page');
  });

  it('declares the page authorizer as the table has it: a request authorizer, never cached', () => {
    const declared = serverless.provider.httpApi?.authorizers?.[PAGE_AUTHORIZER.name];
    expect(declared).toEqual({
      type: 'request',
      functionName: PAGE_AUTHORIZER.function,
      enableSimpleResponses: true,
      payloadVersion: '2.0',
      resultTtlInSeconds: 0,
      identitySource: [...PAGE_AUTHORIZER.identitySource],
    });
    expect(functions[PAGE_AUTHORIZER.function]?.handler).toBe(PAGE_AUTHORIZER.handler);
    expect(functions[PAGE_AUTHORIZER.function]?.events).toBeUndefined();
    expect(PAGE_AUTHORIZER.identitySource).toEqual([
      `$request.querystring.${PAGE_LINK_QUERY.expires}`,
      `$request.querystring.${PAGE_LINK_QUERY.signature}`,
    ]);
  });

  it('has no httpApi event that the table lacks', () => {
    const table = new Set(ROUTES.map((r) => `${r.function} ${routeKey(r)}`));
    for (const { key, event } of httpEvents)
      expect(
        table.has(`${key} ${event.method} ${event.path}`),
        `${key} ${event.method} ${event.path}`,
      ).toBe(true);
    // Only the table's routes, each once, with nothing else: every event is some route's.
    expect(httpEvents).toHaveLength(ROUTES.length);
  });

  it('routes each method and path once', () => {
    expect(new Set(ROUTES.map(routeKey)).size).toBe(ROUTES.length);
  });
});

const validatorMissing = (() => {
  const probe = spawnSync('python3', ['-c', 'import openapi_spec_validator'], { encoding: 'utf8' });
  if (probe.error) return `python3 is not installed (${probe.error.message})`;
  return probe.status === 0 ? undefined : 'python3 has no openapi_spec_validator';
})();
if (validatorMissing && process.env.CI === 'true') throw new Error(`CI needs ${validatorMissing}`);

describe('the OpenAPI document', () => {
  const document = openApiDocument();

  it.skipIf(validatorMissing)('is a valid OpenAPI 3.1 document (openapi-spec-validator)', () => {
    const result = spawnSync(
      'python3',
      [
        '-c',
        'import json, sys\nfrom openapi_spec_validator import validate\nvalidate(json.load(sys.stdin))\nprint("valid")',
      ],
      { input: JSON.stringify(document), encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('valid');
  });

  it('is judged invalid when broken, so the judge can fail', () => {
    const broken = { ...document, paths: { '/bakes': { post: { responses: { 202: 'no' } } } } };
    const result = spawnSync(
      'python3',
      [
        '-c',
        'import json, sys\nfrom openapi_spec_validator import validate\nvalidate(json.load(sys.stdin))',
      ],
      { input: JSON.stringify(broken), encoding: 'utf8' },
    );
    expect(result.status).not.toBe(0);
  });

  it('has an operation for every route, with its query parameters, body types and answers', () => {
    for (const route of ROUTES) {
      const op = (document.paths?.[route.path] as Record<string, Record<string, unknown>>)?.[
        route.method.toLowerCase()
      ] as {
        operationId: string;
        responses: object;
        requestBody?: { content: object };
        parameters?: { name: string }[];
      };
      expect(op?.operationId).toBe(operationId(route));
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(Object.keys(route.answers)));
      if (route.body)
        expect(Object.keys(op.requestBody?.content ?? {})).toEqual(route.body.contentTypes);
    }
    const classrooms = document.paths?.['/classrooms']?.post as { parameters: { name: string }[] };
    expect(classrooms.parameters.map((p) => p.name)).toEqual(['dryRun']);
  });
});

describe('the class status a route will answer', () => {
  const status = {
    id: 'class-1',
    name: 'intro',
    state: 'ready',
    sessions: [{ start: '2099-01-01T09:00Z', end: '2099-01-01T12:00Z' }],
    seats: [{ seat: 's001', student: 'Ada', state: 'ready', url: 'http://192.0.2.1:8888/' }],
    estimateUSD: 1.5,
    costSoFarUSD: 0.2,
    budgetUSD: null,
    failure: null,
    next: null,
  };

  it('holds where each seat answers and refuses a password or token beside it', () => {
    expect(ClassStatusSchema.safeParse(status).success).toBe(true);
    const leaky = { ...status, seats: [{ ...status.seats[0], password: 'hunter2' }] };
    expect(ClassStatusSchema.safeParse(leaky).success).toBe(false);
    expect(ClassStatusSchema.safeParse({ ...status, token: 'x' }).success).toBe(false);
  });
});
