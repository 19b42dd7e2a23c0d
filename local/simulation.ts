/**
 * Starts the simulated AWS and puts it behind everything the functions use: the SDK clients, the
 * seat probe's HTTP client, the class store (dynalite, a fresh one per simulation), the current
 * time and pauses inside Lambdas (both then follow simulated time). With a `recorder`, every
 * request the clients send is recorded on its way to the simulator or the class store.
 */
import { useTransport } from '../layers/aws/clients';
import { useClock } from '../layers/runtime/clock';
import { useSleep } from '../layers/runtime/sleep';
import { type LocalClassStore, startClassStore } from './class-store';
import { bothPlugins, type Recorder } from './record';
import { type LocalExecutions, serveExecutions } from './scheduled-executions';
import { createSimulatedAws, type SimOptions, type SimulatedAws } from './sim';

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

export function startSimulation(
  options: SimOptions = {},
  { recorder, classesTable = LOCAL_CLASSES_TABLE, environment }: SimulationSetup = {},
): Simulation {
  const sim = createSimulatedAws(options);
  const classStore = startClassStore(classesTable);
  const plugin = recorder ? bothPlugins(recorder.plugin(), sim.plugin) : sim.plugin;
  useTransport({
    plugin,
    fetch: sim.fetch,
    dynamodb: { endpoint: classStore.endpoint, plugin: recorder?.plugin() },
  });
  useSleep(async (ms) => {
    sim.clock.advance(ms);
  });
  useClock(() => new Date(sim.clock.now()));
  const executions = serveExecutions(sim, () => environment);
  return Object.assign(sim, { classStore, executions });
}
