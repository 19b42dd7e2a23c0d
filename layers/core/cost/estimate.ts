// What a class costs for its whole life, before anything launches: the estimate and its shape.
import * as z from 'zod';
import { parseOrThrow } from '../../base/validate';
import { MarketSchema } from '../classroom/plan/placement-order';
import { type Interval, lifeOf, runningIntervals } from './intervals';
import {
  GP3_USD_PER_GB_MONTH,
  HOURS_PER_MONTH,
  hourlyRate,
  PRICE_SOURCE,
  PUBLIC_IPV4_USD_PER_HOUR,
  ROUTE53_USD_PER_QUERY,
  ROUTE53_USD_PER_ZONE_MONTH,
  SES_USD_PER_EMAIL,
  SNAPSHOT_USD_PER_GB_MONTH,
  STATE_TRANSITION_USD,
} from './prices';

export const DEFAULT_LEAD_MINUTES = 20;
export const DEFAULT_RETAIN_DAYS = 7;

const usd = z.number().nonnegative();
/** An item's USD, or null when it could not be priced (the estimate then says why). */
const item = usd.nullable();

export const CostBreakdownSchema = z.strictObject({
  compute: item,
  publicIpv4: item,
  ebs: item,
  imageSnapshot: item,
  stepFunctions: item,
  email: item,
  elasticIp: item,
  route53: item,
});
export type CostBreakdown = z.infer<typeof CostBreakdownSchema>;
export type CostItem = keyof CostBreakdown;

export const CostEstimateSchema = z.strictObject({
  /** The sum of the priced items as shown; a lower bound when `unpriced` is not empty. */
  estimateUSD: usd,
  currency: z.literal('USD'),
  breakdown: CostBreakdownSchema,
  /** Items the estimate could not price. */
  unpriced: z.array(z.string()),
  assumptions: z.array(z.string()),
});
export type CostEstimate = z.infer<typeof CostEstimateSchema>;

const SessionSchema = z
  .strictObject({ start: z.iso.datetime(), end: z.iso.datetime() })
  .refine((session) => Date.parse(session.end) > Date.parse(session.start), {
    message: 'end must be after start',
    path: ['end'],
  });

const count = z.number().int().min(0);

export const ClassLifeInputSchema = z.strictObject({
  seats: z.number().int().min(1).max(1000),
  instanceType: z.string().min(1),
  /** USD per instance-hour in `market`, from the request; wins over the table. */
  hourlyUSD: z.number().positive().max(1000).optional(),
  market: MarketSchema.default('on-demand'),
  /** Share off on-demand assumed for spot when no `hourlyUSD` is given. */
  spotDiscount: z.number().min(0).max(0.95).optional(),
  /** UTC instants; the seats run from `leadMinutes` before each start to its end. */
  sessions: z.array(SessionSchema).min(1).max(366),
  leadMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(DEFAULT_LEAD_MINUTES),
  /** Days the stopped seats (and their volumes) are kept after the last session; 0 ends them then. */
  retainDays: z.number().min(0).max(365).default(DEFAULT_RETAIN_DAYS),
  rootVolumeGiB: z.number().int().min(1).max(16_384),
  /** Further volumes of every seat, GiB each. */
  extraVolumesGiB: z.array(z.number().int().min(1).max(16_384)).max(20).default([]),
  /** The image's EBS snapshot, kept for the class's life. */
  imageSnapshotGiB: z.number().min(0).max(16_384).default(0),
  /** One public IPv4 address per seat while it runs. */
  publicIpv4: z.boolean().default(true),
  /** Step Functions state transitions of the class's whole life; a rough bound when absent. */
  transitions: count.optional(),
  emails: count.default(0),
  /** Elastic IPs held from first launch to termination, attached or not. */
  elasticIps: count.max(1000).default(0),
  route53HostedZones: count.max(25).default(0),
  route53Queries: count.default(0),
});
export type ClassLifeInput = z.input<typeof ClassLifeInputSchema>;

