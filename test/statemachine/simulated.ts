/** Shared set-up for state-machine tests: a fresh simulated AWS behind the real SDK clients. */
import { useTransport } from '../../layers/aws/clients';
import { createSimulatedAws, type SimOptions, type SimulatedAws } from '../../local/sim';

/** Fast enough that an hour of simulated AWS passes in about a second. */
export const TEST_SCALE = 4000;

export function simulatedAws(options: SimOptions = {}): SimulatedAws {
  const sim = createSimulatedAws({ scale: TEST_SCALE, seed: 7, outboxDir: '.cache/test-outbox', ...options });
  useTransport({ plugin: sim.plugin, fetch: sim.fetch });
  return sim;
}

const LIVE = new Set(['pending', 'running', 'stopping', 'stopped']);

/** Instances that still cost money (or will, once started again). */
export function liveInstances(sim: SimulatedAws) {
  return sim.ec2.instances().filter((i) => LIVE.has(i.state));
}
