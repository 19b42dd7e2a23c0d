// StartExecution on the local stack's simulated account: the real state machine starts, and
// AWS's refusals hold (no such machine, the same name twice).
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { localStateMachineArn, serveExecutions } from '../../local/executions';
import { startSimulation } from '../../local/simulation';

function setUp() {
  const sim = startSimulation({ scale: 20_000, outboxDir: '.cache/executions-outbox' });
  const executions = serveExecutions(sim);
  const sfn = new SFNClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  sfn.middlewareStack.use(sim.plugin);
  return { executions, sfn };
}

describe('StartExecution on the local stack', () => {
  it('starts the named machine on the simulator and answers its execution ARN at once', async () => {
    const { executions, sfn } = setUp();
    const recipe = { name: 'stats-101', baseImage: '/aws/service/debian/release/12/latest/amd64' };

    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: localStateMachineArn('bake'),
        name: 'b1',
        input: JSON.stringify({ recipe }),
      }),
    );

    expect(executionArn).toBe(
      'arn:aws:states:us-east-1:000000000000:execution:bakehouse-local-bake:b1',
    );
    const run = await executions.get(executionArn ?? '')?.done;
    expect(run?.status).toBe('SUCCEEDED');
  });

  it('refuses a machine serverless.yml does not define, and a name used for another input or once ended', async () => {
    const { executions, sfn } = setUp();
    const start = (stateMachineArn: string, input = '{"request":{}}') =>
      sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'c1', input }));

    await expect(start(localStateMachineArn('teardown'))).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
    const first = await start(localStateMachineArn('classroom'));
    // Step Functions: the same name and input while the execution runs is the same execution.
    expect((await start(localStateMachineArn('classroom'))).executionArn).toBe(first.executionArn);
    expect(executions.size).toBe(1);
    await expect(
      start(localStateMachineArn('classroom'), '{"request":{"x":1}}'),
    ).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
    await Promise.all([...executions.values()].map((e) => e.done));
    await expect(start(localStateMachineArn('classroom'))).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
  });
});
