/**
 * Step Functions adapter: start an execution with a readable, unique name; read one's status. An
 * input over Step Functions' size limit is refused here as a ValidationError, before
 * StartExecution would fail.
 */
import { randomUUID } from 'node:crypto';
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ConfigError } from '../base/errors';
import { executionInputText } from '../base/limits';
import type { ExecutionStatus } from '../core/teardown/class-status';
import { sfnClient } from './clients';

export async function startExecution(
  stateMachineArn: string | undefined,
  input: unknown,
  prefix: string,
): Promise<{ executionArn: string; name: string }> {
  if (!stateMachineArn) throw new ConfigError(`no state machine configured for ${prefix}`);
  const text = executionInputText(input);
  const region = stateMachineArn.split(':')[3] ?? 'us-east-1';
  const name = `${prefix}-${new Date().toISOString().replace(/[:.]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
  const output = await sfnClient(region).send(
    new StartExecutionCommand({ stateMachineArn, name, input: text }),
  );
  return { executionArn: output.executionArn ?? '', name };
}

/**
 * Start the execution `name` once. Step Functions answers a second StartExecution of a running
 * execution with the same name and input as the first, and one whose execution has closed (or
 * whose input differs) with ExecutionAlreadyExists: either way it has been started, and nothing
 * is started twice.
 */
export async function startExecutionOnce(
  stateMachineArn: string | undefined,
  name: string,
  input: unknown,
): Promise<{ executionArn: string; name: string }> {
  if (!stateMachineArn) throw new ConfigError(`no state machine configured for ${name}`);
  const text = executionInputText(input);
  const region = stateMachineArn.split(':')[3] ?? 'us-east-1';
  const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  try {
    await sfnClient(region).send(new StartExecutionCommand({ stateMachineArn, name, input: text }));
  } catch (error) {
    if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
  }
  return { executionArn, name };
}

/** The status of the execution `name` of a state machine; undefined when there is none. */
export async function executionStatus(
  stateMachineArn: string,
  name: string,
): Promise<ExecutionStatus | undefined> {
  const region = stateMachineArn.split(':')[3] ?? 'us-east-1';
  const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  try {
    const output = await sfnClient(region).send(new DescribeExecutionCommand({ executionArn }));
    return output.status as ExecutionStatus | undefined;
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return undefined;
    throw error;
  }
}
