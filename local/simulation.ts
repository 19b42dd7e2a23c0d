/**
 * Starts the simulated AWS and puts it behind everything the functions use: the SDK clients, the
 * seat probe's HTTP client, pauses inside Lambdas (which then move simulated time: on the exact
 * clock as a timer, on the scaled one as a jump) and their jitter (the simulator's seeded draws).
 * With a `recorder`, every request the clients send is recorded on its way to the simulator.
 */
import { useTransport } from '../layers/aws/clients';
import { useDraw, useSleep } from '../layers/runtime/sleep';
import { bothPlugins, type Recorder } from './record';
import { LOCAL_ENVIRONMENT } from './runner';
import { createSimulatedAws, type SimOptions, type SimulatedAws } from './sim';
import { EventClock } from './sim/kernel/event-clock';

/** The sender of the local runs' classes: a verified SES identity of the simulated account. */
export const LOCAL_SENDER = 'classes@example.edu';

/**
 * The account as the local stack finds it deployed: its instance profile exists (serverless.yml
 * creates `<service>-<stage>-instance`; the local runner's functions use the local stage's) and
 * the local sender is verified in SES. `options` may replace either.
 */
export function startSimulation(
  options: SimOptions = {},
  { recorder }: { recorder?: Recorder } = {},
): SimulatedAws {
  const sim = createSimulatedAws({
    instanceProfiles: [LOCAL_ENVIRONMENT.INSTANCE_PROFILE_NAME],
    sesIdentities: [LOCAL_SENDER],
    ...options,
  });
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
