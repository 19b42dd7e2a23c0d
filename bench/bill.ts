/**
 * The estimate of a class against the bill of what the simulated AWS actually ran for it: a
 * 40-seat class of three morning sessions on three days, kept 7 days, run through the classroom
 * machine on the exact clock from booking to retirement. The bill reads the simulator's own
 * instance timelines: every second each seat was running, each volume from launch to
 * termination, the public IPv4 address while running, the image's snapshot for the class's life.
 * With TLS each seat holds an Elastic IP, billed from its allocation to its release, running or
 * not; a seat's auto-assigned address is billed only while it runs before its Elastic IP comes.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { getClass } from '../layers/aws/dynamodb';
import { describeImage } from '../layers/aws/ec2';
import { resolvePublicParameter } from '../layers/aws/ssm';
import { parseClassRecord } from '../layers/core/classroom/record/class-record';
import { cents } from '../layers/core/cost/estimate';
import {
  GP3_USD_PER_GB_MONTH,
  HOURS_PER_MONTH,
  ON_DEMAND_USD_PER_HOUR,
  PUBLIC_IPV4_USD_PER_HOUR,
  SNAPSHOT_USD_PER_GB_MONTH,
} from '../layers/core/cost/prices';
import { TAG } from '../layers/core/tags';
import { runLocal } from '../local/runner';
import { sessionsFrom } from '../local/session-soon';
import { LOCAL_CLASSES_TABLE, type Simulation, startSimulation } from '../local/simulation';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 11, 1, 9, 0, 0);
const CLASS_ID = 'class-billed';
/** States EC2 bills an instance in; stopping is not billed (unless hibernating, not used here). */
const BILLED = new Set(['running']);

export interface BilledClass {
  seats: number;
  tls: 'acme' | 'none';
  sessions: { start: string; end: string }[];
  retainDays: number;
  estimate: { estimateUSD: number; breakdown: Record<string, number | null> };
  bill: {
    totalUSD: number;
    compute: number;
    publicIpv4: number;
    elasticIp: number;
    ebs: number;
    imageSnapshot: number;
    runningSeatHours: number;
    volumeGbHours: number;
    /** Hours of auto-assigned public IPv4 (while running, before an Elastic IP came). */
    publicIpv4Hours: number;
    /** Hours the class's Elastic IPs were held, from allocation to release. */
    elasticIpHours: number;
    instances: number;
    elasticIps: number;
  };
  /** Estimate less bill, per item and in total. */
  gap: Record<string, number>;
  steps: string[];
  transitions: number;
}

/** The seconds an instance spent in a billed state, from its timeline, until `until`. */
function billedMs(phases: readonly { state: string; at: number }[], until: number): number {
  let total = 0;
  for (const [i, phase] of phases.entries()) {
    const end = Math.min(phases[i + 1]?.at ?? until, until);
    if (BILLED.has(phase.state) && end > phase.at) total += end - phase.at;
  }
  return total;
}

/** The part of `phases` (billed states) before `cut`, or all of it when there is no cut. */
const billedBefore = (
  phases: readonly { state: string; at: number }[],
  until: number,
  cut: number | undefined,
) => billedMs(phases, Math.min(until, cut ?? until));

/** When an instance stopped existing (terminated), or undefined. */
const terminatedAt = (phases: readonly { state: string; at: number }[]) =>
  phases.find((p) => p.state === 'terminated')?.at;

