/** Turns execution events into one readable line per step for `npm start`. */

import { readableCause } from '../layers/core/failure';
import { finishedPhases } from '../layers/core/recipe/phase-log';
import { type EventLog, runLocal } from './runner';
import type { SimulatedAws } from './sim';

type Describe = (output: Record<string, unknown>) => string | undefined;

/** What to say when a state exits; states not listed (waits, choices, passes) stay quiet. */
const describers: Record<string, Describe> = {
  ValidateRecipe: (o) => `recipe valid, hash ${(o.bake as { recipeHash: string }).recipeHash}`,
  ResolveBaseImage: (o) => `base image ${(o.base as { imageId: string }).imageId}`,
  LaunchBuilder: (o) => `builder ${(o.builder as { instanceId: string }).instanceId} launched`,
  CheckAgent: (o) => {
    const a = o.agent as { online: boolean; checks: number };
    return a.online ? `SSM agent online after ${a.checks} checks` : undefined;
  },
  RunBuildScript: (o) =>
    `build script sent (command ${(o.script as { commandId: string }).commandId})`,
  CheckBuildScript: (o) => {
    const s = o.script as { done: boolean; checks: number; outputTail: string };
    if (!s.done) return undefined;
    const phases = finishedPhases(s.outputTail);
    return `build script succeeded after ${s.checks} checks${phases.length ? ` (${phases.join(', ')})` : ''}`;
  },
  CreateImage: (o) => `image ${(o.image as { imageId: string }).imageId} registered`,
  CheckImage: (o) => {
    const i = o.image as { done: boolean; checks: number };
    return i.done ? `image available after ${i.checks} checks` : undefined;
  },
  TerminateBuilder: () => 'builder terminated',
  FindTestedImage: (o) => {
    const r = o.reuse as { found: boolean; imageId?: string };
    return r.found
      ? `tested image ${r.imageId} of this recipe found`
      : 'no tested image of this recipe yet';
  },
  LaunchImageTest: (o) =>
    `test instance ${(o.testInstance as { instanceId: string }).instanceId} launched from the image`,
  CheckTestAgent: (o) => {
    const a = o.testAgent as { online: boolean; checks: number };
    return a.online ? `SSM agent online after ${a.checks} checks` : undefined;
  },
  RunImageTest: () => 'seat script, Jupyter check and smoke test sent',
  CheckImageTest: (o) => {
    const s = o.testScript as { done: boolean; checks: number; outputTail: string };
    if (!s.done) return undefined;
    const phases = finishedPhases(s.outputTail);
    return `image test passed after ${s.checks} checks${phases.length ? ` (${phases.join(', ')})` : ''}`;
  },
  PassImageTest: () => 'test instance terminated, image tagged tested',
  PlanClassroom: (o) => {
    const { estimateUSD: total } = o.estimate as { estimateUSD: number };
    const batches = (o.batches as unknown[]).length;
    return `${batches} batch${batches === 1 ? '' : 'es'}, estimated cost $${total.toFixed(2)}`;
  },
  PrepareNetwork: (o) =>
    `security group ${(o.network as { securityGroupId: string }).securityGroupId}`,
  LaunchSeats: (o) => `${o.batchId}: ${o.launched} seats launching`,
  AdvanceSeats: (o) => {
    const { settled, ready, failed } = o.seating as {
      settled: boolean;
      ready: number;
      failed: number;
    };
    return settled
      ? `${ready} seats ready${failed ? `, ${failed} failed` : ''}; emails done`
      : undefined;
  },
  ScheduleSeating: (o) =>
    `scheduled: seating starts at ${(o.advanced as { next: { at: string } }).next.at}`,
  DeliverRoster: () => 'roster sent to the instructor',
  ClassReady: (o) => {
    const { next } = o.advanced as { next: { step: string; at: string } | null };
    return next ? `class ready; its seats ${next.step} at ${next.at}` : 'class ready';
  },
  CleanUp: (o) => `cleaned up: ${(o.outcome as { cause: string }).cause}`,
};

/**
 * The line for a state that exits: what it did, or — when its Catch stored an error under
 * `failed.<Step>` that was not there before — that the step failed, and why. A state whose output
 * lacks what its describer reads stays quiet rather than stopping the run.
 */
export function progressLine(
  event: EventLog,
  elapsedMs: number,
  reported = new Set<string>(),
): string | undefined {
  if (event.type !== 'StateExited') return undefined;
  const name = event.state.name;
  const output = event.state.output as Record<string, unknown> | undefined;
  const prefix = `  ${clock(elapsedMs)}  ${name.padEnd(20)}`;
  const failure = newFailure(name, output, reported);
  if (failure) return `${prefix} FAILED: ${failure}`;
  const describe = describers[name];
  let text: string | undefined;
  try {
    text = describe && output ? describe(output) : undefined;
  } catch {
    text = undefined;
  }
  return text ? `${prefix} ${text}` : undefined;
}

/** The first error under `output.failed` not reported yet, as `Error: message`. */
function newFailure(
  state: string,
  output: Record<string, unknown> | undefined,
  reported: Set<string>,
) {
  const failed = output?.failed;
  if (typeof failed !== 'object' || failed === null) return undefined;
  for (const [step, info] of Object.entries(failed as Record<string, unknown>)) {
    if (reported.has(step)) continue;
    reported.add(step);
    const { Error: error, Cause: cause } = (info ?? {}) as { Error?: unknown; Cause?: unknown };
    const why = readableCause(cause).trim();
    return `${step === state ? '' : `(${step}) `}${String(error ?? 'an error')}${why ? `: ${why}` : ''}`;
  }
  return undefined;
}

export function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `+${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** Runs a state machine on the simulator, printing a line per step; the run and its simulated time. */
export async function runShowingProgress(sim: SimulatedAws, machine: string, input: unknown) {
  let started = sim.clock.now();
  const reported = new Set<string>();
  const run = await runLocal(machine, input, {
    clock: sim.clock,
    onEvent: (event) => {
      if (event.type === 'ExecutionStarted') started = sim.clock.now();
      const line = progressLine(event, sim.clock.now() - started, reported);
      if (line) console.log(line);
    },
  });
  const summary = `${clock(sim.clock.now() - started)} simulated, ${(run.wallMs / 1000).toFixed(1)} s wall, ${run.transitions} state transitions`;
  return { run, summary };
}

/** A failed run's error and cause, without saying the error twice. */
export function failureText(run: { error?: string | undefined; cause?: string | undefined }) {
  const { error = 'an unknown error', cause } = run;
  if (!cause) return error;
  return cause.includes(error) ? cause : `${error}: ${cause}`;
}
