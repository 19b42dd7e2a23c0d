/** Shared set-up for state-machine tests: a fresh simulated AWS behind the real SDK clients. */
import type { SimOptions, SimulatedAws } from '../../local/sim';
import { startSimulation } from '../../local/simulation';

/** Fast enough that an hour of simulated AWS passes in about a second. */
export const TEST_SCALE = 4000;

export function simulatedAws(options: SimOptions = {}): SimulatedAws {
  return startSimulation({
    scale: TEST_SCALE,
    seed: 7,
    outboxDir: '.cache/test-outbox',
    ...options,
  });
}

const LIVE = new Set(['pending', 'running', 'stopping', 'stopped']);

/** Instances that still cost money (or will, once started again). */
export function liveInstances(sim: SimulatedAws) {
  return sim.ec2.instances().filter((i) => LIVE.has(i.state));
}