/** How each item reads in a sentence. */
export const COST_ITEM_LABELS: Readonly<Record<CostItem, string>> = {
  compute: 'compute',
  publicIpv4: 'public IPv4',
  ebs: 'EBS volumes',
  imageSnapshot: 'image snapshot',
  stepFunctions: 'Step Functions',
  email: 'email',
  elasticIp: 'Elastic IP',
  route53: 'Route 53',
};

const money = (amount: number) => `$${amount.toFixed(2)}`;

/** `$21.60 (compute $4.16, EBS volumes $16.90, …)`: the items that cost something or are unpriced. */
export function describeEstimate(estimate: CostEstimate): string {
  const parts = (Object.entries(estimate.breakdown) as [CostItem, number | null][])
    .filter(([, value]) => value !== 0)
    .map(
      ([name, value]) => `${COST_ITEM_LABELS[name]} ${value === null ? 'unpriced' : money(value)}`,
    );
  const lowerBound = estimate.unpriced.length ? 'at least ' : '';
  return `${lowerBound}${money(estimate.estimateUSD)} (${parts.join(', ')})`;
}

export const cents = (amount: number) => Math.round((amount + Number.EPSILON) * 100) / 100;

/** Rounds each item to cents and makes the total the sum of the priced items as shown. */
export function costEstimate(
  items: Record<CostItem, number | null>,
  assumptions: string[],
): CostEstimate {
  const breakdown = Object.fromEntries(
    Object.entries(items).map(([name, value]) => [name, value === null ? null : cents(value)]),
  ) as CostBreakdown;
  const priced = Object.values(breakdown).filter((value): value is number => value !== null);
  const unpriced = Object.entries(breakdown)
    .filter(([, value]) => value === null)
    .map(([name]) => name);
  const estimateUSD = cents(priced.reduce((sum, value) => sum + value, 0));
  return { estimateUSD, currency: 'USD', breakdown, unpriced, assumptions };
}

