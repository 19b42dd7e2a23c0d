/**
 * Step Functions adapter: start an execution with a readable, unique name; read one's status. An
 * input over Step Functions' size limit is refused here as a ValidationError, before
 * StartExecution would fail.
 */
import { randomUUID } from 'node:crypto';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
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
 * Start the execution `name` of `stateMachineArn`, once: a call repeated while it runs (same
 * name, same input) is answered as the first was; once it has ended, the name is refused with
 * ExecutionAlreadyExists, which here means it has run (`started: false`).
 */
export async function startExecutionOnce(
  stateMachineArn: string | undefined,
  name: string,
  input: unknown,
): Promise<{ executionArn: string; started: boolean }> {
  if (!stateMachineArn) throw new ConfigError(`no state machine configured for ${name}`);
  const region = stateMachineArn.split(':')[3] ?? 'us-east-1';
  const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  try {
    await sfnClient(region).send(
      new StartExecutionCommand({ stateMachineArn, name, input: executionInputText(input) }),
    );
    return { executionArn, started: true };
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) return { executionArn, started: false };
    throw error;
  }
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
