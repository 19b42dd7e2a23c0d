/**
 * Step Functions executions, as far as DescribeExecution shows them. The local runner runs state
 * machines in-process, not in this account: a run is entered here with `record` (its machine,
 * name and how it ended), and DescribeExecution answers from what was recorded.
 */
import {
  type DescribeExecutionInput,
  type DescribeExecutionOutput,
  ExecutionDoesNotExist,
  type ExecutionStatus,
  InvalidArn,
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
  record(entry: { stateMachineArn: string; name: string; status: ExecutionStatus }): string {
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
    });
    this.events.record('SFN', `execution ${entry.name} ${entry.status}`);
    return executionArn;
  }

  snapshots(): ExecutionSnapshot[] {
    return [...this.executions.values()].map((e) => ({ ...e }));
  }

  operations() {
    return {
      DescribeExecution: operation((input: DescribeExecutionInput): DescribeExecutionOutput => {
        const arn = input.executionArn ?? '';
        if (!EXECUTION_ARN.test(arn)) throw fault(InvalidArn, `Invalid Arn: '${arn}'`);
        const found = this.executions.get(arn);
        if (!found) throw fault(ExecutionDoesNotExist, `Execution Does Not Exist: '${arn}'`);
        return {
          executionArn: found.executionArn,
          stateMachineArn: found.stateMachineArn,
          name: found.name,
          status: found.status,
          startDate: new Date(found.startDate),
          stopDate: found.stopDate === undefined ? undefined : new Date(found.stopDate),
        };
      }),
    };
  }
}