/** `3.3333` → `3 h 20 min`. */
export function formatHours(hours: number): string {
  const minutes = Math.round(hours * 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : h === 0 ? `${m} min` : `${h} h ${m} min`;
}

const seatHours = (hours: number) => `${Number(hours.toFixed(2))} seat-hours`;
const HOUR_MS = 3_600_000;
const hoursOf = (interval: Interval) => (interval.end - interval.start) / HOUR_MS;
const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16)}Z`;

/** Calendar months (UTC) a resource existing from `start` to `end` is charged for. */
function monthsTouched(start: number, end: number): number {
  const a = new Date(start);
  const b = new Date(end);
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth()) + 1;
}

/**
 * What a class costs from its first launch to its termination: seats run for each session plus
 * its lead time and are stopped in between; their volumes, the image snapshot and any Elastic IP
 * are billed the whole time. An instance type without a price leaves compute unpriced, and the
 * estimate says so; it is never refused for that.
 */
export function estimateClassLife(input: ClassLifeInput): CostEstimate {
  const spec = parseOrThrow(ClassLifeInputSchema, input, 'cost estimate');
  const { seats, instanceType, market, leadMinutes, retainDays } = spec;
  const sessions = spec.sessions.map((s) => ({
    start: Date.parse(s.start),
    end: Date.parse(s.end),
  }));
  const running = runningIntervals(sessions, leadMinutes * 60_000);
  const life = lifeOf(running, retainDays);
  const runningHours = running.reduce((sum, interval) => sum + hoursOf(interval), 0);
  const lifeHours = hoursOf(life);
  const seatGiB = spec.rootVolumeGiB + spec.extraVolumesGiB.reduce((sum, gib) => sum + gib, 0);
  const transitions = spec.transitions ?? (100 + 10 * seats) * sessions.length;
  const rate = hourlyRate(instanceType, market, spec.hourlyUSD, spec.spotDiscount);
  const zoneMonths = spec.route53HostedZones * monthsTouched(life.start, life.end);

  const sessionHours = sessions.map((s) => formatHours(hoursOf(s) + leadMinutes / 60));
  const assumptions = [
    rate
      ? `${seats} seats × ${instanceType} at ${rate.source}`
      : `compute unpriced: ${instanceType} is not in the price table and the request gives no hourlyUSD; the estimate covers the other items only`,
    sessions.length === 1
      ? `1 session, its length plus ${leadMinutes} min lead: ${sessionHours[0]} per seat, ${seatHours(runningHours * seats)}`
      : `${sessions.length} sessions, each its length plus ${leadMinutes} min lead: ${sessionHours.join(' + ')} = ${formatHours(runningHours)} per seat, ${seatHours(runningHours * seats)}; seats stopped between sessions`,
    `life from first launch ${utc(life.start)} to termination ${retainDays === 0 ? 'at the end of the last session' : `${retainDays} days after the last session`}, ${utc(life.end)}: ${formatHours(lifeHours)}`,
    `EBS: ${seatGiB} GiB gp3 per seat (root ${spec.rootVolumeGiB} GiB${spec.extraVolumesGiB.length ? ` + ${spec.extraVolumesGiB.join(' + ')} GiB` : ''}) at $${GP3_USD_PER_GB_MONTH}/GB-month, billed for the whole life, running and stopped, pro rata over ${HOURS_PER_MONTH} h a month`,
    spec.publicIpv4
      ? `public IPv4: one per seat at $${PUBLIC_IPV4_USD_PER_HOUR}/h, only while it runs`
      : 'no public IPv4 addresses',
    spec.imageSnapshotGiB
      ? `image snapshot: ${spec.imageSnapshotGiB} GiB at $${SNAPSHOT_USD_PER_GB_MONTH}/GB-month, kept for the whole life`
      : 'no image snapshot counted',
    `Step Functions: ${transitions} transitions at $0.025 per 1000${spec.transitions === undefined ? ' (rough upper bound: 100 + 10 per seat, per session)' : ''}`,
    `SES: ${spec.emails} emails at $0.10 per 1000`,
    spec.elasticIps
      ? `${spec.elasticIps} Elastic IP${spec.elasticIps === 1 ? '' : 's'} at $${PUBLIC_IPV4_USD_PER_HOUR}/h for the whole life`
      : 'no Elastic IP',
    spec.route53HostedZones || spec.route53Queries
      ? `Route 53: ${spec.route53HostedZones} hosted zone${spec.route53HostedZones === 1 ? '' : 's'} at $${ROUTE53_USD_PER_ZONE_MONTH} for each calendar month of the life (${zoneMonths} zone-months), ${spec.route53Queries} queries at $0.40 per million`
      : 'no Route 53',
    `${PRICE_SOURCE}; data transfer out, tax and free tiers not included`,
  ];
  return costEstimate(
    {
      compute: rate ? seats * runningHours * rate.usdPerHour : null,
      publicIpv4: spec.publicIpv4 ? seats * runningHours * PUBLIC_IPV4_USD_PER_HOUR : 0,
      ebs: (seats * seatGiB * GP3_USD_PER_GB_MONTH * lifeHours) / HOURS_PER_MONTH,
      imageSnapshot:
        (spec.imageSnapshotGiB * SNAPSHOT_USD_PER_GB_MONTH * lifeHours) / HOURS_PER_MONTH,
      stepFunctions: transitions * STATE_TRANSITION_USD,
      email: spec.emails * SES_USD_PER_EMAIL,
      elasticIp: spec.elasticIps * lifeHours * PUBLIC_IPV4_USD_PER_HOUR,
      route53:
        zoneMonths * ROUTE53_USD_PER_ZONE_MONTH + spec.route53Queries * ROUTE53_USD_PER_QUERY,
    },
    assumptions,
  );
}
