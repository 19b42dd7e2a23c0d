/**
 * The HTTP API on localhost: a real HTTP server that routes by the route table, builds the API
 * Gateway (HTTP API, payload 2.0) event from each request and invokes the handler serverless.yml
 * names, as API Gateway would. No route → 404 `{"message":"Not Found"}` (also for a known path
 * with another method, as API Gateway answers); a handler that throws → 500
 * `{"message":"Internal Server Error"}`, nothing of the error. A page route first runs the page
 * authorizer as API Gateway runs a request authorizer with simple responses: without every
 * identity source 401 `{"message":"Unauthorized"}` and the authorizer is not called; an answer
 * other than `isAuthorized: true` 403 `{"message":"Forbidden"}`; an authorizer that throws 500.
 * Its context reaches the function in `requestContext.authorizer.lambda`. The local stack may add
 * routes of its own (`POST /local/advance`), which are never deployed: they are not in the route
 * table.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
  Context,
} from 'aws-lambda';
import { PAGE_AUTHORIZER, ROUTES, type Route, routeKey } from '../layers/core/api/routes';
import { ROOT } from './serverless-config';

type Handler = (event: never, context: Context) => Promise<unknown>;

interface Matched {
  route: Route;
  pathParameters: Record<string, string>;
}

const patternOf = (path: string) =>
  new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`);

/** The route a method and path reach, with its path parameters; undefined when none. */
export function matchRoute(method: string, path: string, routes = ROUTES): Matched | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = patternOf(route.path).exec(path);
    if (match) return { route, pathParameters: { ...match.groups } };
  }
  return undefined;
}

async function handlerOf(name: string): Promise<Handler> {
  const dot = name.lastIndexOf('.');
  const module = (await import(join(ROOT, `${name.slice(0, dot)}.ts`))) as Record<string, Handler>;
  const handler = module[name.slice(dot + 1)];
  if (!handler) throw new Error(`${name} names no export`);
  return handler;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function eventOf(request: IncomingMessage, url: URL, matched: Matched, body: string) {
  const headers: Record<string, string> = {
    ...Object.fromEntries(
      Object.entries(request.headers).map(([k, v]) => [
        k,
        Array.isArray(v) ? v.join(',') : (v ?? ''),
      ]),
    ),
    'x-forwarded-proto': 'http',
  };
  // A repeated query parameter reaches the function once, its values joined by commas.
  const query = url.searchParams.size
    ? Object.fromEntries(
        [...new Set(url.searchParams.keys())].map((k) => [k, url.searchParams.getAll(k).join(',')]),
      )
    : undefined;
  const now = new Date();
  return {
    version: '2.0',
    routeKey: routeKey(matched.route),
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: query,
    pathParameters: Object.keys(matched.pathParameters).length ? matched.pathParameters : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method: matched.route.method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: routeKey(matched.route),
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body || undefined,
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2;
}

function lambdaContext(fn: string): Context {
  return {
    functionName: `bakehouse-local-${fn}`,
    awsRequestId: randomUUID(),
    callbackWaitsForEmptyEventLoop: false,
  } as Context;
}

function send(response: ServerResponse, status: number, body: string, headers = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(body);
}

/** A route of the local stack only: `POST /local/advance` → its answer. */
export type LocalRoutes = Record<
  string,
  (body: string) => Promise<{ status: number; body: unknown }>
>;

export interface ServeOptions {
  local?: LocalRoutes;
  /** Called once each API request has been answered. */
  afterEach?: () => void;
}

type AuthorizerResult = APIGatewaySimpleAuthorizerWithContextResult<Record<string, unknown>>;

/** The identity source `$request.querystring.NAME` of an event: its value, or undefined. */
function identityValue(event: APIGatewayProxyEventV2, source: string): string | undefined {
  const name = /^\$request\.querystring\.(.+)$/.exec(source)?.[1];
  if (!name) throw new Error(`identity source ${source} is not a query parameter`);
  return event.queryStringParameters?.[name] || undefined;
}

/** The page authorizer on `event`: its context when it lets the request through, else the answer. */
async function authorize(
  event: APIGatewayProxyEventV2,
  route: Route,
): Promise<{ context: Record<string, unknown> } | { status: number; message: string }> {
  const identity = PAGE_AUTHORIZER.identitySource.map((source) => identityValue(event, source));
  if (identity.some((value) => value === undefined))
    return { status: 401, message: 'Unauthorized' };
  const { body: _body, isBase64Encoded: _encoded, ...request } = event;
  const authorizerEvent: APIGatewayRequestAuthorizerEventV2 = {
    ...request,
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:us-east-1:000000000000:local/$default/${route.method}${route.path}`,
    identitySource: identity as string[],
    cookies: event.cookies ?? [],
  };
  const handler = await handlerOf(PAGE_AUTHORIZER.handler);
  const result = (await handler(
    authorizerEvent as never,
    lambdaContext(PAGE_AUTHORIZER.function),
  )) as AuthorizerResult;
  if (result?.isAuthorized !== true) return { status: 403, message: 'Forbidden' };
  return { context: result.context ?? {} };
}

async function answer(request: IncomingMessage, response: ServerResponse, options: ServeOptions) {
  const url = new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`);
  const own = options.local?.[`${request.method} ${url.pathname}`];
  if (own) {
    const result = await own(await readBody(request));
    return send(response, result.status, JSON.stringify(result.body));
  }
  const matched = matchRoute(request.method ?? 'GET', url.pathname);
  if (!matched) return send(response, 404, JSON.stringify({ message: 'Not Found' }));
  const body = await readBody(request);
  try {
    const event = eventOf(request, url, matched, body);
    if (matched.route.auth === 'page') {
      const verdict = await authorize(event, matched.route);
      if ('status' in verdict)
        return send(response, verdict.status, JSON.stringify({ message: verdict.message }));
      (event.requestContext as { authorizer?: unknown }).authorizer = { lambda: verdict.context };
    }
    const handler = await handlerOf(matched.route.handler);
    const result = (await handler(
      event as never,
      lambdaContext(matched.route.function),
    )) as APIGatewayProxyStructuredResultV2;
    send(response, result.statusCode ?? 200, result.body ?? '', result.headers);
  } catch {
    send(response, 500, JSON.stringify({ message: 'Internal Server Error' }));
  }
}

/** Listens on 127.0.0.1:`port` (0: any free port); resolves with the server once listening. */
export function serveApi(port: number, options: ServeOptions = {}): Promise<Server> {
  const server = createServer((request, response) => {
    answer(request, response, options)
      .catch(() => {
        if (!response.headersSent)
          send(response, 500, JSON.stringify({ message: 'Internal Server Error' }));
      })
      .finally(() => options.afterEach?.());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
