/**
 * The benchmark's classroom: N students seated on the simulated AWS on the exact clock
 * (local/sim/kernel/event-clock.ts), so the Lambdas' own CPU time costs no simulated time and the
 * same seed gives the same figures, byte for byte.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { resolvePublicParameter } from '../layers/aws/ssm';
import type { RosterRecord } from '../layers/core/classroom/roster';
import { STATE_TRANSITION_USD } from '../layers/core/cost/prices';
import { classRoster } from '../local/class-roster';
import type { Recorder } from '../local/record';
import { type LocalRun, runLocal } from '../local/runner';
import { sessionStartingSoon } from '../local/session-soon';
import { mutatingRequestLimit } from '../local/sim/ec2/throttle';
import { type Simulation, startSimulation } from '../local/simulation';
import {
  addressBoundMs,
  idealMs,
  idealSends,
  median,
  type SeatDraws,
  seatDraws,
  seedMs,
} from './models';

export interface BenchSettings {
  seed: number;
  /** The account's SES sending rate (messages per second): 14 in production, 1 in the sandbox. */
  sesRate: number;
  /** The seats' TLS mode: HTTPS with an ACME certificate and an Elastic IP each, or plain HTTP. */
  tls: 'acme' | 'none';
  /** Students with the longest names the request takes (100 characters) and long addresses. */
  longNames?: boolean;
  recorder?: Recorder;
}

export const DEFAULT_SETTINGS: BenchSettings = { seed: 42, sesRate: 14, tls: 'acme' };

/** Simulated epoch at which every benchmark run starts. */
const START = Date.UTC(2026, 11, 1, 9, 0, 0);
const LIVE = new Set(['pending', 'running', 'stopping', 'stopped']);
/** Step Functions history events per state entered, by type (a Task: entered, scheduled, started, succeeded, exited). */
const HISTORY_EVENTS: Record<string, number> = { Task: 5, Map: 4 };

/** A class whose seats are needed at once: its session starts one lead time after `nowMs`. */
export function classroomRequest(
  seats: number,
  imageId: string,
  nowMs: number,
  tls: BenchSettings['tls'] = 'acme',
  longNames = false,
) {
  const name = (i: number) =>
    longNames
      ? `Student ${i + 1} ${'Wolfeschlegelsteinhausenbergerdorff '.repeat(3)}`.slice(0, 100)
      : `Student ${i + 1}`;
  const email = (i: number) =>
    longNames
      ? `student.number.${i + 1}.of.the.class@department.university.example.edu`
      : `s${i + 1}@example.edu`;
  return {
    name: `bench-${seats}`,
    image: imageId,
    students: Array.from({ length: seats }, (_, i) => ({ name: name(i), email: email(i) })),
    schedule: sessionStartingSoon(nowMs),
    instructor: { email: 'instructor@example.edu' },
    sender: 'classes@example.edu',
    ...(tls === 'none' ? { tls: { mode: 'none' } } : {}),
  };
}

export interface ClassroomBench {
  figures: ReturnType<typeof classroomFigures> & { executionInputKiB: number };
  wallSeconds: number;
}

/** Seats a classroom of `seats` students and measures it. */
export async function benchClassroom(
  seats: number,
  settings: BenchSettings = DEFAULT_SETTINGS,
): Promise<ClassroomBench> {
  const outboxDir = join('.cache/bench-outbox', String(seats));
  rmSync(outboxDir, { recursive: true, force: true });
  const sim = startSimulation(
    {
      clock: 'exact',
      scale: 0,
      seed: settings.seed,
      start: START,
      outboxDir,
      sesMaxSendRate: settings.sesRate,
    },
    { recorder: settings.recorder },
  );
  const image = await resolvePublicParameter(
    'us-east-1',
    '/aws/service/debian/release/12/latest/amd64',
  );
  const before = { ...sim.calls };
  const started = sim.clock.now();
  const input = {
    request: classroomRequest(seats, image, sim.clock.now(), settings.tls, settings.longNames),
  };
  const run = await runLocal('classroom', input, {
    clock: sim.clock,
    executionName: `bench-${seats}`,
  });
  const roster =
    run.status === 'SUCCEEDED' ? await classRoster(sim.classStore.tableName, `bench-${seats}`) : [];
  const figures = classroomFigures(
    seats,
    run,
    sim,
    sim.clock.now() - started,
    settings,
    before,
    roster,
  );
  return {
    figures: { ...figures, executionInputKiB: round(JSON.stringify(input).length / 1024) },
    wallSeconds: round(run.wallMs / 1000),
  };
}

const round = (n: number, places = 2) => Math.round(n * 10 ** places) / 10 ** places;
const seconds = (ms: number) => round(ms / 1000);
const sum = (counts: Record<string, number>, prefix = '') =>
  Object.entries(counts).reduce((n, [key, c]) => (key.startsWith(prefix) ? n + c : n), 0);

