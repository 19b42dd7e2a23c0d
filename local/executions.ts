/**
 * Step Functions on the simulated account: StartExecution, sent by a handler through the real
 * sfn adapter, starts the real state machine in-process (runLocal) and answers at once, as AWS
 * does; the execution runs on while the caller goes on.
 */
import { ExecutionAlreadyExists, StateMachineDoesNotExist } from '@aws-sdk/client-sfn';
import { type EventLog, LOCAL_ENVIRONMENT, type LocalRun, runLocal } from './runner';
import { definedMachines } from './serverless-config';
import type { SimulatedAws } from './sim';
import { fault } from './sim/kernel/errors';

const ARN_PREFIX = 'arn:aws:states:us-east-1:000000000000:stateMachine:bakehouse-local-';

/** The ARN a local stack's function is configured with for the state machine `machine`. */
export const localStateMachineArn = (machine: string) => `${ARN_PREFIX}${machine}`;

/** The state machines' ARNs as the handlers' environment names them (serverless.yml's Refs). */
export const LOCAL_API_ENVIRONMENT = {
  ...LOCAL_ENVIRONMENT,
  BAKE_STATE_MACHINE_ARN: localStateMachineArn('bake'),
  CLASSROOM_STATE_MACHINE_ARN: localStateMachineArn('classroom'),
};

export interface Execution {
  executionArn: string;
  machine: string;
  done: Promise<LocalRun>;
}

export interface ExecutionHooks {
  onEvent?: (execution: Execution, event: EventLog) => void;
  onDone?: (execution: Execution, run: LocalRun) => void;
}

/** Serves SFN StartExecution on `sim`; the executions started, by ARN. */
export function serveExecutions(sim: SimulatedAws, hooks: ExecutionHooks = {}) {
  const executions = new Map<string, Execution>();
  const inputs = new Map<string, string>();
  const finished = new Set<string>();
  sim.register('SFN', {
    StartExecution: (input) => {
      const stateMachineArn = String(input.stateMachineArn);
      const name = String(input.name);
      const machine = stateMachineArn.slice(ARN_PREFIX.length);
      if (!stateMachineArn.startsWith(ARN_PREFIX) || !definedMachines().includes(machine))
        throw fault(StateMachineDoesNotExist, `State Machine Does Not Exist: '${stateMachineArn}'`);
      const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
      const text = String(input.input ?? '{}');
      // A name is used once: again with the same input while it runs is the same execution;
      // otherwise Step Functions refuses it.
      if (executions.has(executionArn)) {
        if (!finished.has(executionArn) && inputs.get(executionArn) === text)
          return { executionArn, startDate: new Date(sim.clock.now()) };
        throw fault(ExecutionAlreadyExists, `Execution Already Exists: '${executionArn}'`);
      }
      inputs.set(executionArn, text);
      const done = runLocal(machine, JSON.parse(text), {
        timeScale: sim.clock.scale,
        executionName: name,
        environment: LOCAL_API_ENVIRONMENT,
        // Events and the end arrive after this call has answered, `execution` set by then.
        onEvent: (event) => hooks.onEvent?.(execution, event),
      }).then((run) => {
        finished.add(executionArn);
        hooks.onDone?.(execution, run);
        return run;
      });
      const execution: Execution = { executionArn, machine, done };
      executions.set(executionArn, execution);
      return { executionArn, startDate: new Date(sim.clock.now()) };
    },
  });
  return executions;
}
