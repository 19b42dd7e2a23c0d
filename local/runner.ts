/**
 * Runs the real statemachines/*.asl.yaml in-process with aws-local-stepfunctions, each Task
 * invoking the real handler that serverless.yml names — the way Lambda would: input and output
 * cross a JSON boundary, payloads over 256 KiB fail, and a thrown error reaches Step Functions as
 * `{ Error: name, Cause: '{"errorType","errorMessage"}' }`.
 *
 * Time: on an `EventClock` (`clock`), every Wait, retry interval (with the ASL's backoff and
 * seeded jitter) and task timeout is a timer on that clock, each invocation is the clock's work,
 * and the clock jumps between them (see exact-states.ts); event timestamps are simulated time. A
 * run started while the clock is already driven (one that a schedule starts) rides on that drive,
 * the clock held still while the run is set up.
 * Otherwise Wait and Retry intervals are divided by `timeScale` (above 0) and run on wall-clock
 * timers. When the run ends, whatever it still waits for on the clock is taken off it.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { ExecutionAbortedError, StateMachine } from 'aws-local-stepfunctions';
import { STEP_FUNCTIONS_PAYLOAD_BYTES } from '../layers/base/limits';
import { resetConfig } from '../layers/runtime/config';
import { type LogRecord, setLogSink } from '../layers/runtime/logger';
import { draw } from '../layers/runtime/sleep';
import { type ExactPlan, exactPlan, RetryBackoff, scaledPathWaits, waitMs } from './exact-states';
import { asFunction } from './record';
import { allStates, type Definition, loadDefinition, taskFunctions } from './serverless-config';
import type { SimClock } from './sim/kernel/clock';
import { EventClock } from './sim/kernel/event-clock';

export type EventLog =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

export interface LocalRunOptions {
  /** Simulated seconds per wall second (the simulator's clock scale), for a scaled clock. */
  timeScale?: number;
  /** The simulator's clock: an `EventClock` runs the execution on simulated time exactly. */
  clock?: SimClock;
  executionName?: string;
  /** Called for every execution event as it happens (progress display, tests). */
  onEvent?: (event: EventLog) => void;
  /** Environment the functions see (their configuration). */
  environment?: Record<string, string>;
  /**
   * Task states whose first invocation does its work and then fails as if the Lambda's response
   * were lost (`Lambda.ServiceException`): proves that retries are idempotent.
   */
  failOnceAfterWork?: string[];
  /**
   * Task states whose first N invocations do their work and then lose their response the same
   * way (`{ LaunchSeats: 2 }`); counted over every invocation of the state, also in a Map.
   */
  loseResponses?: Record<string, number>;
  /**
   * On an `EventClock`: the execution rides on whoever drives the clock and never drives it
   * itself (an execution a schedule starts, beside others); the clock is held while it is set up.
   */
  rides?: boolean;
  /** Abort the execution (as StopExecution would) at the first event for which this is true. */
  abortWhen?: (event: EventLog) => boolean;
}

export interface LocalRun {
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  output?: unknown;
  error?: string;
  cause?: string;
  /** StateEntered events. */
  transitions: number;
  /** StateRetried events: Step Functions Standard bills each retry as a transition too. */
  retries: number;
  events: EventLog[];
  logs: LogRecord[];
  wallMs: number;
}

export const LOCAL_ENVIRONMENT = {
  STACK_NAME: 'bakehouse-local',
  STAGE: 'local',
  INSTANCE_PROFILE_NAME: 'bakehouse-local-instance',
  PARAMETER_PREFIX: '/bakehouse/local',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/bakehouse-local-scheduler',
  CLASSES_TABLE: 'bakehouse-local-classes',
  SCRIPT_BUCKET: 'bakehouse-local-scripts-123456789012-us-east-1',
  /** The simulated account's (local/sim/kernel/options.ts). */
  ACCOUNT_ID: '123456789012',
  CLASSROOM_STATE_MACHINE_ARN:
    'arn:aws:states:us-east-1:000000000000:stateMachine:bakehouse-local-classroom',
  LOG_LEVEL: 'info',
};

class DataLimitExceeded extends Error {
  override readonly name = 'States.DataLimitExceeded';
}

function acrossJson(value: unknown, what: string): unknown {
  const text = JSON.stringify(value ?? null);
  if (Buffer.byteLength(text) > STEP_FUNCTIONS_PAYLOAD_BYTES)
    throw new DataLimitExceeded(`${what} is over ${STEP_FUNCTIONS_PAYLOAD_BYTES / 1024} KiB`);
  return JSON.parse(text);
}

