/**
 * The `bakehouse` command's HTTP client: SigV4-signed with the caller's own AWS credentials (the
 * SDK's signer and default credential chain) for a deployed API, plain HTTP to the local stack.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Checksum, SourceData } from '@smithy/types';

/** Exit codes of the command. */
export const EXIT = { ok: 0, failed: 1, badInput: 2, notFound: 3, conflict: 4 } as const;

/** Bad usage or input found before anything is sent: exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function exitCodeOf(status: number): number {
  if (status < 400) return EXIT.ok;
  if (status === 404) return EXIT.notFound;
  if (status === 409) return EXIT.conflict;
  if (status < 500) return EXIT.badInput;
  return EXIT.failed;
}

/** The deployed stack's output of the API's URL (serverless.yml's HTTP API: `HttpApiUrl`). */
export const API_URL_OUTPUT = 'HttpApiUrl';

/** Reads output `key` of stack `stackName` in `region` (undefined: no such stack or output). */
export type StackOutputs = (
  region: string,
  stackName: string,
  key: string,
) => Promise<string | undefined>;

/**
 * `--endpoint`, else `$BAKEHOUSE_ENDPOINT`, else the `HttpApiUrl` output of the deployed stack
 * `bakehouse-<stage>` (`--stage`, else `$BAKEHOUSE_STAGE`, else dev) in the caller's region,
 * read from CloudFormation with the caller's credentials.
 */
export async function resolveEndpoint(
  flags: { endpoint?: string; stage?: string },
  env: NodeJS.ProcessEnv = process.env,
  outputs: StackOutputs = deployedOutputs,
): Promise<URL> {
  const given = flags.endpoint ?? env.BAKEHOUSE_ENDPOINT;
  if (given) return asUrl(given);
  const stage = flags.stage ?? env.BAKEHOUSE_STAGE ?? 'dev';
  const stackName = `bakehouse-${stage}`;
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const found = await outputs(region, stackName, API_URL_OUTPUT).catch((error: Error) => {
    throw new UsageError(
      `no endpoint: give --endpoint URL or set BAKEHOUSE_ENDPOINT; the stack ${stackName} in ${region} could not be read (${error.message})`,
    );
  });
  if (!found)
    throw new UsageError(
      `no endpoint: give --endpoint URL or set BAKEHOUSE_ENDPOINT (the URL \`bakehouse serve\` prints); no stack ${stackName} with an ${API_URL_OUTPUT} output in ${region}`,
    );
  return asUrl(found);
}

function asUrl(given: string): URL {
  try {
    return new URL(given);
  } catch {
    throw new UsageError(`endpoint ${given} is not a URL`);
  }
}

const deployedOutputs: StackOutputs = async (region, stackName, key) => {
  const { stackOutput } = await import('../layers/aws/cloudformation');
  return stackOutput(region, stackName, key);
};

/** The local stack that `bakehouse serve` prints is reached by plain HTTP; every other host is signed. */
export const isLocal = (endpoint: URL) => endpoint.hostname === 'localhost';

/** SHA-256 and HMAC-SHA256 from node:crypto, in the shape the SDK's signer takes. */
export class Sha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh() {
    return this.secret === undefined
      ? createHash('sha256')
      : createHmac('sha256', toBuffer(this.secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

const toBuffer = (data: SourceData) =>
  typeof data === 'string'
    ? Buffer.from(data)
    : Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : (data as Uint8Array));

/** `abc.execute-api.eu-west-1.amazonaws.com` → eu-west-1; otherwise AWS_REGION or us-east-1. */
export function regionOf(endpoint: URL, env = process.env): string {
  return (
    /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/.exec(endpoint.hostname)?.[1] ??
    env.AWS_REGION ??
    env.AWS_DEFAULT_REGION ??
    'us-east-1'
  );
}

export interface ApiRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: string;
  contentType?: string;
}

export interface ApiAnswer {
  status: number;
  body: unknown;
}

export async function callApi(endpoint: URL, request: ApiRequest): Promise<ApiAnswer> {
  const base = endpoint.pathname.replace(/\/$/, '');
  const url = new URL(`${base}${request.path}`, endpoint);
  for (const [k, v] of Object.entries(request.query ?? {})) url.searchParams.set(k, v);
  let headers: Record<string, string> = { host: url.host, accept: 'application/json' };
  if (request.body !== undefined)
    headers['content-type'] = request.contentType ?? 'application/json';
  if (!isLocal(endpoint)) {
    const signer = new SignatureV4({
      service: 'execute-api',
      region: regionOf(endpoint),
      credentials: defaultProvider(),
      sha256: Sha256,
    });
    const signed = await signer.sign({
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: request.body,
    });
    headers = signed.headers;
  }
  const { host: _host, ...sent } = headers;
  const response = await fetch(url, { method: request.method, headers: sent, body: request.body });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body };
}