/** The figures of one run: time against the ideal and the old way, transitions, calls, leaks. */
export function classroomFigures(
  seats: number,
  run: LocalRun,
  sim: Simulation,
  simulatedMs: number,
  settings: BenchSettings,
  /** Calls made before the run (the benchmark's own look-up of the image), not counted. */
  before: Record<string, number> = {},
  /** The class's roster, from the class store. */
  roster: RosterRecord[] = [],
) {
  const callCounts = Object.fromEntries(
    Object.entries(sim.calls)
      .map(([key, n]) => [key, n - (before[key] ?? 0)] as const)
      .filter(([, n]) => n > 0)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  const ready = roster.filter((r) => r.state === 'ready' && r.url);
  const timelines = sim.timelines();
  const byIp = new Map(timelines.map((t) => [t.publicIp, t]));
  const seatOf = (record: RosterRecord) => byIp.get(new URL(record.url ?? '').hostname);
  const draws = ready.flatMap((r) => {
    const timeline = seatOf(r);
    const d = timeline && seatDraws(timeline);
    return d ? [d] : ([] as SeatDraws[]);
  });
  const sentAt = new Map(sim.ses.outbox.flatMap((m) => m.to.map((to) => [to, m.sentAt])));
  const lags = ready.flatMap((r) => {
    const sent = r.email ? sentAt.get(r.email) : undefined;
    const readyAt = seatOf(r)?.readyAt;
    return sent !== undefined && readyAt !== undefined ? [sent - readyAt] : [];
  });
  const started = sim.clock.now() - simulatedMs;
  const milestone = (values: (number | undefined)[]) => {
    const at = values.flatMap((v) => (v === undefined ? [] : [(v - started) / 1000]));
    return at.length ? { median: round(median(at) ?? 0), last: round(Math.max(...at)) } : null;
  };
  const readyTimelines = ready.flatMap((r) => seatOf(r) ?? []);
  const sentTimes = [...sentAt.values()];
  /** Where a seat's time goes: each milestone's median and latest over the ready seats. */
  const milestones = {
    running: milestone(readyTimelines.map((t) => t.runningAt)),
    agentOnline: milestone(readyTimelines.map((t) => t.agentOnlineAt)),
    ready: milestone(readyTimelines.map((t) => t.readyAt)),
    emailed: milestone(sentTimes),
    firstEmailSeconds: sentTimes.length ? round((Math.min(...sentTimes) - started) / 1000) : null,
  };
  const serving = new Set(ready.map((r) => seatOf(r)?.instanceId));
  const leaked = sim.ec2
    .instances()
    .filter((i) => LIVE.has(i.state) && !serving.has(i.instanceId)).length;
  const leakedAddresses = sim.ec2
    .addresses()
    .filter((a) => !a.instanceId || !serving.has(a.instanceId)).length;
  const addressBound =
    settings.tls === 'acme' ? addressBoundMs(draws, mutatingRequestLimit('AllocateAddress')) : 0;
  const ideal = Math.max(idealMs(draws, settings.sesRate), addressBound);
  const seed = seedMs(draws, settings.seed);
  const transitions = run.transitions + run.retries;
  const entered = run.events.flatMap((e) => (e.type === 'StateEntered' ? [e.state] : []));
  const iterations = run.events.filter((e) => e.type === 'MapIterationStarted').length;
  const payloads = entered.map((state) => JSON.stringify(state.input ?? null).length);
  const calls = sum(callCounts);
  const lag = median(lags);
  return {
    seats,
    status: run.status,
    ...(run.status === 'FAILED' ? { error: run.error, cause: run.cause } : {}),
    seed: settings.seed,
    sesRatePerSecond: settings.sesRate,
    tls: settings.tls,
    readySeats: ready.length,
    simSecondsToRoster: seconds(simulatedMs),
    idealSeconds: seconds(ideal),
    /** With TLS: the earliest the last seat could serve at AllocateAddress's pace (0 without). */
    addressBoundSeconds: seconds(addressBound),
    overheadRatio: ideal ? round(simulatedMs / ideal) : null,
    medianEmailLagSeconds: lag === undefined ? null : seconds(lag),
    /**
     * The least median lag any orchestration could have on these draws: each email sent the
     * moment its seat serves, at the account's SES rate (without TLS's address pace).
     */
    idealMedianEmailLagSeconds: seconds(
      median(idealSends(draws, settings.sesRate).map((s) => s.sentMs - s.readyMs)) ?? 0,
    ),
    seedSecondsToRoster: seconds(seed),
    speedupVsSeed: simulatedMs ? round(seed / simulatedMs) : null,
    stateTransitions: transitions,
    retries: run.retries,
    transitionsPerSeat: round(transitions / seats),
    ec2Calls: sum(callCounts, 'EC2:'),
    ssmCalls: sum(callCounts, 'SSM:'),
    sesCalls: sum(callCounts, 'SESv2:'),
    schedulerCalls: sum(callCounts, 'Scheduler:'),
    callsPerSeat: round(calls / seats),
    throttledCalls: sum(sim.throttled),
    throttled: Object.fromEntries(
      Object.entries(sim.throttled)
        .filter(([, n]) => n > 0)
        .sort(([a], [b]) => a.localeCompare(b)),
    ),
    failedCalls: sum(sim.failed),
    stepFunctionsCostUSD: round(transitions * STATE_TRANSITION_USD, 6),
    historyEventsEstimate:
      entered.reduce((n, state) => n + (HISTORY_EVENTS[state.type] ?? 2), 0) + 2 * iterations,
    largestStatePayloadKiB: round(Math.max(0, ...payloads) / 1024),
    leakedInstances: leaked,
    leakedAddresses,
    milestones,
    calls: callCounts,
  };
}
