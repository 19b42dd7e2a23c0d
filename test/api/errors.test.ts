// How the API edge answers errors: named errors mapped once to 400/404/409, anything else a 500
// that tells nothing of the error — no stack trace, no ARN.
import { SFNClient, StartExecutionCommand, StateMachineDoesNotExist } from '@aws-sdk/client-sfn';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as startBake } from '../../functions/api/start-bake';
import { ConflictError, NotFoundError } from '../../layers/base/errors';
import { ErrorSchema } from '../../layers/core/api/schemas';
import { resetConfig } from '../../layers/runtime/config';
import { httpApi, Reply } from '../../layers/runtime/middleware';

const sfn = mockClient(SFNClient);
const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:bakehouse-dev-bake';

beforeEach(() => {
  sfn.reset();
  process.env.BAKE_STATE_MACHINE_ARN = ARN;
  resetConfig();
});

const event = (body: string) =>
  ({
    body,
    headers: { 'content-type': 'application/json' },
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

async function answer(
  fn: (e: APIGatewayProxyEventV2, c: Context) => Promise<unknown>,
  body = '{}',
) {
  const response = (await fn(event(body), {} as Context)) as { statusCode: number; body: string };
  return { status: response.statusCode, text: response.body, body: JSON.parse(response.body) };
}

const throwing = (error: Error) =>
  middy()
    .use(httpApi(() => undefined))
    .handler(async () => {
      throw error;
    });

describe('the HTTP API edge', () => {
  it('answers 409 for a state that does not allow the operation', async () => {
    const { status, body } = await answer(throwing(new ConflictError('class intro has ended')));

    expect(status).toBe(409);
    expect(ErrorSchema.parse(body)).toEqual({
      error: 'ConflictError',
      message: 'class intro has ended',
    });
  });

  it('answers 404 for something that is not there', async () => {
    const { status, body } = await answer(throwing(new NotFoundError('no class intro')));

    expect(status).toBe(404);
    expect(body.error).toBe('NotFoundError');
  });

  it('answers a handler Reply with its own status', async () => {
    const fn = middy()
      .use(httpApi(() => undefined))
      .handler(async () => new Reply(200, { ok: true }));

    const { status, body } = await answer(fn);

    expect([status, body]).toEqual([200, { ok: true }]);
  });

  it('answers 500 with neither the stack trace nor the ARN of an AWS error', async () => {
    sfn.on(StartExecutionCommand).rejects(
      new StateMachineDoesNotExist({
        $metadata: {},
        message: `State Machine Does Not Exist: '${ARN}'`,
      }),
    );
    const recipe = JSON.stringify({
      name: 'stats-101',
      baseImage: '/aws/service/debian/release/12/latest/amd64',
    });

    const { status, body, text } = await answer(startBake, recipe);

    expect(status).toBe(500);
    expect(ErrorSchema.parse(body).message).toBe('internal error');
    expect(text).not.toMatch(/arn:aws|123456789012|\.ts:\d+|\bat /);
  });
});
