/**
 * Starts the simulated AWS and puts it behind everything the functions use: the SDK clients, the
 * seat probe's HTTP client, pauses inside Lambdas (which then move simulated time: on the exact
 * clock as a timer, on the scaled one as a jump) and their jitter (the simulator's seeded draws).
 * With a `recorder`, every request the clients send is recorded on its way to the simulator.
 */
import { useTransport } from '../layers/aws/clients';
import { useDraw, useSleep } from '../layers/runtime/sleep';
import { bothPlugins, type Recorder } from './record';
import { createSimulatedAws, type SimOptions, type SimulatedAws } from './sim';
import { EventClock } from './sim/kernel/event-clock';

export function startSimulation(
  options: SimOptions = {},
  { recorder }: { recorder?: Recorder } = {},
): SimulatedAws {
  const sim = createSimulatedAws(options);
  const plugin = recorder ? bothPlugins(recorder.plugin(), sim.plugin) : sim.plugin;
  useTransport({ plugin, fetch: sim.fetch });
  const { clock } = sim;
  useSleep(
    clock instanceof EventClock
      ? (ms) => clock.sleep(ms)
      : async (ms) => {
          clock.advance(ms);
        },
  );
  useDraw(sim.draw);
  return sim;
}
