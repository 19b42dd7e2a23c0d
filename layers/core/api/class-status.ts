// The class status GET /classrooms/{id} answers (and the CLI's --json), built from the class
// record and its seat items alone: no password or token is in either, nor in what is built.
import type { ClassRecord, ClassState, SeatRecord } from '../classroom/record/class-record';
import { costSoFar } from '../cost/so-far';
import type { ClassStatus, ClassSummary } from './schemas';

/** States in which the class's seats run (from the move into one until the move out of it). */
const RUNNING: ReadonlySet<ClassState> = new Set(['seating', 'ready']);

/** The stretches the class's seats ran, from its history: each move into seating or ready until the next move out. */
export function runningStretches(record: ClassRecord): { start: string; stop?: string }[] {
  const stretches: { start: string; stop?: string }[] = [];
  let open: string | undefined;
  for (const entry of record.history) {
    if (RUNNING.has(entry.to) && open === undefined) open = entry.at;
    else if (!RUNNING.has(entry.to) && open !== undefined) {
      stretches.push({ start: open, stop: entry.at });
      open = undefined;
    }
  }
  if (open !== undefined) stretches.push({ start: open });
  return stretches;
}

const budgetOf = (request: unknown): number | null => {
  const budget = (request as { budgetUSD?: unknown } | null)?.budgetUSD;
  return typeof budget === 'number' ? budget : null;
};

/**
 * The class's status at `now`. Its cost so far prices every seat that has had an instance as
 * the plan's first placement, running whenever the class was seating or ready, its volumes
 * until the class was deleted.
 */
export function classStatus(record: ClassRecord, seats: SeatRecord[], now: Date): ClassStatus {
  const { plan } = record;
  const placement = plan.placements[0];
  const running = runningStretches(record);
  const deletedAt = record.history.find((h) => h.to === 'deleted')?.at;
  const spent =
    placement && running.length
      ? costSoFar({
          now: now.toISOString(),
          seats: seats
            .filter((s) => s.instanceId !== null)
            .map((s) => ({
              seatId: s.seatId,
              instanceType: placement.instanceType,
              market: placement.market,
              volumeGiB: plan.volumeGiB,
              running,
              ...(deletedAt ? { terminatedAt: deletedAt } : {}),
            })),
        }).spentUSD
      : 0;
  return {
    id: record.classId,
    name: plan.name,
    state: record.state,
    sessions: plan.sessions.map((s) => ({ start: s.startsAt, end: s.endsAt })),
    seats: seats.map((s) => ({
      seat: s.seatId,
      student: s.student?.name ?? null,
      state: s.state,
      url: s.url,
    })),
    estimateUSD: record.costs.estimate.estimateUSD,
    costSoFarUSD: spent,
    budgetUSD: budgetOf(record.request),
    next: record.next ? { step: record.next.step, at: record.next.at } : null,
  };
}

/** One line of GET /classrooms: the class, its state and when it runs. */
export function classSummary(record: ClassRecord): ClassSummary {
  return {
    id: record.classId,
    name: record.plan.name,
    state: record.state,
    startsAt: record.plan.schedule.startsAt,
    endsAt: record.plan.schedule.endsAt,
    updatedAt: record.updatedAt,
  };
}
