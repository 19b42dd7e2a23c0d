import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  InvalidArn,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { HOUR } from '../../../local/sim/kernel/clock';
import { failure, harness } from '../harness';

const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:bakehouse-dev-classroom';

function client(plugin: ReturnType<typeof harness>['sim']['plugin']) {
  const sfn = new SFNClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    maxAttempts: 1,
  });
  sfn.middlewareStack.use(plugin);
  return sfn;
}

describe('Step Functions executions', () => {
  it('describes a recorded run with its status and times', async () => {
    // Prepare
    const h = harness();
    const sfn = client(h.sim.plugin);
    h.sim.stepFunctions.record({ stateMachineArn: MACHINE, name: 'class-1', status: 'RUNNING' });
    const started = h.sim.clock.now();
    h.advance(HOUR);
    const arn = h.sim.stepFunctions.record({
      stateMachineArn: MACHINE,
      name: 'class-1',
      status: 'ABORTED',
    });

    // Act
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));

    // Assess
    expect(arn).toBe(`${MACHINE.replace(':stateMachine:', ':execution:')}:class-1`);
    expect(described).toMatchObject({
      name: 'class-1',
      status: 'ABORTED',
      stateMachineArn: MACHINE,
    });
    expect(described.startDate?.getTime()).toBe(started);
    expect(described.stopDate?.getTime()).toBe(started + HOUR);
  });

  it('answers ExecutionDoesNotExist for a run it never saw and InvalidArn for a malformed one', async () => {
    // Prepare
    const h = harness();
    const sfn = client(h.sim.plugin);

    // Act
    const missing = await failure(
      sfn.send(
        new DescribeExecutionCommand({
          executionArn: `${MACHINE.replace(':stateMachine:', ':execution:')}:class-2`,
        }),
      ),
    );
    const malformed = await failure(
      sfn.send(new DescribeExecutionCommand({ executionArn: 'class-2' })),
    );

    // Assess
    expect(missing).toBeInstanceOf(ExecutionDoesNotExist);
    expect(missing.name).toBe('ExecutionDoesNotExist');
    expect(malformed).toBeInstanceOf(InvalidArn);
  });
});
