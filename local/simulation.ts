/**
 * Starts the simulated AWS and puts it behind everything the functions use: the SDK clients, the
 * seat probe's HTTP client, and pauses inside Lambdas (which then move simulated time).
 */
import { useTransport } from '../layers/aws/clients';
import { useSleep } from '../layers/runtime/sleep';
import { createSimulatedAws, type SimOptions, type SimulatedAws } from './sim';

export function startSimulation(options: SimOptions = {}): SimulatedAws {
  const sim = createSimulatedAws(options);
  useTransport({ plugin: sim.plugin, fetch: sim.fetch });
  useSleep(async (ms) => {
    sim.clock.advance(ms);
  });
  return sim;
}
