// Step Functions on the local stack's simulated account: StartExecution runs the real state
// machine, AWS's refusals hold (no such machine, a name used before), and DescribeExecution,
// ListExecutions and GetExecutionHistory answer from the runs.
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { localStateMachineArn } from '../../local/serve';
import { startSimulation } from '../../local/simulation';

function setUp() {
  const sim = startSimulation({ clock: 'exact', scale: 0, outboxDir: '.cache/executions-outbox' });
  const sfn = new SFNClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  sfn.middlewareStack.use(sim.plugin);
  return { sim, sfn };
}

const recipe = { name: 'stats-101', baseImage: '/aws/service/debian/release/12/latest/amd64' };

describe('StartExecution on the local stack', () => {
  it('starts the named machine on the simulator and answers its execution ARN at once', async () => {
    const { sim, sfn } = setUp();

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
    const [run] = await sim.executions.settled();
    expect(run?.status).toBe('SUCCEEDED');
  });

  it('refuses a machine serverless.yml does not define, and a name used with other input', async () => {
    const { sim, sfn } = setUp();
    const start = (stateMachineArn: string, input = '{"request":{}}') =>
      sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'c1', input }));

    await expect(start(localStateMachineArn('teardown'))).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
    const first = await start(localStateMachineArn('classroom'));
    const again = await start(localStateMachineArn('classroom'));
    await expect(start(localStateMachineArn('classroom'), '{"other":1}')).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
    expect(again.executionArn).toBe(first.executionArn);
    await sim.executions.settled();
    await expect(start(localStateMachineArn('classroom'))).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
  });

  it('tells an ended execution: its output, the newest first in the list, the states it entered', async () => {
    const { sim, sfn } = setUp();
    const machine = localStateMachineArn('bake');
    for (const name of ['b1', 'b2'])
      await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: machine,
          name,
          input: JSON.stringify({ recipe: { ...recipe, name: `stats-${name}` } }),
        }),
      );
    await sim.executions.settled();
    const executionArn = `${machine.replace(':stateMachine:', ':execution:')}:b2`;

    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const listed = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: machine, maxResults: 1 }),
    );
    const history = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 5 }),
    );

    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? '{}').imageId).toMatch(/^ami-/);
    expect(listed.executions?.map((e) => e.name)).toHaveLength(1);
    expect(listed.nextToken).toBeDefined();
    expect(history.events).toHaveLength(5);
    expect(history.events?.[0]).toMatchObject({
      type: 'PassStateExited',
      stateExitedEventDetails: { name: 'Baked' },
    });
    expect(history.events?.[1]).toMatchObject({
      type: 'PassStateEntered',
      stateEnteredEventDetails: { name: 'Baked' },
    });
    await expect(
      sfn.send(new DescribeExecutionCommand({ executionArn: `${executionArn}x` })),
    ).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
  });
});
