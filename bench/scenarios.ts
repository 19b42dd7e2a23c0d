/** Shared scenarios for the benchmarks: a bake and classrooms of any size on the simulator. */

import { resolvePublicParameter } from '../layers/aws/ssm';
import type { Recorder } from '../local/record';
import { type LocalRun, runLocal } from '../local/runner';
import { sessionStartingSoon } from '../local/session-soon';
import { type SimOptions, summarize } from '../local/sim';
import { startSimulation } from '../local/simulation';

/**
 * Simulated seconds per wall second. Low on purpose: the functions' own CPU time (argon2 hashes,
 * JSON) runs on the same clock, and at 600× it would swallow the waits between polls and hide
 * polls that real AWS would see. `BENCH_SCALE` overrides it.
 */
export const BENCH_SCALE = Number(process.env.BENCH_SCALE ?? 4);

export function simulator(options: SimOptions = {}, recorder?: Recorder) {
  return startSimulation(
    { scale: BENCH_SCALE, seed: 42, outboxDir: '.cache/bench-outbox', ...options },
    { recorder },
  );
}

/** Step Functions history events per state entered, by type (a Task: entered, scheduled, started, succeeded, exited). */
const HISTORY_EVENTS: Record<string, number> = { Task: 5, Map: 4 };

/** What a run cost and how big its state got: the figures the notes report. */
export function figures(run: LocalRun, sim: ReturnType<typeof simulator>, simulatedMs: number) {
  const entered = run.events.flatMap((e) => (e.type === 'StateEntered' ? [e.state] : []));
  const payloads = entered.map((state) => JSON.stringify(state.input ?? null).length);
  const count = (name: string) => entered.filter((s) => s.name === name).length;
  const iterations = run.events.filter((e) => e.type === 'MapIterationStarted').length;
  return {
    status: run.status,
    ...(run.status === 'FAILED' ? { error: run.error, cause: run.cause } : {}),
    wallSeconds: round(run.wallMs / 1000),
    simulatedMinutes: round(simulatedMs / 60_000),
    stateTransitions: run.transitions,
    historyEventsEstimate:
      entered.reduce((n, s) => n + (HISTORY_EVENTS[s.type] ?? 2), 0) + 2 * iterations,
    largestStatePayloadKiB: round(Math.max(0, ...payloads) / 1024),
    ...(count('AdvanceSeats')
      ? { batches: count('FinishBatch'), batchPolls: count('AdvanceSeats') }
      : {}),
    calls: summarize(sim),
  };
}

export const round = (n: number) => Math.round(n * 100) / 100;

export async function timed(
  sim: ReturnType<typeof simulator>,
  machine: string,
  input: unknown,
  name: string,
) {
  let started = sim.clock.now();
  const run = await runLocal(machine, input, {
    timeScale: sim.clock.scale,
    executionName: name,
    onEvent: (e) => {
      if (e.type === 'ExecutionStarted') started = sim.clock.now();
    },
  });
  return figures(run, sim, sim.clock.now() - started);
}

/** A class whose seats are needed at once: its session starts one lead time after `nowMs`. */
export function classroomRequest(seats: number, imageId: string, nowMs: number) {
  return {
    name: `bench-${seats}`,
    image: imageId,
    students: Array.from({ length: seats }, (_, i) => ({
      name: `Student ${i + 1}`,
      email: `s${i + 1}@example.edu`,
    })),
    schedule: sessionStartingSoon(nowMs),
    instructor: { email: 'instructor@example.edu' },
    sender: 'classes@example.edu',
  };
}

export const debianImage = () =>
  resolvePublicParameter('us-east-1', '/aws/service/debian/release/12/latest/amd64');
