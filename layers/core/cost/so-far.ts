// What a class has cost so far, from the seats' actual running time, and what it burns now.
import * as z from 'zod';
import { parseOrThrow } from '../../base/validate';
import { MarketSchema } from '../classroom/plan/placement-order';
import { cents } from './estimate';
import {
  GP3_USD_PER_GB_MONTH,
  HOURS_PER_MONTH,
  hourlyRate,
  PUBLIC_IPV4_USD_PER_HOUR,
} from './prices';

const SeatUsageSchema = z.strictObject({
  seatId: z.string().min(1),
  instanceType: z.string().min(1),
  market: MarketSchema.default('on-demand'),
  /** USD per instance-hour, from the request; wins over the table. */
  hourlyUSD: z.number().positive().max(1000).optional(),
  /** All of the seat's volumes, GiB. */
  volumeGiB: z
    .number()
    .int()
    .min(1)
    .max(16_384 * 21),
  /** Each stretch the seat ran, from a start to its stop; no stop: running still. */
  running: z.array(z.strictObject({ start: z.iso.datetime(), stop: z.iso.datetime().optional() })),
  /** When the seat and its volumes were deleted; absent: they still exist. */
  terminatedAt: z.iso.datetime().optional(),
  /** An auto-assigned public IPv4 address while it runs. */
  publicIpv4: z.boolean().default(true),
  /**
   * An Elastic IP of its own (a TLS seat's stable link) instead: billed from the first start until
   * the seat is terminated, running or stopped, as AWS bills an address held.
   */
  elasticIp: z.boolean().default(false),
});

export const CostSoFarInputSchema = z.strictObject({
  now: z.iso.datetime(),
  seats: z.array(SeatUsageSchema).max(1000),
  spotDiscount: z.number().min(0).max(0.95).optional(),
});
export type CostSoFarInput = z.input<typeof CostSoFarInputSchema>;

export interface CostSoFar {
  /** Compute + public IPv4 + EBS until `now`, in cents; unpriced seats' compute is not in it. */
  spentUSD: number;
  /**
   * The same, unrounded: what a projection starts from. Three items rounded to cents are off by
   * up to 1.5 cents, which at a small class's rate moves a crossing by minutes.
   */
  exactUSD: number;
  compute: number;
  publicIpv4: number;
  ebs: number;
  /** What the running seats add per hour (compute and IPv4): what stopping them saves. */
  runningUSDPerHour: number;
  /**
   * What the volumes (and Elastic IPs) of every seat not yet terminated cost per hour, running or
   * stopped.
   */
  storedUSDPerHour: number;
  /** Seats whose instance type has no price here and no hourlyUSD. */
  unpricedSeats: string[];
}

const HOUR_MS = 3_600_000;
const perHour = (value: number) => Number(value.toFixed(6));

/**
 * The cost of the seats' actual running time until `now`, at the estimate's prices: compute and
 * an auto-assigned public IPv4 while each seat ran, EBS and an Elastic IP from its first start
 * until it was terminated (or now).
 */
export function costSoFar(input: CostSoFarInput): CostSoFar {
  const {
    now: nowText,
    seats,
    spotDiscount,
  } = parseOrThrow(CostSoFarInputSchema, input, 'cost so far');
  const now = Date.parse(nowText);
  const totals = { compute: 0, publicIpv4: 0, ebs: 0, running: 0, stored: 0 };
  const unpricedSeats: string[] = [];
  for (const seat of seats) {
    const until = Math.min(now, seat.terminatedAt ? Date.parse(seat.terminatedAt) : now);
    const stretches = seat.running
      .map((r) => ({ start: Date.parse(r.start), end: r.stop ? Date.parse(r.stop) : until }))
      .map((r) => ({ start: r.start, end: Math.min(r.end, until) }))
      .filter((r) => r.end > r.start);
    if (stretches.length === 0) continue;
    const rate = hourlyRate(seat.instanceType, seat.market, seat.hourlyUSD, spotDiscount);
    if (!rate) unpricedSeats.push(seat.seatId);
    const ranHours = stretches.reduce((sum, r) => sum + (r.end - r.start) / HOUR_MS, 0);
    const ipv4PerHour = seat.publicIpv4 && !seat.elasticIp ? PUBLIC_IPV4_USD_PER_HOUR : 0;
    const heldPerHour = seat.elasticIp ? PUBLIC_IPV4_USD_PER_HOUR : 0;
    const ebsPerHour = (seat.volumeGiB * GP3_USD_PER_GB_MONTH) / HOURS_PER_MONTH;
    const firstStart = Math.min(...stretches.map((r) => r.start));
    const existedHours = (until - firstStart) / HOUR_MS;
    totals.compute += ranHours * (rate?.usdPerHour ?? 0);
    totals.publicIpv4 += ranHours * ipv4PerHour + existedHours * heldPerHour;
    totals.ebs += existedHours * ebsPerHour;
    const alive = !seat.terminatedAt || Date.parse(seat.terminatedAt) > now;
    const runsNow = alive && seat.running.some((r) => !r.stop || Date.parse(r.stop) > now);
    if (alive) totals.stored += ebsPerHour + heldPerHour;
    if (runsNow) totals.running += (rate?.usdPerHour ?? 0) + ipv4PerHour;
  }
  const compute = cents(totals.compute);
  const publicIpv4 = cents(totals.publicIpv4);
  const ebs = cents(totals.ebs);
  return {
    spentUSD: cents(compute + publicIpv4 + ebs),
    exactUSD: totals.compute + totals.publicIpv4 + totals.ebs,
    compute,
    publicIpv4,
    ebs,
    runningUSDPerHour: perHour(totals.running),
    storedUSDPerHour: perHour(totals.stored),
    unpricedSeats,
  };
}
