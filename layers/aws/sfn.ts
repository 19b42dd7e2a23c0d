/** Step Functions adapter: start an execution with a readable, unique name. */
import { randomUUID } from 'node:crypto';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ConfigError } from '../base/errors';
import { sfnClient } from './clients';

export async function startExecution(
  stateMachineArn: string | undefined,
  input: unknown,
  prefix: string,
): Promise<{ executionArn: string; name: string }> {
  if (!stateMachineArn) throw new ConfigError(`no state machine configured for ${prefix}`);
  const region = stateMachineArn.split(':')[3] ?? 'us-east-1';
  const name = `${prefix}-${new Date().toISOString().replace(/[:.]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
  const output = await sfnClient(region).send(
    new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
  );
  return { executionArn: output.executionArn ?? '', name };
}
