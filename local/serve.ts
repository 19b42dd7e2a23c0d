/**
 * The local stack behind `bakehouse serve`: the real API handlers behind a real HTTP server, over
 * the simulated AWS on its exact clock (local/sim/kernel/event-clock.ts). Each StartExecution
 * runs the real state machine on it (local/scheduled-executions.ts) and the server drives the
 * clock until every execution has ended; schedules fire only as simulated time reaches them,
 * which `POST /local/advance` (`bakehouse local advance`, never deployed) moves on. One thing
 * moves the clock at a time: requests' executions and advances take turns. A schedule that
 * invokes a function (the teardown) runs its handler on the clock. Prints one line per step of
 * every execution, as `npm start` does.
 */
import type { Server } from 'node:http';
import type { Context } from 'aws-lambda';
import { ROUTES } from '../layers/core/api/routes';
import { resetConfig } from '../layers/runtime/config';
import { parseDuration } from './advance';
import { serveApi } from './api-server';
import { clock, progressLine } from './progress';
import { type EventLog, LOCAL_ENVIRONMENT } from './runner';
import type { ScheduledRun } from './scheduled-executions';
import { functionModule } from './serverless-config';
import { EventClock } from './sim/kernel/event-clock';
import { type Simulation, startSimulation } from './simulation';

const ARN_PREFIX = 'arn:aws:states:us-east-1:000000000000:stateMachine:bakehouse-local-';
const FUNCTION_PREFIX = 'arn:aws:lambda:us-east-1:000000000000:function:bakehouse-local-';

/** The ARN a local stack's function is configured with for the state machine `machine`. */
export const localStateMachineArn = (machine: string) => `${ARN_PREFIX}${machine}`;

/** The ARN of the execution `name` (what POST answered as `id`) of the local machine `machine`. */
export const localExecutionArn = (machine: string, name: string) =>
  `${localStateMachineArn(machine).replace(':stateMachine:', ':execution:')}:${name}`;

/** What serverless.yml gives the API functions, as the local stack names it. */
export const LOCAL_API_ENVIRONMENT = {
  ...LOCAL_ENVIRONMENT,
  BAKE_STATE_MACHINE_ARN: localStateMachineArn('bake'),
  CLASSROOM_STATE_MACHINE_ARN: localStateMachineArn('classroom'),
  TEARDOWN_FUNCTION_ARN: `${FUNCTION_PREFIX}teardown`,
  TEARDOWN_SCHEDULE_ROLE_ARN: 'arn:aws:iam::000000000000:role/bakehouse-local-teardown-schedule',
};

/** What `POST /local/advance` answers: the simulated time reached and what ran meanwhile. */
export interface Advanced {
  now: string;
  ran: { name: string; machine: string; status: string; step?: string }[];
}

export interface LocalStack {
  server: Server;
  url: string;
  sim: Simulation;
  /** Resolves once every execution started so far has ended (the clock driven meanwhile). */
  idle(): Promise<ScheduledRun[]>;
  /** Moves simulated time `ms` on; resolves once everything due by then has run. */
  advance(ms: number): Promise<Advanced>;
  close(): Promise<void>;
}

/** The end of an execution in a few words: the image a bake made, the seats a class readied. */
function outcome(run: ScheduledRun): string {
  if (run.status !== 'SUCCEEDED') return `FAILED ${run.error}: ${run.cause}`;
  const output = run.output as { imageId?: string; counts?: { ready: number; total: number } };
  if (output?.imageId) return `SUCCEEDED: image ${output.imageId}`;
  if (output?.counts)
    return `SUCCEEDED: ${output.counts.ready} of ${output.counts.total} seats ready`;
  return 'SUCCEEDED';
}

