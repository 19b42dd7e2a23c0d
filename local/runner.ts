/**
 * Runs the real statemachines/*.asl.yaml in-process with aws-local-stepfunctions, each Task
 * invoking the real handler that serverless.yml names — the way Lambda would: input and output
 * cross a JSON boundary, payloads over 256 KiB fail, and a thrown error reaches Step Functions as
 * `{ Error: name, Cause: '{"errorType","errorMessage"}' }`. Wait and Retry intervals are divided
 * by the simulator's time scale, so a 10-minute bake takes about a second of wall time.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { StateMachine } from 'aws-local-stepfunctions';
import { resetConfig } from '../layers/runtime/config';
import { type LogRecord, setLogSink } from '../layers/runtime/logger';
import { asFunction } from './record';
import { allStates, type Definition, loadDefinition, taskFunctions } from './serverless-config';

const PAYLOAD_LIMIT = 256 * 1024;

export type EventLog =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

export interface LocalRunOptions {
  /** Simulated seconds per wall second (the simulator's clock scale). */
  timeScale: number;
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
}

export interface LocalRun {
  status: 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: string;
  cause?: string;
  /** StateEntered events: what Step Functions Standard bills. */
  transitions: number;
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
  CLASSROOM_STATE_MACHINE_ARN:
    'arn:aws:states:us-east-1:000000000000:stateMachine:bakehouse-local-classroom',
  LOG_LEVEL: 'info',
};

class DataLimitExceeded extends Error {
  override readonly name = 'States.DataLimitExceeded';
}

function acrossJson(value: unknown, what: string): unknown {
  const text = JSON.stringify(value ?? null);
  if (Buffer.byteLength(text) > PAYLOAD_LIMIT)
    throw new DataLimitExceeded(`${what} is over 256 KiB`);
  return JSON.parse(text);
}

function lambdaContext(functionName: string): Context {
  return {
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

async function localHandlers(definition: Definition, options: LocalRunOptions) {
  const { failOnceAfterWork = [] } = options;
  const pendingFailures = new Set(failOnceAfterWork);
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const task of taskFunctions(definition)) {
    const module = (await import(task.module)) as Record<
      string,
      (event: unknown, context: Context) => Promise<unknown>
    >;
    const handler = module[task.exportName];
    if (!handler) throw new Error(`${task.module} exports no ${task.exportName}`);
    handlers[task.stateName] = async (input) => {
      const event = acrossJson(input, `input of ${task.stateName}`);
      try {
        const output = await asFunction(task.functionKey, () =>
          handler(event, lambdaContext(`bakehouse-local-${task.functionKey}`)),
        );
        if (pendingFailures.delete(task.stateName))
          throw new LostResponse('the response of the invocation was lost');
        return acrossJson(output, `output of ${task.stateName}`);
      } catch (error) {
        const e = error as Error;
        const failure = new Error(JSON.stringify({ errorType: e.name, errorMessage: e.message }));
        failure.name = e.name;
        throw failure;
      }
    };
  }
  return handlers;
}

function scaledIntervals(definition: Definition, timeScale: number) {
  const waits: Record<string, number> = {};
  const retries: Record<string, number[]> = {};
  for (const [name, state] of allStates(definition)) {
    if (state.Type === 'Wait' && typeof state.Seconds === 'number')
      waits[name] = (state.Seconds * 1000) / timeScale;
    const retry = state.Retry as { IntervalSeconds?: number }[] | undefined;
    if (retry) retries[name] = retry.map((r) => ((r.IntervalSeconds ?? 1) * 1000) / timeScale);
  }
  return { waits, retries };
}

export async function runLocal(
  machine: string,
  input: unknown,
  options: LocalRunOptions,
): Promise<LocalRun> {
  const definition = loadDefinition(machine);
  Object.assign(process.env, LOCAL_ENVIRONMENT, options.environment);
  resetConfig();
  const logs: LogRecord[] = [];
  setLogSink((record) => logs.push(record), 'info');

  const name = options.executionName ?? `${machine}-${randomUUID().slice(0, 8)}`;
  const stateMachineArn = `arn:aws:states:us-east-1:000000000000:stateMachine:bakehouse-local-${machine}`;
  const { waits, retries } = scaledIntervals(definition, options.timeScale);
  const started = performance.now();
  const execution = new StateMachine(definition, { validationOptions: { checkArn: false } }).run(
    input as never,
    {
      overrides: {
        taskResourceLocalHandlers: (await localHandlers(definition, options)) as never,
        waitTimeOverrides: waits,
        retryIntervalOverrides: retries,
      },
      context: {
        Execution: {
          Id: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`,
          Name: name,
          StartTime: new Date().toISOString(),
          Input: input,
          RoleArn: 'arn:aws:iam::000000000000:role/bakehouse-local-states',
        },
        StateMachine: { Id: stateMachineArn, Name: `bakehouse-local-${machine}` },
      } as never,
    },
  );

  const events: EventLog[] = [];
  const collecting = (async () => {
    for await (const event of execution.eventLogs) {
      events.push(event);
      options.onEvent?.(event);
    }
  })();

  try {
    const output = await execution.result;
    await collecting;
    return {
      status: 'SUCCEEDED',
      output,
      transitions: countTransitions(events),
      events,
      logs,
      wallMs: performance.now() - started,
    };
  } catch (error) {
    await collecting;
    const failed = events.find((e) => e.type === 'ExecutionFailed') as
      | { Error?: string; Cause?: unknown }
      | undefined;
    return {
      status: 'FAILED',
      error: failed?.Error ?? (error as Error).name,
      cause: String(failed?.Cause ?? (error as Error).message),
      transitions: countTransitions(events),
      events,
      logs,
      wallMs: performance.now() - started,
    };
  } finally {
    setLogSink(undefined);
  }
}

const countTransitions = (events: EventLog[]) =>
  events.filter((e) => e.type === 'StateEntered').length;
