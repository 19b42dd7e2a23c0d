// What a class's seats have cost so far, from its record and seat records: the running stretches
// its history shows, priced as the estimate prices them.
import * as z from 'zod';
import type { ClassRecord, ClassState, SeatRecord } from '../classroom/record/class-record';
import { type CostSoFar, costSoFar } from './so-far';

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
export function runningStretches(
  record: Pick<ClassRecord, 'history'>,
): { start: string; stop?: string }[] {
  const stretches: { start: string; stop?: string }[] = [];
  for (const entry of record.history) {
    const open = stretches.at(-1);
    const runs = RUNNING.has(entry.to);
    if (runs && (!open || open.stop)) stretches.push({ start: entry.at });
    if (!runs && open && !open.stop) open.stop = entry.at;
  }
  return stretches;
}

const NOTHING: CostSoFar = {
  spentUSD: 0,
  exactUSD: 0,
  compute: 0,
  publicIpv4: 0,
  ebs: 0,
  runningUSDPerHour: 0,
  storedUSDPerHour: 0,
  unpricedSeats: [],
};

/**
 * What the seats that were launched have cost until `now`, at the estimate's prices, and what
 * they add per hour running and stopped.
 */
export function classCostSoFar(record: ClassRecord, seats: SeatRecord[], now: Date): CostSoFar {
  const placement = record.plan.placements[0];
  const running = runningStretches(record);
  const deleted = record.history.find((entry) => entry.to === 'deleted')?.at;
  const launched = seats.filter((seat) => seat.instanceId !== null || seat.state === 'terminated');
  if (!placement || running.length === 0 || launched.length === 0) return NOTHING;
  const hourlyUSD = requestNumber(record.request, 'hourlyUSD');
  // A TLS seat holds an Elastic IP (its stable link) in place of an auto-assigned address.
  const elasticIp = record.plan.tls.mode === 'acme';
  return costSoFar({
    now: now.toISOString(),
    seats: launched.map((seat) => ({
      seatId: seat.seatId,
      instanceType: placement.instanceType,
      market: placement.market,
      ...(hourlyUSD ? { hourlyUSD } : {}),
      volumeGiB: record.plan.volumeGiB,
      publicIpv4: !elasticIp,
      elasticIp,
      running,
      ...(deleted ? { terminatedAt: deleted } : {}),
    })),
  });
}
