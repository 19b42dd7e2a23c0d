/**
 * Step Functions for the simulator: an execution a schedule starts (`SFN:StartExecution`, the
 * templated target of EventBridge Scheduler) runs the named machine with the local runner, in
 * the background, as Step Functions would. `settled()` waits for every execution started so far.
 */
import { randomUUID } from 'node:crypto';
import { type LocalRun, runLocal } from './runner';
import type { SimulatedAws } from './sim';

/** A finished execution that a schedule started, with the input it was started with. */
export type ScheduledRun = LocalRun & { input: unknown };

export interface LocalExecutions {
  /** Every execution started so far, settled; those started meanwhile are awaited too. */
  settled(): Promise<ScheduledRun[]>;
  /** Every execution that has finished, in the order they finished. */
  readonly runs: readonly ScheduledRun[];
}

export function serveExecutions(
  sim: SimulatedAws,
  environment: () => Record<string, string> | undefined,
): LocalExecutions {
  const pending: Promise<ScheduledRun>[] = [];
  const runs: ScheduledRun[] = [];
  sim.register('SFN', {
    StartExecution: (input) => {
      const arn = String(input.stateMachineArn);
      const machine = /:stateMachine:[A-Za-z0-9_]+-[A-Za-z0-9_]+-([A-Za-z0-9_]+)$/.exec(arn)?.[1];
      if (!machine) throw new Error(`no local state machine for ${arn}`);
      const name = String(input.name ?? randomUUID());
      const executionInput = JSON.parse(String(input.input ?? '{}'));
      pending.push(
        runLocal(machine, executionInput, {
          timeScale: sim.clock.scale,
          executionName: name,
          environment: environment(),
        }).then((run) => {
          const done = { ...run, input: executionInput };
          runs.push(done);
          return done;
        }),
      );
      return {
        executionArn: `${arn.replace(':stateMachine:', ':execution:')}:${name}`,
        startDate: new Date(sim.clock.now()),
      };
    },
  });
  return {
    runs,
    settled: async () => {
      const done: ScheduledRun[] = [];
      while (pending.length) done.push(...(await Promise.all(pending.splice(0))));
      return done;
    },
  };
}
