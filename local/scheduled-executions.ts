/**
 * Step Functions for the simulator: an execution a schedule starts (`SFN:StartExecution`, the
 * templated target of EventBridge Scheduler) runs the named machine with the local runner, in
 * the background, as Step Functions would, and is entered in the simulated Step Functions
 * (RUNNING, then how it ended) so DescribeExecution knows it. On the exact clock it rides on the
 * clock's drive: `settled()` and `until()` drive the clock while nothing else does.
 */
import { randomUUID } from 'node:crypto';
import { ExecutionAlreadyExists } from '@aws-sdk/client-sfn';
import { type LocalRun, runLocal } from './runner';
import type { SimulatedAws } from './sim';
import { fault } from './sim/kernel/errors';
import { EventClock } from './sim/kernel/event-clock';

/** A finished execution that a schedule started, with the input it was started with. */
export type ScheduledRun = LocalRun & { input: unknown };

export interface LocalExecutions {
  /** Every execution started so far, settled; those started meanwhile are awaited too. */
  settled(): Promise<ScheduledRun[]>;
  /**
   * Simulated time moved on to `at` (never back), every schedule due by then fired, and every
   * execution they started settled.
   */
  until(at: number): Promise<ScheduledRun[]>;
  /** Every execution that has finished, in the order they finished. */
  readonly runs: readonly ScheduledRun[];
}

export function serveExecutions(
  sim: SimulatedAws,
  environment: () => Record<string, string> | undefined,
): LocalExecutions {
  const pending: Promise<ScheduledRun>[] = [];
  const runs: ScheduledRun[] = [];
  const inputs = new Map<string, string>();
  const { clock } = sim;
  sim.register('SFN', {
    StartExecution: (input) => {
      const arn = String(input.stateMachineArn);
      const machine = /:stateMachine:[A-Za-z0-9_]+-[A-Za-z0-9_]+-([A-Za-z0-9_]+)$/.exec(arn)?.[1];
      if (!machine) throw new Error(`no local state machine for ${arn}`);
      const name = String(input.name ?? randomUUID());
      const text = String(input.input ?? '{}');
      // A name already used starts nothing: while that execution runs, the same input is
      // answered as the first call was; another input, or a closed execution, is refused.
      const executionArn0 = `${arn.replace(':stateMachine:', ':execution:')}:${name}`;
      const before = sim.stepFunctions.executions().find((e) => e.executionArn === executionArn0);
      if (before) {
        if (before.status === 'RUNNING' && inputs.get(executionArn0) === text)
          return { executionArn: executionArn0, startDate: new Date(before.startDate) };
        throw fault(ExecutionAlreadyExists, `Execution Already Exists: '${executionArn0}'`);
      }
      inputs.set(executionArn0, text);
      const executionInput = JSON.parse(text);
      const executionArn = sim.stepFunctions.record({
        stateMachineArn: arn,
        name,
        status: 'RUNNING',
      });
      pending.push(
        runLocal(machine, executionInput, {
          clock,
          rides: true,
          timeScale: clock.scale,
          executionName: name,
          environment: environment(),
        }).then((run) => {
          sim.stepFunctions.record({ stateMachineArn: arn, name, status: run.status });
          const done = { ...run, input: executionInput };
          runs.push(done);
          return done;
        }),
      );
      return { executionArn, startDate: new Date(clock.now()) };
    },
  });
  const drained = async () => {
    const done: ScheduledRun[] = [];
    while (pending.length) done.push(...(await Promise.all(pending.splice(0))));
    return done;
  };
  /** On the exact clock, `main` driven unless something drives already. */
  const driven = <T>(main: Promise<T>): Promise<T> =>
    clock instanceof EventClock && !clock.driving ? clock.drive(main) : main;
  const settled = () => driven(drained());
  return {
    runs,
    settled,
    until: async (at) => {
      if (clock instanceof EventClock) {
        if (at > clock.now()) await driven(new Promise<void>((due) => clock.at(at, due)));
      } else {
        clock.advance(Math.max(0, at - clock.now()));
        sim.scheduler.fireDue();
      }
      return settled();
    },
  };
}
