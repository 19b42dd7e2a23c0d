/**
 * Starts the simulated AWS and puts it behind everything the functions use: the SDK clients, the
 * seat probe's HTTP client, and pauses inside Lambdas (which then move simulated time). With a
 * `recorder`, every request the clients send is recorded on its way to the simulator.
 */
import { useTransport } from '../layers/aws/clients';
import { useSleep } from '../layers/runtime/sleep';
import { bothPlugins, type Recorder } from './record';
import { createSimulatedAws, type SimOptions, type SimulatedAws } from './sim';

export function startSimulation(
  options: SimOptions = {},
  { recorder }: { recorder?: Recorder } = {},
): SimulatedAws {
  const sim = createSimulatedAws(options);
  const plugin = recorder ? bothPlugins(recorder.plugin(), sim.plugin) : sim.plugin;
  useTransport({ plugin, fetch: sim.fetch });
  useSleep(async (ms) => {
    sim.clock.advance(ms);
  });
  return sim;
}