export async function billClass(
  options: { seats?: number; seed?: number; instanceType?: string; tls?: 'acme' | 'none' } = {},
): Promise<BilledClass> {
  const { seats = 40, seed = 7, instanceType = 't3.medium', tls = 'none' } = options;
  const outboxDir = join('.cache/bench-outbox', `billed-${seats}-${tls}`);
  rmSync(outboxDir, { recursive: true, force: true });
  const sim: Simulation = startSimulation({
    clock: 'exact',
    scale: 0,
    seed,
    start: START,
    outboxDir,
  });
  const image = await resolvePublicParameter(
    'us-east-1',
    '/aws/service/debian/release/12/latest/amd64',
  );
  const retainDays = 7;
  const sessions = sessionsFrom(
    sim.clock.now(),
    [1, 2, 3].map((day) => ({ startMinutes: day * 24 * 60, minutes: 180 })),
  );
  const booked = await runLocal(
    'classroom',
    {
      request: {
        name: 'billed',
        image,
        instanceTypes: [instanceType],
        students: Array.from({ length: seats }, (_, i) => ({
          name: `Student ${i + 1}`,
          email: `s${i + 1}@example.edu`,
        })),
        sessions,
        timezone: 'UTC',
        retainDays,
        tls: { mode: tls },
        instructor: { email: 'instructor@example.edu' },
        sender: 'classes@example.edu',
      },
    },
    { clock: sim.clock, executionName: CLASS_ID },
  );
  if (booked.status !== 'SUCCEEDED') throw new Error(`booking failed: ${booked.cause}`);
  const lastEnd = Date.parse(`${sessions.at(-1)?.end}:00Z`);
  await sim.executions.until(lastEnd + retainDays * DAY + HOUR);
  const until = sim.clock.now();

  const mine = sim.ec2.instances().filter((i) => i.tags[TAG.classroom] === CLASS_ID);
  let runningMs = 0;
  let autoAddressMs = 0;
  let volumeGbMs = 0;
  let firstLaunch = Number.POSITIVE_INFINITY;
  let lastGone = 0;
  for (const instance of mine) {
    runningMs += billedMs(instance.phases, until);
    autoAddressMs += billedBefore(instance.phases, until, instance.addressAt);
    const gone = terminatedAt(instance.phases) ?? until;
    const gb = instance.volumes.reduce((sum, v) => sum + v.sizeGb, 0);
    volumeGbMs += gb * (gone - instance.launchTime);
    firstLaunch = Math.min(firstLaunch, instance.launchTime);
    lastGone = Math.max(lastGone, gone);
  }
  const snapshotGb = (await describeImage('us-east-1', image))?.rootVolumeGiB ?? 0;
  const rate = ON_DEMAND_USD_PER_HOUR[instanceType] ?? 0;
  const held = sim.ec2.heldAddresses().filter((a) => a.tags[TAG.classroom] === CLASS_ID);
  const elasticMs = held.reduce((sum, a) => sum + (a.releasedAt ?? until) - a.allocatedAt, 0);
  const runningSeatHours = runningMs / HOUR;
  const publicIpv4Hours = autoAddressMs / HOUR;
  const elasticIpHours = elasticMs / HOUR;
  const volumeGbHours = volumeGbMs / HOUR;
  const items = {
    compute: cents(runningSeatHours * rate),
    publicIpv4: cents(publicIpv4Hours * PUBLIC_IPV4_USD_PER_HOUR),
    elasticIp: cents(elasticIpHours * PUBLIC_IPV4_USD_PER_HOUR),
    ebs: cents((volumeGbHours * GP3_USD_PER_GB_MONTH) / HOURS_PER_MONTH),
    imageSnapshot: cents(
      (snapshotGb * SNAPSHOT_USD_PER_GB_MONTH * (lastGone - firstLaunch)) / HOUR / HOURS_PER_MONTH,
    ),
  };
  const totalUSD = cents(Object.values(items).reduce((a, b) => a + b, 0));
  const stored = parseClassRecord(
    await getClass({ region: 'us-east-1', table: LOCAL_CLASSES_TABLE }, CLASS_ID),
  );
  const estimate = {
    estimateUSD: stored.costs.estimate.estimateUSD,
    breakdown: stored.costs.estimate.breakdown,
  };
  const gap: Record<string, number> = {};
  for (const [name, billed] of Object.entries(items))
    gap[name] = cents((estimate.breakdown[name as keyof typeof items] ?? 0) - billed);
  gap.total = cents(estimate.estimateUSD - totalUSD);
  const runs = sim.executions.runs;
  return {
    seats,
    tls,
    sessions: sessions.map((s) => ({ start: `${s.start}Z`, end: `${s.end}Z` })),
    retainDays,
    estimate,
    bill: {
      totalUSD,
      ...items,
      runningSeatHours: Number(runningSeatHours.toFixed(3)),
      volumeGbHours: Number(volumeGbHours.toFixed(1)),
      publicIpv4Hours: Number(publicIpv4Hours.toFixed(3)),
      elasticIpHours: Number(elasticIpHours.toFixed(3)),
      instances: mine.length,
      elasticIps: held.length,
    },
    gap,
    steps: runs.map((r) => `${(r.input as { step: string }).step} ${r.status}`),
    transitions: [booked, ...runs].reduce((n, r) => n + r.transitions, 0),
  };
}