/** The invocation's context; its remaining time counts down from Lambda's longest timeout. */
function lambdaContext(functionName: string): Context {
  const deadline = Date.now() + 900_000;
  return {
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
  } as Context;
}

class LostResponse extends Error {
  override readonly name = 'Lambda.ServiceException';
}

/** Rejects what an ended (aborted, failed) execution still waits for on the clock. */
class ExecutionEnded extends Error {
  override readonly name = 'ExecutionEnded';
}

class TaskTimedOut extends Error {
  override readonly name = 'States.Timeout';
}

interface Exact {
  clock: EventClock;
  plan: ExactPlan;
  backoff: RetryBackoff;
  /** Aborts when the run ends: its Waits, retry waits and task timeouts leave the clock. */
  ended: AbortSignal;
}

/** `invoke` as the clock's work, timed out on simulated time; a retry first waits its backoff. */
function onClock(
  exact: Exact,
  stateName: string,
  invoke: (input: unknown) => Promise<unknown>,
): (input: unknown) => Promise<unknown> {
  const { clock, plan, backoff, ended } = exact;
  const timeoutMs = plan.timeouts[stateName] ?? Number.POSITIVE_INFINITY;
  return async (input) => {
    const wait = backoff.take(stateName, input);
    if (wait > 0) await clock.sleep(wait, ended);
    try {
      const output = await new Promise((resolve, reject) => {
        const unset = Number.isFinite(timeoutMs)
          ? clock.at(clock.now() + timeoutMs, () =>
              reject(new TaskTimedOut(`${stateName} timed out after ${timeoutMs / 1000} s`)),
            )
          : () => {};
        const cancel = () => {
          unset();
          ended.removeEventListener('abort', unset);
        };
        ended.addEventListener('abort', unset, { once: true });
        clock
          .work(() => invoke(input))
          .then(
            (value) => {
              cancel();
              resolve(value);
            },
            (error) => {
              cancel();
              reject(error);
            },
          );
      });
      backoff.forget(stateName, input);
      return output;
    } catch (error) {
      const retriers = plan.retriers[stateName];
      if (retriers) backoff.delay(stateName, input, (error as Error).name, retriers);
      throw error;
    }
  };
}

async function localHandlers(
  definition: Definition,
  options: LocalRunOptions,
  exact: Exact | undefined,
) {
  const lost = new Map(Object.entries(options.loseResponses ?? {}));
  for (const state of options.failOnceAfterWork ?? []) lost.set(state, (lost.get(state) ?? 0) + 1);
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  if (exact) {
    for (const [stateName, wait] of Object.entries(exact.plan.waits)) {
      handlers[stateName] = async (input) => {
        await exact.clock.sleep(waitMs(wait, input), exact.ended);
        return input;
      };
    }
  }
  for (const task of taskFunctions(definition)) {
    const module = (await import(task.module)) as Record<
      string,
      (event: unknown, context: Context) => Promise<unknown>
    >;
    const handler = module[task.exportName];
    if (!handler) throw new Error(`${task.module} exports no ${task.exportName}`);
    const invoke = async (input: unknown) => {
      const event = acrossJson(input, `input of ${task.stateName}`);
      try {
        const output = await asFunction(task.functionKey, () =>
          handler(event, lambdaContext(`bakehouse-local-${task.functionKey}`)),
        );
        const toLose = lost.get(task.stateName) ?? 0;
        if (toLose > 0) {
          lost.set(task.stateName, toLose - 1);
          throw new LostResponse('the response of the invocation was lost');
        }
        return acrossJson(output, `output of ${task.stateName}`);
      } catch (error) {
        const e = error as Error;
        const failure = new Error(JSON.stringify({ errorType: e.name, errorMessage: e.message }));
        failure.name = e.name;
        throw failure;
      }
    };
    handlers[task.stateName] = exact ? onClock(exact, task.stateName, invoke) : invoke;
  }
  return handlers;
}

function scaledOverrides(definition: Definition, timeScale: number) {
  const waits: Record<string, number> = {};
  const retries: Record<string, number[]> = {};
  for (const [name, state] of allStates(definition)) {
    if (state.Type === 'Wait' && typeof state.Seconds === 'number')
      waits[name] = (state.Seconds * 1000) / timeScale;
    const retry = state.Retry as { IntervalSeconds?: number }[] | undefined;
    if (retry) retries[name] = retry.map((r) => ((r.IntervalSeconds ?? 1) * 1000) / timeScale);
  }
  return { waitTimeOverrides: waits, retryIntervalOverrides: retries };
}

