/** Calling the API handlers as API Gateway (HTTP API, payload v2) does, with Step Functions mocked. */
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'vitest';
import { handler as startBake } from '../../functions/api/start-bake';
import { handler as startClassroom } from '../../functions/api/start-classroom';
import { STEP_FUNCTIONS_PAYLOAD_BYTES } from '../../layers/base/limits';
import { resetConfig } from '../../layers/runtime/config';
import { expectBoundedIssues } from './support';

export const sfn = mockClient(SFNClient);
const BAKE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:bakehouse-dev-bake';
const CLASS_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:bakehouse-dev-classroom';

export function resetApi() {
  sfn.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn: `${BAKE_ARN}:x` });
  process.env.BAKE_STATE_MACHINE_ARN = BAKE_ARN;
  process.env.CLASSROOM_STATE_MACHINE_ARN = CLASS_ARN;
  resetConfig();
}

export const routes = { bakes: startBake, classrooms: startClassroom } as const;
export type Route = keyof typeof routes;

export interface Post {
  body: string | undefined;
  contentType?: string | undefined;
  /** The header's name as sent; API Gateway lower-cases it, other callers may not. */
  headerName?: string;
  isBase64Encoded?: boolean;
}

export function event({
  body,
  contentType,
  headerName = 'content-type',
  isBase64Encoded = false,
}: Post) {
  return {
    version: '2.0',
    routeKey: 'POST /x',
    rawPath: '/x',
    rawQueryString: '',
    headers: contentType === undefined ? {} : { [headerName]: contentType },
    requestContext: { http: { method: 'POST', path: '/x' } },
    body,
    isBase64Encoded,
  } as unknown as APIGatewayProxyEventV2;
}

export interface Answer {
  status: number;
  text: string;
  body: { issues?: { path: string; message: string }[]; [key: string]: unknown };
}

export async function post(route: Route, request: Post): Promise<Answer> {
  const response = (await routes[route](event(request), {} as Context)) as {
    statusCode: number;
    body: string;
  };
  return { status: response.statusCode, text: response.body, body: JSON.parse(response.body) };
}

/** The execution inputs sent to StartExecution, as text. */
export const startedInputs = () =>
  sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input.input ?? '');

/** The largest answer the API may give to anything: far under Lambda's 6 MB response limit. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** What every answer must be: 202 having started one execution, or a bounded 400 starting none. */
export function expectTruthfulAnswer(answer: Answer, sent: Post) {
  expect([202, 400]).toContain(answer.status);
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(Buffer.byteLength(answer.text)).toBeLessThanOrEqual(MAX_ANSWER_BYTES);
  const inputs = startedInputs();
  if (answer.status === 202) {
    expect(inputs).toHaveLength(1);
    expect(Buffer.byteLength(inputs[0] ?? '')).toBeLessThanOrEqual(STEP_FUNCTIONS_PAYLOAD_BYTES);
  } else {
    expect(inputs).toHaveLength(0);
    expectBoundedIssues(answer.body.issues);
    if ((sent.body ?? '').length > 1000) expect(answer.text).not.toContain(sent.body);
  }
}
