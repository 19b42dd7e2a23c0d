/**
 * Step Functions for the simulator: StartExecution (sent by a handler through the real sfn
 * adapter, or the templated target of an EventBridge schedule) runs the named machine with the
 * local runner, in the background, as Step Functions would, and answers at once. Each run is
 * entered in the simulated Step Functions (RUNNING, every state it enters, then how it ended and
 * its output or error), so DescribeExecution, ListExecutions and GetExecutionHistory know it.
 * As AWS does, it refuses a machine serverless.yml does not define and a name used before.
 * On the exact clock a run rides on the clock's drive: `settled()` and `until()` drive the clock
 * while nothing else does.
 */
import { randomUUID } from 'node:crypto';
import { ExecutionAlreadyExists, StateMachineDoesNotExist } from '@aws-sdk/client-sfn';
import { type EventLog, type LocalRun, runLocal } from './runner';
import { definedMachines } from './serverless-config';
import type { SimulatedAws } from './sim';
import { fault } from './sim/kernel/errors';
import { EventClock } from './sim/kernel/event-clock';

/** A finished execution, with the input it was started with. */
export type ScheduledRun = LocalRun & { input: unknown; executionArn: string };

/** What a started execution is known by while it runs. */
export interface Execution {
  executionArn: string;
  machine: string;
  name: string;
}

export interface ExecutionHooks {
  onEvent?: (execution: Execution, event: EventLog) => void;
  onDone?: (execution: Execution, run: ScheduledRun) => void;
}

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
  /** The end of the execution `executionArn`, once it comes; undefined for one never started. */
  done(executionArn: string): Promise<ScheduledRun> | undefined;
  /** Called for each execution's events and end (a progress display). */
  watch(hooks: ExecutionHooks): void;
}

const MACHINE = /:stateMachine:[A-Za-z0-9_]+-[A-Za-z0-9_]+-([A-Za-z0-9_]+)$/;

export function serveExecutions(
  sim: SimulatedAws,
  environment: () => Record<string, string> | undefined,
): LocalExecutions {
  const pending: Promise<ScheduledRun>[] = [];
  const byArn = new Map<string, Promise<ScheduledRun>>();
  const started = new Map<string, { input: string; startDate: number; closed: boolean }>();
  const runs: ScheduledRun[] = [];
  let hooks: ExecutionHooks = {};
  const { clock } = sim;
  sim.register('SFN', {
    StartExecution: (input) => {
      const arn = String(input.stateMachineArn);
      const machine = MACHINE.exec(arn)?.[1];
      if (!machine || !definedMachines().includes(machine))
        throw fault(StateMachineDoesNotExist, `State Machine Does Not Exist: '${arn}'`);
      const name = String(input.name ?? randomUUID());
      const wouldBe = `${arn.replace(':stateMachine:', ':execution:')}:${name}`;
      const before = started.get(wouldBe);
      const inputText = String(input.input ?? '{}');
      // The same name and input as a running execution is the same request again (AWS answers
      // the original); a closed one, or other input, is refused.
      if (before && before.input === inputText && !before.closed)
        return { executionArn: wouldBe, startDate: new Date(before.startDate) };
      if (before) throw fault(ExecutionAlreadyExists, `Execution Already Exists: '${wouldBe}'`);
      const executionInput = JSON.parse(inputText);
      const executionArn = sim.stepFunctions.record({
        stateMachineArn: arn,
        name,
        status: 'RUNNING',
      });
      const execution: Execution = { executionArn, machine, name };
      const entry = { input: inputText, startDate: clock.now(), closed: false };
      started.set(executionArn, entry);
      const run = runLocal(machine, executionInput, {
        clock,
        rides: true,
        timeScale: clock.scale,
        executionName: name,
        environment: environment(),
        onEvent: (event) => {
          // Top-level states only: those of a Map's iterations are not the execution's phase.
          if (
            (event.type === 'StateEntered' || event.type === 'StateExited') &&
            event.index === undefined
          )
            sim.stepFunctions.entered(executionArn, {
              name: event.state.name,
              type: event.state.type,
              ...(event.type === 'StateExited' ? { output: event.state.output } : {}),
            });
          hooks.onEvent?.(execution, event);
        },
      }).then((ran) => {
        sim.stepFunctions.record({
          stateMachineArn: arn,
          name,
          status: ran.status,
          output: ran.output,
          error: ran.error,
          cause: ran.cause,
        });
        entry.closed = true;
        const done = { ...ran, input: executionInput, executionArn };
        runs.push(done);
        hooks.onDone?.(execution, done);
        return done;
      });
      pending.push(run);
      byArn.set(executionArn, run);
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
    done: (executionArn) => byArn.get(executionArn),
    watch: (given) => {
      hooks = given;
    },
  };
}
