/**
 * The fault suite's fast subset, in `npm test`: a few runs of the matrix (matrix.faults.ts runs
 * it whole) over the faults that once broke an invariant in the launch and bake paths — a lost
 * build-script response, two replacements in different polls, lost launch responses, a transient
 * capacity error with a throttle, an aborted fan-out before the nightly teardown.
 */
import { describe, expect, it } from 'vitest';
import { ALL_FAULTS, combine, type Fault } from './catalogue';
import { runScenario } from './scenario';

const fault = (machine: Fault['machine'], name: string): Fault => {
  const found = ALL_FAULTS.find((f) => f.machine === machine && f.name === name);
  if (!found) throw new Error(`no fault ${machine} ${name}`);
  return found;
};

const runs: { fault: Fault; seats: number }[] = [
  { fault: fault('bake', 'lost-response:RunBuildScript'), seats: 0 },
  { fault: fault('bake', 'lost-response:RunImageTest'), seats: 0 },
  {
    fault: combine(
      fault('classroom', 'agent-never-online:one-seat'),
      fault('classroom', 'readiness-fails:one-seat'),
    ),
    seats: 4,
  },
  { fault: fault('classroom', 'lost-responses:LaunchSeats×3'), seats: 5 },
  {
    fault: combine(fault('classroom', 'capacity-transient'), fault('classroom', 'throttle-burst')),
    seats: 6,
  },
  { fault: fault('classroom', 'aborted-mid-fan-out'), seats: 5 },
];

describe('the fault suite, fast subset', () => {
  for (const { fault, seats } of runs)
    it(`breaks no invariant: ${fault.machine} [${fault.name}]`, async () => {
      const result = await runScenario({ fault, seed: 1, seats });

      expect(result.violations, `${result.scenario} ${result.status} ${result.cause}`).toEqual([]);
    }, 120_000);
});
