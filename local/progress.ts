/** Turns execution events into one readable line per step for `npm start`. */
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
    const phases = [...s.outputTail.matchAll(/bakehouse: phase (\S+) (done|skipped)/g)].map(
      (m) => m[1],
    );
    return `build script succeeded after ${s.checks} checks${phases.length ? ` (${[...new Set(phases)].join(', ')})` : ''}`;
  },
  CreateImage: (o) => `image ${(o.image as { imageId: string }).imageId} registered`,
  CheckImage: (o) => {
    const i = o.image as { done: boolean; checks: number };
    return i.done ? `image available after ${i.checks} checks` : undefined;
  },
  TerminateBuilder: () => 'builder terminated',
  PlanClassroom: (o) => {
    const { total } = o.estimate as { total: number };
    const batches = (o.batches as unknown[]).length;
    return `${batches} batch${batches === 1 ? '' : 'es'}, estimated cost $${total.toFixed(2)}`;
  },
  PrepareNetwork: (o) =>
    `security group ${(o.network as { securityGroupId: string }).securityGroupId}`,
  LaunchSeats: (o) => {
    const { batchId, seats } = o.batch as { batchId: string; seats: { phase: string }[] };
    return `${batchId}: ${seats.filter((s) => s.phase === 'booting').length} seats launching`;
  },
  AdvanceSeats: (o) => {
    const { batchId, settled, seats } = o.batch as {
      batchId: string;
      settled: boolean;
      seats: { phase: string }[];
    };
    return settled
      ? `${batchId}: ${seats.filter((s) => s.phase === 'ready').length} of ${seats.length} seats answer`
      : undefined;
  },
  FinishBatch: (o) => `${o.batchId}: seats kept in the class store`,
  ScheduleSeating: (o) =>
    `scheduled: seating starts at ${(o.advanced as { next: { at: string } }).next.at}`,
  EmailBatch: (o) => `${o.batchId}: ${o.sent} students emailed`,
  DeliverRoster: () => 'roster sent to the instructor',
  ClassReady: (o) => {
    const { next } = o.advanced as { next: { step: string; at: string } | null };
    return next ? `class ready; its seats ${next.step} at ${next.at}` : 'class ready';
  },
  CleanUp: (o) => `cleaned up: ${(o.outcome as { cause: string }).cause}`,
};

export function progressLine(event: EventLog, elapsedMs: number): string | undefined {
  if (event.type !== 'StateExited') return undefined;
  const describe = describers[event.state.name];
  const output = event.state.output as Record<string, unknown> | undefined;
  const text = describe && output ? describe(output) : undefined;
  return text ? `  ${clock(elapsedMs)}  ${event.state.name.padEnd(20)} ${text}` : undefined;
}

export function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `+${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** Runs a state machine on the simulator, printing a line per step; the run and its simulated time. */
export async function runShowingProgress(sim: SimulatedAws, machine: string, input: unknown) {
  let started = sim.clock.now();
  const run = await runLocal(machine, input, {
    timeScale: sim.clock.scale,
    onEvent: (event) => {
      if (event.type === 'ExecutionStarted') started = sim.clock.now();
      const line = progressLine(event, sim.clock.now() - started);
      if (line) console.log(line);
    },
  });
  const summary = `${clock(sim.clock.now() - started)} simulated, ${(run.wallMs / 1000).toFixed(1)} s wall, ${run.transitions} state transitions`;
  return { run, summary };
}