export async function runLocal(
  machine: string,
  input: unknown,
  options: LocalRunOptions,
): Promise<LocalRun> {
  const definition = loadDefinition(machine);
  const timeScale = options.timeScale ?? options.clock?.scale ?? 1;
  if (!(options.clock instanceof EventClock) && !(timeScale > 0 && Number.isFinite(timeScale)))
    throw new RangeError(
      `cannot divide Wait and Retry intervals by a time scale of ${timeScale}: pass an EventClock as \`clock\` to run on simulated time`,
    );
  Object.assign(process.env, LOCAL_ENVIRONMENT, options.environment);
  resetConfig();
  const logs: LogRecord[] = [];
  setLogSink((record) => logs.push(record), 'info');

  const name = options.executionName ?? `${machine}-${randomUUID().slice(0, 8)}`;
  const stateMachineArn = `arn:aws:states:us-east-1:000000000000:stateMachine:bakehouse-local-${machine}`;
  const clock = options.clock instanceof EventClock ? options.clock : undefined;
  const riding = clock !== undefined && (options.rides === true || clock.driving);
  const release = riding ? clock.hold() : () => {};
  const ending = new AbortController();
  const exact = clock && {
    clock,
    plan: exactPlan(definition),
    backoff: new RetryBackoff(draw),
    ended: ending.signal,
  };
  const scaled = exact ? undefined : scaledPathWaits(definition);
  const handlers = await localHandlers(definition, options, exact).finally(release);
  for (const [stateName, wait] of Object.entries(scaled?.waits ?? {}))
    handlers[stateName] = async (input) => {
      await new Promise((resolve) => setTimeout(resolve, waitMs(wait, input) / timeScale));
      return input;
    };
  const overrides = exact
    ? { retryIntervalOverrides: exact.plan.retryIntervalOverrides }
    : scaledOverrides(definition, timeScale);
  const started = performance.now();
  const execution = new StateMachine(exact?.plan.definition ?? scaled?.definition ?? definition, {
    validationOptions: { checkArn: false },
  }).run(input as never, {
    overrides: { taskResourceLocalHandlers: handlers as never, ...overrides },
    context: {
      Execution: {
        Id: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`,
        Name: name,
        StartTime: new Date(clock?.now() ?? Date.now()).toISOString(),
        Input: input,
        RoleArn: 'arn:aws:iam::000000000000:role/bakehouse-local-states',
      },
      StateMachine: { Id: stateMachineArn, Name: `bakehouse-local-${machine}` },
    } as never,
  });

  const events: EventLog[] = [];
  const collecting = (async () => {
    for await (const event of execution.eventLogs) {
      if (exact) onSimulatedTime(event, exact);
      events.push(event);
      options.onEvent?.(event);
      if (options.abortWhen?.(event)) execution.abort();
    }
  })();

  try {
    const output = await (clock && !riding ? clock.drive(execution.result) : execution.result);
    await collecting;
    return {
      status: 'SUCCEEDED',
      output,
      transitions: countTransitions(events),
      retries: countRetries(events),
      events,
      logs,
      wallMs: performance.now() - started,
    };
  } catch (error) {
    ending.abort(new ExecutionEnded(`${name} has ended`));
    await collecting;
    const failed = events.find((e) => e.type === 'ExecutionFailed') as
      | { Error?: string; Cause?: unknown }
      | undefined;
    return {
      status: error instanceof ExecutionAbortedError ? 'ABORTED' : 'FAILED',
      error: failed?.Error ?? (error as Error).name,
      cause: String(failed?.Cause ?? (error as Error).message),
      transitions: countTransitions(events),
      retries: countRetries(events),
      events,
      logs,
      wallMs: performance.now() - started,
    };
  } finally {
    ending.abort(new ExecutionEnded(`${name} has ended`));
    setLogSink(undefined);
  }
}

/** An event as it happened on the simulated clock, a former Wait reported as a Wait again. */
function onSimulatedTime(event: EventLog, { clock, plan }: Exact): void {
  const e = event as { timestamp?: number; state?: { name: string; type: string } };
  e.timestamp = clock.now();
  if (e.state && plan.waits[e.state.name] !== undefined) e.state.type = 'Wait';
}

const countTransitions = (events: EventLog[]) =>
  events.filter((e) => e.type === 'StateEntered').length;

const countRetries = (events: EventLog[]) => events.filter((e) => e.type === 'StateRetried').length;