/** A step's line, or none for output the progress display does not know (it never stops the server). */
function describe(event: EventLog, elapsedMs: number): string | undefined {
  try {
    return progressLine(event, elapsedMs);
  } catch {
    return undefined;
  }
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** Lambda Invoke on the simulated account: the function serverless.yml names, on the clock. */
function serveFunctions(sim: Simulation, exact: EventClock, invoked: Promise<unknown>[]) {
  sim.register('Lambda', {
    Invoke: (input) => {
      const arn = String(input.FunctionName);
      const target = arn.startsWith(FUNCTION_PREFIX)
        ? functionModule(arn.slice(FUNCTION_PREFIX.length))
        : undefined;
      if (!target) throw new Error(`Function not found: ${arn}`);
      const run = exact.work(async () => {
        const module = (await import(target.module)) as Record<string, Handler>;
        const handler = module[target.exportName] as Handler;
        return handler(JSON.parse(String(input.Payload ?? '{}')), {
          functionName: arn.split(':').at(-1),
          awsRequestId: 'local',
        } as Context);
      });
      invoked.push(run.catch(() => undefined));
      return { StatusCode: 202 };
    },
  });
}

export async function serveLocally(
  options: { port?: number; scale?: number; outboxDir?: string; quiet?: boolean } = {},
): Promise<LocalStack> {
  const say = options.quiet ? () => {} : (line: string) => console.log(line);
  const sim = startSimulation(
    { clock: 'exact', scale: options.scale ?? 0, outboxDir: options.outboxDir ?? 'outbox' },
    { environment: LOCAL_API_ENVIRONMENT },
  );
  const started = new Map<string, number>();
  const name = (arn: string) => arn.split(':').at(-1);
  sim.executions.watch({
    onEvent: (execution, event) => {
      if (event.type === 'ExecutionStarted') {
        started.set(execution.executionArn, sim.clock.now());
        say(`${execution.name} started`);
      }
      const line = describe(event, sim.clock.now() - (started.get(execution.executionArn) ?? 0));
      if (line) say(line);
    },
    onDone: (execution, run) => {
      const elapsed = sim.clock.now() - (started.get(execution.executionArn) ?? sim.clock.now());
      say(`${name(execution.executionArn)} ${outcome(run)} (${clock(elapsed)} simulated)`);
    },
  });
  const exact = sim.clock;
  if (!(exact instanceof EventClock)) throw new Error('the local stack runs on the exact clock');
  const invoked: Promise<unknown>[] = [];
  serveFunctions(sim, exact, invoked);
  // One mover of the clock at a time: each job waits for the one before.
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(job: () => Promise<T>): Promise<T> => {
    const next = turn.then(job);
    turn = next.catch((error: Error) => say(`bakehouse: the simulation stopped: ${error.message}`));
    return next;
  };
  const settleAll = async () => {
    const runs: ScheduledRun[] = [];
    for (;;) {
      runs.push(...(await sim.executions.settled()));
      const pending = invoked.splice(0);
      if (!pending.length) return runs;
      await exact.drive(Promise.all(pending));
    }
  };
  const idle = () => inTurn(settleAll);
  const advance = (ms: number) =>
    inTurn(async () => {
      const ran = await sim.executions.until(sim.clock.now() + ms);
      ran.push(...(await settleAll()));
      return {
        now: new Date(sim.clock.now()).toISOString(),
        ran: ran.map((r) => ({
          name: name(r.executionArn) ?? '',
          machine:
            r.executionArn
              .split(':')
              .at(-2)
              ?.replace(/^bakehouse-[a-z0-9]+-/, '') ?? '',
          status: r.status,
          ...((r.input as { step?: string }).step
            ? { step: (r.input as { step: string }).step }
            : {}),
        })),
      };
    });
  Object.assign(process.env, LOCAL_API_ENVIRONMENT);
  resetConfig();
  const server = await serveApi(options.port ?? 8787, {
    afterEach: () => void idle(),
    local: {
      'POST /local/advance': async (body) => {
        let duration: unknown;
        try {
          duration = (JSON.parse(body) as { duration?: unknown }).duration;
        } catch {}
        try {
          const ms = parseDuration(typeof duration === 'string' ? duration : '');
          return { status: 200, body: await advance(ms) };
        } catch (error) {
          if (!(error instanceof Error) || error.name !== 'ValidationError') throw error;
          const issues = (error as Error & { issues: unknown }).issues;
          return { status: 400, body: { error: error.name, message: error.message, issues } };
        }
      },
    },
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://localhost:${port}`;
  return {
    server,
    url,
    sim,
    idle,
    advance,
    close: () =>
      new Promise((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  };
}

/** `bakehouse serve` and `npm start -- --serve`: serves until SIGINT or SIGTERM. */
export async function serveUntilStopped(port: number): Promise<never> {
  const stack = await serveLocally({ port });
  console.log('bakehouse: local stack on the simulated AWS (no AWS account is used)');
  for (const route of ROUTES) console.log(`  ${route.method.padEnd(5)} ${stack.url}${route.path}`);
  console.log(`  POST  ${stack.url}/local/advance   (this local stack only: moves simulated time)`);
  console.log(`simulated time ${new Date(stack.sim.clock.now()).toISOString()}`);
  console.log(`listening on ${stack.url}`);
  const stop = () => void stack.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<never>(() => {});
}
