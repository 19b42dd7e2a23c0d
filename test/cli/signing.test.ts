// Requests to a deployed API are SigV4-signed with the caller's own credentials; the local stack
// gets plain HTTP. A local HTTP server poses as the API and records what it receives.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Sha256 } from '../../bin/api-client';
import { bakehouse } from './run';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let port: number;
let received: Received[] = [];
let answer: { status: number; body: unknown } = { status: 202, body: {} };

const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  AWS_REGION: 'eu-west-1',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
};
const STARTED = { id: 'bake-1' };
/** What GET /bakes/bake-1 answers once the bake has started. */
const RUNNING = {
  id: 'bake-1',
  state: 'running',
  phase: 'launch',
  progress: 0.2,
  image: null,
  reused: false,
  failure: null,
  outputTail: null,
  startedAt: '2026-12-01T10:00:00.000Z',
  endedAt: null,
};

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
      });
      const { status, body: answered } =
        request.method === 'GET' ? { status: 200, body: RUNNING } : answer;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answered));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

beforeEach(() => {
  received = [];
  answer = { status: 202, body: STARTED };
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The Authorization header API Gateway would compute for the request, from the same secret. */
async function resigned(request: Received): Promise<string | undefined> {
  const url = new URL(request.url, `http://${request.headers.host}`);
  const signedHeaders =
    /SignedHeaders=([^,]+)/.exec(String(request.headers.authorization))?.[1] ?? '';
  const headers = Object.fromEntries(
    signedHeaders.split(';').map((name) => [name, String(request.headers[name])]),
  );
  const date = String(request.headers['x-amz-date']);
  const signingDate = new Date(
    `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 11)}:${date.slice(11, 13)}:${date.slice(13)}`,
  );
  const signer = new SignatureV4({
    service: 'execute-api',
    region: CREDENTIALS.AWS_REGION,
    credentials: {
      accessKeyId: CREDENTIALS.AWS_ACCESS_KEY_ID,
      secretAccessKey: CREDENTIALS.AWS_SECRET_ACCESS_KEY,
    },
    sha256: Sha256,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: request.body,
    },
    { signingDate },
  );
  return signed.headers.authorization;
}

const bake = (endpoint: string, env: Record<string, string> = CREDENTIALS) =>
  bakehouse(
    ['--endpoint', endpoint, 'bake', 'examples/recipes/genomics-workshop.yaml', '--force'],
    env,
  );

describe('requests of the bakehouse command', () => {
  it('are signed with AWS4-HMAC-SHA256 and the credentials from the environment, to any host but localhost', async () => {
    const { code } = await bake(`http://127.0.0.1:${port}`);

    expect(code).toBe(0);
    const [request] = received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/bakes?force=true');
    expect(request?.headers['content-type']).toBe('application/yaml');
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=[a-z0-9;-]*\bhost\b[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    expect(request?.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(await resigned(request as Received)).toBe(request?.headers.authorization);
    const status = received[1];
    expect(status?.method).toBe('GET');
    expect(status?.url).toBe('/bakes/bake-1');
    expect(await resigned(status as Received)).toBe(status?.headers.authorization);
  });

  it('fail with exit 1 when there are no credentials to sign with, and send nothing', async () => {
    const { code } = await bake(`http://127.0.0.1:${port}`, {
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      AWS_EC2_METADATA_DISABLED: 'true',
    });

    expect(code).toBe(1);
    expect(received).toEqual([]);
  });

  it('go to the local stack (localhost) as plain HTTP, unsigned', async () => {
    const { code } = await bake(`http://localhost:${port}`);

    expect(code).toBe(0);
    expect(received[0]?.headers.authorization).toBeUndefined();
  });
});

describe('exit codes of the bakehouse command', () => {
  const error = (name: string) => ({ error: name, message: `a ${name}` });

  it.each([
    { status: 404, body: error('NotFoundError'), exit: 3 },
    { status: 409, body: error('ConflictError'), exit: 4 },
    {
      status: 400,
      body: { ...error('ValidationError'), issues: [{ path: 'name', message: 'bad' }] },
      exit: 2,
    },
    { status: 500, body: { message: 'Internal Server Error' }, exit: 1 },
  ])('answer $status exits $exit', async ({ status, body, exit }) => {
    answer = { status, body };

    const { code } = await bake(`http://localhost:${port}`);

    expect(code).toBe(exit);
  });

  it('exits 1 for an answer that does not match the route table', async () => {
    answer = { status: 202, body: { id: 1 } };

    const { code, stderr } = await bake(`http://localhost:${port}`);

    expect(code).toBe(1);
    expect(stderr).toContain('unexpected 202 answer');
  });
});
