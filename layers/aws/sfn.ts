/**
 * Step Functions adapter: start an execution with a readable, unique name, or once under a name
 * of its own; read one's status, its latest states, or a machine's newest executions. An input over Step Functions' size limit is refused here as a ValidationError, before
 * StartExecution would fail.
 */
import { randomUUID } from 'node:crypto';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { ConfigError } from '../base/errors';
import { executionInputText } from '../base/limits';
import type { ExecutionDetail } from '../core/api/execution-detail';
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

/** One execution of a machine as ListExecutions tells it. */
export interface ExecutionSummary {
  name: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
}

/** The newest `max` (≤ 1000) executions of a state machine, newest first. */
export async function listExecutions(
  stateMachineArn: string,
  max: number,
): Promise<ExecutionSummary[]> {
  const region = stateMachineArn.split(':')[3] ?? 'us-east-1';
  const output = await sfnClient(region).send(
    new ListExecutionsCommand({ stateMachineArn, maxResults: max }),
  );
  return (output.executions ?? []).map((e) => ({
    name: e.name ?? '',
    status: e.status as ExecutionStatus,
    startDate: (e.startDate ?? new Date(0)).toISOString(),
    stopDate: e.stopDate?.toISOString(),
  }));
}

/** The execution `name` of a state machine with its latest states; undefined when there is none. */
export async function executionDetail(
  stateMachineArn: string,
  name: string,
): Promise<ExecutionDetail | undefined> {
  const region = stateMachineArn.split(':')[3] ?? 'us-east-1';
  const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  const client = sfnClient(region);
  let described: DescribeExecutionCommandOutput;
  try {
    described = await client.send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return undefined;
    throw error;
  }
  const history = await client.send(
    new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 100 }),
  );
  const events = [...(history.events ?? [])].reverse();
  const exited: Record<string, unknown> = {};
  for (const e of events) {
    const details = e.stateExitedEventDetails;
    if (details?.name && details.output !== undefined)
      exited[details.name] = parsed(details.output);
  }
  return {
    status: described.status as ExecutionStatus,
    startDate: (described.startDate ?? new Date(0)).toISOString(),
    stopDate: described.stopDate?.toISOString(),
    output: described.output === undefined ? undefined : parsed(described.output),
    error: described.error,
    cause: described.cause,
    entered: events.flatMap((e) =>
      e.stateEnteredEventDetails?.name ? [e.stateEnteredEventDetails.name] : [],
    ),
    exited,
  };
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
