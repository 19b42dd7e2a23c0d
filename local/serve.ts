/**
 * The local stack behind `bakehouse serve`: the real API handlers behind a real HTTP server, over
 * the simulated AWS, each StartExecution running the real state machine on it. Prints one line
 * per step of every execution, as `npm start` does.
 */
import type { Server } from 'node:http';
import { ROUTES } from '../layers/core/api/routes';
import { resetConfig } from '../layers/runtime/config';
import { serveApi } from './api-server';
import { type Execution, LOCAL_API_ENVIRONMENT, serveExecutions } from './executions';
import { clock, progressLine } from './progress';
import type { EventLog, LocalRun } from './runner';
import { type Simulation, startSimulation } from './simulation';

export interface LocalStack {
  server: Server;
  /** The simulated account behind it. */
  sim: Simulation;
  url: string;
  executions: Map<string, Execution>;
  close(): Promise<void>;
}

/** The end of an execution in a few words: the image a bake made, the seats a class readied. */
function outcome(run: LocalRun): string {
  if (run.status !== 'SUCCEEDED') return `FAILED ${run.error}: ${run.cause}`;
  const output = run.output as { imageId?: string; counts?: { ready: number; total: number } };
  if (output.imageId) return `SUCCEEDED: image ${output.imageId}`;
  if (output.counts)
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

export async function serveLocally(
  options: { port?: number; scale?: number; outboxDir?: string; quiet?: boolean } = {},
): Promise<LocalStack> {
  const say = options.quiet ? () => {} : (line: string) => console.log(line);
  const sim = startSimulation({
    scale: options.scale ?? 600,
    outboxDir: options.outboxDir ?? 'outbox',
  });
  const started = new Map<string, number>();
  const executions = serveExecutions(sim, {
    onEvent: (execution, event) => {
      if (event.type === 'ExecutionStarted') {
        started.set(execution.executionArn, sim.clock.now());
        say(`${execution.executionArn.split(':').at(-1)} started`);
      }
      const line = describe(event, sim.clock.now() - (started.get(execution.executionArn) ?? 0));
      if (line) say(line);
    },
    onDone: (execution, run) => {
      const elapsed = sim.clock.now() - (started.get(execution.executionArn) ?? sim.clock.now());
      say(
        `${execution.executionArn.split(':').at(-1)} ${outcome(run)} (${clock(elapsed)} simulated)`,
      );
    },
  });
  Object.assign(process.env, LOCAL_API_ENVIRONMENT);
  resetConfig();
  const server = await serveApi(options.port ?? 8787);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://localhost:${port}`;
  return {
    server,
    sim,
    url,
    executions,
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
  console.log(`listening on ${stack.url}`);
  const stop = () => void stack.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<never>(() => {});
}
