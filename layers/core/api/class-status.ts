// A class as the API answers it (GET /classrooms/{id}, the class page): from its record and its
// seat records only, no password or token.
import * as z from 'zod';
import type { ClassRecord, ClassState, SeatRecord } from '../classroom/record/class-record';
import { costSoFar } from '../cost/so-far';
import type { ClassStatus, ClassSummary } from './schemas';

/** While the class is in one of these states, its seats run (and are billed by the hour). */
const RUNNING: ReadonlySet<ClassState> = new Set(['seating', 'ready']);

const Booked = z.looseObject({
  budgetUSD: z.number().optional(),
  hourlyUSD: z.number().optional(),
});

/** A number of the request the class was booked with (it is stored as it arrived). */
function requestNumber(request: unknown, field: 'budgetUSD' | 'hourlyUSD'): number | undefined {
  const parsed = Booked.safeParse(request);
  return parsed.success ? parsed.data[field] : undefined;
}

/** The budget the class was booked with, from its stored request; null without one. */
export const budgetOf = (record: Pick<ClassRecord, 'request'>): number | null =>
  requestNumber(record.request, 'budgetUSD') ?? null;

/**
 * When the seats ran, from the class's history: each stretch the class spent seating or ready.
 * The history keeps the latest entries only, so a long life's earliest stretches may be missing.
 */
export function runningStretches(record: ClassRecord): { start: string; stop?: string }[] {
  const stretches: { start: string; stop?: string }[] = [];
  for (const entry of record.history) {
    const open = stretches.at(-1);
    const runs = RUNNING.has(entry.to);
    if (runs && (!open || open.stop)) stretches.push({ start: entry.at });
    if (!runs && open && !open.stop) open.stop = entry.at;
  }
  return stretches;
}

/** What the seats that were launched have cost until `now`, at the estimate's prices. */
function spentSoFar(record: ClassRecord, seats: SeatRecord[], now: Date): number {
  const placement = record.plan.placements[0];
  const running = runningStretches(record);
  const deleted = record.history.find((entry) => entry.to === 'deleted')?.at;
  const launched = seats.filter((seat) => seat.instanceId !== null || seat.state === 'terminated');
  if (!placement || running.length === 0 || launched.length === 0) return 0;
  const hourlyUSD = requestNumber(record.request, 'hourlyUSD');
  return costSoFar({
    now: now.toISOString(),
    seats: launched.map((seat) => ({
      seatId: seat.seatId,
      instanceType: placement.instanceType,
      market: placement.market,
      ...(hourlyUSD ? { hourlyUSD } : {}),
      volumeGiB: record.plan.volumeGiB,
      running,
      ...(deleted ? { terminatedAt: deleted } : {}),
    })),
  }).spentUSD;
}

/** The class status of a class record and its seats (in seat order), at `now`. */
export function classStatus(record: ClassRecord, seats: SeatRecord[], now: Date): ClassStatus {
  return {
    id: record.classId,
    name: record.plan.name,
    state: record.state,
    sessions: record.plan.sessions.map((s) => ({ start: s.startsAt, end: s.endsAt })),
    seats: [...seats]
      .sort((a, b) => a.seatId.localeCompare(b.seatId))
      .map((seat) => ({
        seat: seat.seatId,
        student: seat.student?.name ?? null,
        state: seat.state,
        url: seat.url,
      })),
    estimateUSD: record.costs.estimate.estimateUSD,
    costSoFarUSD: spentSoFar(record, seats, now),
    budgetUSD: budgetOf(record),
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
