/**
 * Step Functions executions, as far as DescribeExecution, ListExecutions and GetExecutionHistory
 * show them. The local runner runs state machines in-process, not in this account: a run is
 * entered here with `record` (its machine, name, how it ended, its output or error) and
 * `entered` (each state it entered), and the three operations answer from what was recorded.
 * ListExecutions lists the newest first; both lists take up to 1000 a page (default 100).
 */
import {
  type DescribeExecutionInput,
  type DescribeExecutionOutput,
  ExecutionDoesNotExist,
  type ExecutionStatus,
  type GetExecutionHistoryInput,
  type GetExecutionHistoryOutput,
  type HistoryEventType,
  InvalidArn,
  InvalidToken,
  type ListExecutionsInput,
  type ListExecutionsOutput,
  ValidationException,
} from '@aws-sdk/client-sfn';
import type { SimClock } from '../kernel/clock';
import { fault } from '../kernel/errors';
import type { EventLog } from '../kernel/events';
import { operation } from '../kernel/transport';

export interface ExecutionSnapshot {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  /**
   * Each state entered and exited, in order: its name, its type (`Task`, `Wait`, …), when, and
   * for an exit the state's output as JSON text.
   */
  entered: { name: string; type: string; at: number; output?: string }[];
}

/** How an execution ended, as DescribeExecution tells it. */
export interface ExecutionEnd {
  output?: unknown;
  error?: string;
  cause?: string;
}

const MACHINE_ARN = /^arn:aws:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/;
const EXECUTION_ARN = /^arn:aws:states:[a-z0-9-]+:\d{12}:execution:[A-Za-z0-9_-]{1,80}:[^:]{1,80}$/;

export class SimulatedStepFunctions {
  private readonly executions = new Map<string, ExecutionSnapshot>();

  constructor(
    private readonly clock: SimClock,
    private readonly events: EventLog,
  ) {}

  /** Enter an execution of `stateMachineArn` named `name` with its status now. */
  record(
    entry: { stateMachineArn: string; name: string; status: ExecutionStatus } & ExecutionEnd,
  ): string {
    if (!MACHINE_ARN.test(entry.stateMachineArn))
      throw new Error(`not a state machine ARN: ${entry.stateMachineArn}`);
    const executionArn = `${entry.stateMachineArn.replace(':stateMachine:', ':execution:')}:${entry.name}`;
    const now = this.clock.now();
    const before = this.executions.get(executionArn);
    this.executions.set(executionArn, {
      executionArn,
      stateMachineArn: entry.stateMachineArn,
      name: entry.name,
      status: entry.status,
      startDate: before?.startDate ?? now,
      stopDate: entry.status === 'RUNNING' ? undefined : now,
      output: entry.output === undefined ? undefined : JSON.stringify(entry.output),
      error: entry.error,
      cause: entry.cause,
      entered: before?.entered ?? [],
    });
    this.events.record('SFN', `execution ${entry.name} ${entry.status}`);
    return executionArn;
  }

  /** A state the execution `executionArn` entered now, or exited now with `output`. */
  entered(executionArn: string, state: { name: string; type: string; output?: unknown }): void {
    this.executions.get(executionArn)?.entered.push({
      name: state.name,
      type: state.type,
      at: this.clock.now(),
      output: 'output' in state ? JSON.stringify(state.output ?? null) : undefined,
    });
  }

  snapshots(): ExecutionSnapshot[] {
    return [...this.executions.values()].map((e) => ({ ...e, entered: [...e.entered] }));
  }

  private find(arn: string): ExecutionSnapshot {
    if (!EXECUTION_ARN.test(arn)) throw fault(InvalidArn, `Invalid Arn: '${arn}'`);
    const found = this.executions.get(arn);
    if (!found) throw fault(ExecutionDoesNotExist, `Execution Does Not Exist: '${arn}'`);
    return found;
  }

  operations() {
    return {
      DescribeExecution: operation((input: DescribeExecutionInput): DescribeExecutionOutput => {
        const found = this.find(input.executionArn ?? '');
        return {
          executionArn: found.executionArn,
          stateMachineArn: found.stateMachineArn,
          name: found.name,
          status: found.status,
          startDate: new Date(found.startDate),
          stopDate: found.stopDate === undefined ? undefined : new Date(found.stopDate),
          output: found.status === 'SUCCEEDED' ? found.output : undefined,
          error: found.error,
          cause: found.cause,
        };
      }),
      ListExecutions: operation((input: ListExecutionsInput): ListExecutionsOutput => {
        const machine = input.stateMachineArn ?? '';
        if (!MACHINE_ARN.test(machine)) throw fault(InvalidArn, `Invalid Arn: '${machine}'`);
        const all = [...this.executions.values()]
          .filter((e) => e.stateMachineArn === machine)
          .filter((e) => !input.statusFilter || e.status === input.statusFilter)
          .sort((a, b) => b.startDate - a.startDate);
        const { from, size } = page(input.nextToken, input.maxResults);
        const next = from + size < all.length ? String(from + size) : undefined;
        return {
          executions: all.slice(from, from + size).map((e) => ({
            executionArn: e.executionArn,
            stateMachineArn: e.stateMachineArn,
            name: e.name,
            status: e.status,
            startDate: new Date(e.startDate),
            stopDate: e.stopDate === undefined ? undefined : new Date(e.stopDate),
          })),
          nextToken: next,
        };
      }),
      GetExecutionHistory: operation(
        (input: GetExecutionHistoryInput): GetExecutionHistoryOutput => {
          const found = this.find(input.executionArn ?? '');
          const events = found.entered.map((state, i) => ({
            id: i + 2,
            previousEventId: i + 1,
            timestamp: new Date(state.at),
            ...(state.output === undefined
              ? {
                  type: `${state.type}StateEntered` as HistoryEventType,
                  stateEnteredEventDetails: { name: state.name },
                }
              : {
                  type: `${state.type}StateExited` as HistoryEventType,
                  stateExitedEventDetails: {
                    name: state.name,
                    ...(input.includeExecutionData === false ? {} : { output: state.output }),
                  },
                }),
          }));
          const all = [
            {
              id: 1,
              previousEventId: 0,
              timestamp: new Date(found.startDate),
              type: 'ExecutionStarted' as HistoryEventType,
            },
            ...events,
          ];
          if (input.reverseOrder) all.reverse();
          const { from, size } = page(input.nextToken, input.maxResults);
          const next = from + size < all.length ? String(from + size) : undefined;
          return { events: all.slice(from, from + size), nextToken: next };
        },
      ),
    };
  }
}

/** A page of a list: from the token's position, `maxResults` (0 or none: 100; at most 1000). */
function page(token: string | undefined, maxResults: number | undefined) {
  const from = token === undefined ? 0 : Number(token);
  if (!Number.isInteger(from) || from < 0) throw fault(InvalidToken, `Invalid Token: '${token}'`);
  if (maxResults !== undefined && (maxResults < 0 || maxResults > 1000))
    throw fault(ValidationException, 'maxResults must be between 0 and 1000');
  return { from, size: maxResults ? maxResults : 100 };
}
