/**
 * Starts the simulated AWS and puts it behind everything the functions use: the SDK clients, the
 * seat probe's HTTP client, the class store (dynalite, a fresh one per simulation), the current
 * time, pauses inside Lambdas (which then move simulated time: on the exact clock as a timer, on
 * the scaled one as a jump) and their jitter (the simulator's seeded draws). With a `recorder`,
 * every request the clients send is recorded on its way to the simulator or the class store.
 */
import { useTransport } from '../layers/aws/clients';
import { useClock } from '../layers/runtime/clock';
import { useDraw, useSleep } from '../layers/runtime/sleep';
import { type LocalClassStore, startClassStore } from './class-store';
import { bothPlugins, type Recorder } from './record';
import { LOCAL_ENVIRONMENT } from './runner';
import { type LocalExecutions, serveExecutions } from './scheduled-executions';
import { createSimulatedAws, type SimOptions, type SimulatedAws } from './sim';
import { EventClock } from './sim/kernel/event-clock';

/** The sender of the local runs' classes: a verified SES identity of the simulated account. */
export const LOCAL_SENDER = 'classes@example.edu';

/** The class store's table name in local runs and tests (LOCAL_ENVIRONMENT's CLASSES_TABLE). */
export const LOCAL_CLASSES_TABLE = 'bakehouse-local-classes';

export interface Simulation extends SimulatedAws {
  readonly classStore: LocalClassStore;
  /** Executions that schedules started (the classroom's later steps). */
  readonly executions: LocalExecutions;
}

export interface SimulationSetup {
  recorder?: Recorder;
  classesTable?: string;
  /** Environment of the functions in executions that schedules start (default: the local one). */
  environment?: Record<string, string>;
}

/**
 * The account as the local stack finds it deployed: its instance profile exists (serverless.yml
 * creates `<service>-<stage>-instance`; the local runner's functions use the local stage's), so
 * does its script bucket (the local stage's, and that of `environment` when it names one), the
 * local sender is verified in SES and the class store's table exists. `options` may replace the
 * first two.
 */
export function startSimulation(
  options: SimOptions = {},
  { recorder, classesTable = LOCAL_CLASSES_TABLE, environment }: SimulationSetup = {},
): Simulation {
  const sim = createSimulatedAws({
    instanceProfiles: [LOCAL_ENVIRONMENT.INSTANCE_PROFILE_NAME],
    sesIdentities: [LOCAL_SENDER],
    buckets: [
      ...new Set([LOCAL_ENVIRONMENT.SCRIPT_BUCKET, environment?.SCRIPT_BUCKET ?? '']),
    ].filter(Boolean),
    ...options,
  });
  const classStore = startClassStore(classesTable);
  const plugin = (region: string) =>
    recorder ? bothPlugins(recorder.plugin(region), sim.pluginFor(region)) : sim.pluginFor(region);
  useTransport({
    plugin,
    fetch: sim.fetch,
    dynamodb: { endpoint: classStore.endpoint, plugin: recorder?.plugin() },
  });
  const { clock } = sim;
  useSleep(
    clock instanceof EventClock
      ? (ms) => clock.sleep(ms)
      : async (ms) => {
          clock.advance(ms);
        },
  );
  useDraw(sim.draw);
  useClock(() => new Date(clock.now()));
  const executions = serveExecutions(sim, () => environment);
  return Object.assign(sim, { classStore, executions });
}
