/**
 * What must hold after every run of the fault suite, whatever was injected. Each violation names
 * its invariant and the family it belongs to: `launch` (instances, builders, build scripts, the
 * execution's end) or `email` (student emails and the roster, which the email code owns), so the
 * two can be counted apart.
 */
import type { SeatRecord } from '../../layers/core/classroom/record/class-record';
import { TAG } from '../../layers/core/tags';
import type { LocalRun } from '../../local/runner';
import { allStates, loadDefinition } from '../../local/serverless-config';
import type { SimulatedAws } from '../../local/sim';

export const INVARIANTS = {
  orphanInstances: 'launch',
  duplicateInstances: 'launch',
  readySeatWithoutInstance: 'launch',
  duplicateBuildScripts: 'launch',
  causeWithoutStep: 'launch',
  duplicateEmails: 'email',
  duplicateRosters: 'email',
  studentUnaccounted: 'email',
  emailForDeadSeat: 'email',
} as const;
export type Invariant = keyof typeof INVARIANTS;

export interface Violation {
  invariant: Invariant;
  detail: string;
}

export interface RunFacts {
  machine: 'bake' | 'classroom';
  classId: string;
  run: LocalRun;
  sim: SimulatedAws;
  records: SeatRecord[];
  /** The seats of the class's batches as the class store last held them (each with its instance). */
  batchSeats: { seatId: string; instanceId?: string | null }[];
  students: { email: string }[];
  instructor: string;
}

const LIVE = new Set(['pending', 'running', 'stopping', 'stopped']);
const HOLDING = new Set(['ready', 'pending', 'stopped']);

const stepNames = new Map<string, string[]>();
function steps(machine: string): string[] {
  let names = stepNames.get(machine);
  if (!names) {
    names = allStates(loadDefinition(machine))
      .filter(([, state]) => state.Type !== 'Fail' && state.Type !== 'Succeed')
      .map(([name]) => name);
    stepNames.set(machine, names);
  }
  return names;
}

interface RosterLine {
  seatId: string;
  email: string | null;
  state: string;
  reason?: string;
}

export function checkRun(facts: RunFacts): Violation[] {
  const violations: Violation[] = [];
  const add = (invariant: Invariant, detail: string) => violations.push({ invariant, detail });
  const { run, sim, machine } = facts;

  // The execution ends with a status, and a failure with a cause that names its step.
  if (!['SUCCEEDED', 'FAILED', 'ABORTED'].includes(run.status))
    add('causeWithoutStep', `status ${run.status}`);
  if (run.status === 'FAILED') {
    const cause = run.cause ?? '';
    if (!steps(machine).some((step) => new RegExp(`\\b${step}\\b`).test(cause)))
      add('causeWithoutStep', `${run.error}: ${cause.slice(0, 160)}`);
  }

  const live = sim.ec2.instances().filter((i) => LIVE.has(i.state));
  for (const i of live.filter((i) => ['builder', 'image-test'].includes(i.tags[TAG.kind] ?? '')))
    add('orphanInstances', `${i.tags[TAG.kind]} ${i.instanceId} ${i.state}`);

  if (machine === 'bake') {
    for (const kind of ['builder', 'image-test']) {
      const made = sim.ec2.instances().filter((i) => i.tags[TAG.kind] === kind).length;
      if (made > 1) add('duplicateInstances', `${made} ${kind} instances for one bake`);
    }
    const builds = sim.ssm.commands().filter((c) => c.comment?.startsWith('bakehouse bake'));
    const perInstance = count(builds.flatMap((c) => c.instanceIds));
    for (const [instanceId, n] of perInstance)
      if (n > 1) add('duplicateBuildScripts', `build script sent ${n} times to ${instanceId}`);
    return violations;
  }

  const held = new Set(
    facts.records
      .filter((r) => HOLDING.has(r.state) && r.instanceId)
      .map((r) => r.instanceId as string),
  );
  const seats = live.filter((i) => i.tags[TAG.kind] === 'seat');
  for (const i of seats)
    if (!held.has(i.instanceId))
      add('orphanInstances', `seat instance ${i.instanceId} ${i.state}, held by no seat`);
  if (seats.length > facts.students.length)
    add(
      'duplicateInstances',
      `${seats.length} live seat instances for ${facts.students.length} seats`,
    );

  // One instance is one seat's, in the class store: its seat records and its batches' seats.
  const owners = new Map<string, Set<string>>();
  for (const seat of [...facts.records, ...facts.batchSeats]) {
    if (!seat.instanceId) continue;
    const set = owners.get(seat.instanceId) ?? new Set();
    set.add(seat.seatId);
    owners.set(seat.instanceId, set);
  }
  for (const [instanceId, set] of owners)
    if (set.size > 1)
      add('duplicateInstances', `${instanceId} launched for ${[...set].join(', ')}`);
  const liveIds = new Set(live.map((i) => i.instanceId));
  if (run.status === 'SUCCEEDED')
    for (const r of facts.records.filter((r) => r.state === 'ready'))
      if (!r.instanceId || !liveIds.has(r.instanceId))
        add(
          'readySeatWithoutInstance',
          `${r.seatId} ready on ${r.instanceId ?? 'nothing'}, not live`,
        );

  // Emails: each student once, or listed with the reason; the roster once.
  const sent = count(sim.ses.outbox.flatMap((m) => m.to.map((to) => to.toLowerCase())));
  const summaries = sent.get(facts.instructor) ?? 0;
  if (summaries > 1) add('duplicateRosters', `instructor got ${summaries} summaries`);
  for (const { email } of facts.students) {
    const n = sent.get(email.toLowerCase()) ?? 0;
    if (n > 1) add('duplicateEmails', `${email} emailed ${n} times`);
  }
  const seated = run.status === 'SUCCEEDED' || run.error === 'RosterUndelivered';
  if (seated) {
    const lines: RosterLine[] = facts.records.map((r) => ({
      seatId: r.seatId,
      email: r.student?.email ?? null,
      state: r.state,
      reason: r.reason,
    }));
    const byEmail = new Map(lines.map((l) => [l.email?.toLowerCase(), l]));
    for (const { email } of facts.students) {
      const n = sent.get(email.toLowerCase()) ?? 0;
      const line = byEmail.get(email.toLowerCase());
      if (n >= 1 || line?.reason) continue;
      add(
        'studentUnaccounted',
        `${email}: ${n} emails, ${line ? `${line.state} ${line.reason ?? 'no reason'}` : 'not on the roster'}`,
      );
    }
  } else if (run.status === 'FAILED') {
    const toStudents = facts.students.filter((s) => sent.has(s.email.toLowerCase())).length;
    if (toStudents > 0)
      add('emailForDeadSeat', `${toStudents} students emailed a seat of a failed class`);
  }
  return violations;
}

function count(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}
