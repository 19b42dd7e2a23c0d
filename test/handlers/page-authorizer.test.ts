import { randomBytes } from 'node:crypto';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import type { APIGatewayRequestAuthorizerEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { newPageKey, signPageLink } from '../../layers/core/api/page/page-link';
import { resetConfig } from '../../layers/runtime/config';

const ssm = mockClient(SSMClient);
const KEY = newPageKey(randomBytes);
const KEY_NAME = '/bakehouse/dev/page-key';
const DAY = 86_400_000;

type Handler = typeof import('../../functions/api/page-authorizer')['handler'];
let authorize: Handler;

beforeEach(async () => {
  ssm.reset();
  ssm
    .on(GetParameterCommand, { Name: KEY_NAME, WithDecryption: true })
    .resolves({ Parameter: { Name: KEY_NAME, Type: 'SecureString', Value: KEY } });
  delete process.env.PARAMETER_PREFIX;
  resetConfig();
  vi.resetModules();
  ({ handler: authorize } = await import('../../functions/api/page-authorizer'));
});

/** The authorizer event API Gateway sends for GET `url` on route `/page/{id}`. */
function eventFor(url: string, routeKey = 'GET /page/{id}'): APIGatewayRequestAuthorizerEventV2 {
  const parsed = new URL(url);
  const id = parsed.pathname.split('/')[2] ?? '';
  const query = Object.fromEntries(parsed.searchParams);
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:us-east-1:123456789012:api/$default/${routeKey.replace(' ', '')}`,
    identitySource: [query.expires ?? '', query.sig ?? ''],
    routeKey,
    rawPath: parsed.pathname,
    rawQueryString: parsed.search.slice(1),
    cookies: [],
    headers: {},
    queryStringParameters: query,
    pathParameters: { id: decodeURIComponent(id) },
    requestContext: {} as APIGatewayRequestAuthorizerEventV2['requestContext'],
  };
}

const link = (classId = 'intro-1', days = 7, key = KEY) =>
  signPageLink(key, 'https://api.example.edu', classId, new Date(Date.now() + days * DAY)).url;

const call = (event: APIGatewayRequestAuthorizerEventV2) => authorize(event, {} as Context);

describe('the page authorizer', () => {
  it('lets a good link through, with the class id in its context', async () => {
    expect(await call(eventFor(link()))).toEqual({
      isAuthorized: true,
      context: { classId: 'intro-1' },
    });
  });

  it('lets the same link through on the page status route of that class', async () => {
    const url = link().replace('/page/intro-1', '/page/intro-1/status');
    expect((await call(eventFor(url, 'GET /page/{id}/status'))).isAuthorized).toBe(true);
  });

  it('refuses an expired link', async () => {
    expect(await call(eventFor(link('intro-1', -1)))).toEqual({
      isAuthorized: false,
      context: { classId: '' },
    });
  });

  it('refuses a link whose expiry was pushed out, or whose signature was changed', async () => {
    const url = new URL(link());
    url.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
    expect((await call(eventFor(url.toString()))).isAuthorized).toBe(false);

    const sig = new URL(link()).searchParams.get('sig') ?? '';
    const other = new URL(link());
    other.searchParams.set('sig', `${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`);
    expect((await call(eventFor(other.toString()))).isAuthorized).toBe(false);
  });

  it("refuses one class's link on another class's page", async () => {
    const url = link('intro-1').replace('/page/intro-1', '/page/intro-2');
    expect((await call(eventFor(url))).isAuthorized).toBe(false);
  });

  it('refuses a link signed with another key', async () => {
    expect((await call(eventFor(link('intro-1', 7, newPageKey(randomBytes))))).isAuthorized).toBe(
      false,
    );
  });

  it('refuses everything while no page key is stored, and reads the key again next time', async () => {
    ssm.reset();
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'no', $metadata: {} }));
    expect((await call(eventFor(link()))).isAuthorized).toBe(false);

    ssm.reset();
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: KEY_NAME, Value: KEY } });
    expect((await call(eventFor(link()))).isAuthorized).toBe(true);
    expect((await call(eventFor(link()))).isAuthorized).toBe(true);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
  });

  it('reads the key of its own deployment, decrypted', async () => {
    await call(eventFor(link()));
    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({
      Name: KEY_NAME,
      WithDecryption: true,
    });
  });

  it('fails (API Gateway answers 500) when the key cannot be read for another reason', async () => {
    ssm.reset();
    ssm
      .on(GetParameterCommand)
      .rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    await expect(call(eventFor(link()))).rejects.toThrow('throttled');
  });
});
