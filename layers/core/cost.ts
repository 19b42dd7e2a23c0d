import { z } from 'zod';
import { ValidationError } from '../base/errors';
import { parseOrThrow } from '../base/validate';

/**
 * us-east-1 Linux on-demand list prices, USD per instance-hour (2026 price list). t3.medium and
 * t3.large are the figures the design is checked against; pass `prices` for other types or
 * regions.
 */
export const ON_DEMAND_USD_PER_HOUR: Readonly<Record<string, number>> = {
  't3.small': 0.0208,
  't3.medium': 0.0416,
  't3.large': 0.0832,
  't3.xlarge': 0.1664,
  'm7i.large': 0.1008,
  'm7i.xlarge': 0.2016,
  'c7i.large': 0.08925,
  'r7i.large': 0.1323,
};
export const GP3_USD_PER_GB_MONTH = 0.08;
export const SNAPSHOT_USD_PER_GB_MONTH = 0.05;
export const PUBLIC_IPV4_USD_PER_HOUR = 0.005;
export const STATE_TRANSITION_USD = 0.025 / 1000;
/** AWS bills per-month storage pro rata over 730 hours. */
const HOURS_PER_MONTH = 730;

const PricesSchema = z.record(z.string(), z.number().positive()).optional();

export const ClassroomCostInputSchema = z.strictObject({
  seats: z.number().int().min(1).max(1000),
  instanceType: z.string().min(1),
  hours: z
    .number()
    .positive()
    .max(14 * 24),
  volumeGiB: z.number().int().min(8).max(1024),
  spot: z.boolean().default(false),
  /** Step Functions state transitions of the whole run; a generous default when absent. */
  transitions: z.number().int().min(0).optional(),
  /** USD per instance-hour by type, consulted before the built-in table. */
  prices: PricesSchema,
});
export type ClassroomCostInput = z.input<typeof ClassroomCostInputSchema>;

export const BakeCostInputSchema = z.strictObject({
  instanceType: z.string().min(1),
  minutes: z
    .number()
    .positive()
    .max(24 * 60),
  rootVolumeGiB: z.number().int().min(8).max(16_384),
  imageGiB: z.number().positive().max(16_384),
  /** State transitions of the bake; by default a Wait → Check → Choice poll every 30 s. */
  transitions: z.number().int().min(0).optional(),
  prices: PricesSchema,
});
export type BakeCostInput = z.input<typeof BakeCostInputSchema>;

const usd = z.number().nonnegative();
export const CostEstimateSchema = z.strictObject({
  compute: usd,
  storage: usd,
  ipv4: usd,
  orchestration: usd,
  total: usd,
  currency: z.literal('USD'),
  assumptions: z.array(z.string()),
});
export type CostEstimate = z.infer<typeof CostEstimateSchema>;

export const BakeCostEstimateSchema = CostEstimateSchema.extend({
  /** Keeping the image afterwards: its EBS snapshot, per month. Not part of `total`. */
  imageStoragePerMonth: usd,
});
export type BakeCostEstimate = z.infer<typeof BakeCostEstimateSchema>;

const cents = (amount: number) => Math.round((amount + Number.EPSILON) * 100) / 100;

/**
 * An unknown instance type is refused with a ValidationError naming `instanceType` rather than
 * estimated at zero: a cheerful $0.00 before launching 1000 seats would be worse than no answer.
 */
function hourlyPrice(
  instanceType: string,
  prices: Record<string, number> | undefined,
  what: string,
): number {
  const price = prices?.[instanceType] ?? ON_DEMAND_USD_PER_HOUR[instanceType];
  if (price !== undefined) return price;
  const message = `has no list price here; pass prices: { "${instanceType}": <USD per hour> }`;
  throw new ValidationError([{ path: 'instanceType', message }], what);
}

/** Rounds each part to cents and makes the total the sum of the parts as shown. */
function breakdown(
  parts: { compute: number; storage: number; ipv4: number; orchestration: number },
  assumptions: string[],
): CostEstimate {
  const compute = cents(parts.compute);
  const storage = cents(parts.storage);
  const ipv4 = cents(parts.ipv4);
  const orchestration = cents(parts.orchestration);
  const total = cents(compute + storage + ipv4 + orchestration);
  return { compute, storage, ipv4, orchestration, total, currency: 'USD', assumptions };
}

/** What a classroom costs for `hours`, before it is launched. */
export function estimateCost(input: ClassroomCostInput): CostEstimate {
  const { seats, instanceType, hours, volumeGiB, spot, transitions, prices } = parseOrThrow(
    ClassroomCostInputSchema,
    input,
    'cost estimate',
  );
  const hourly = hourlyPrice(instanceType, prices, 'cost estimate');
  const stateTransitions = transitions ?? 100 + 10 * seats;
  const assumptions = [
    `${seats} × ${instanceType} at $${hourly}/h for ${hours} h`,
    `${volumeGiB} GiB gp3 root volume per seat at $${GP3_USD_PER_GB_MONTH}/GB-month, billed for the same ${hours} h`,
    `one public IPv4 address per seat at $${PUBLIC_IPV4_USD_PER_HOUR}/h`,
    `${stateTransitions} Step Functions transitions at $0.025 per 1000${transitions === undefined ? ' (rough upper bound)' : ''}`,
    'us-east-1 list prices; data transfer out and tax not included',
  ];
  if (spot) {
    assumptions.push('spot requested: priced at on-demand, the ceiling when seats fall back');
  }
  return breakdown(
    {
      compute: seats * hours * hourly,
      storage: (seats * volumeGiB * GP3_USD_PER_GB_MONTH * hours) / HOURS_PER_MONTH,
      ipv4: seats * hours * PUBLIC_IPV4_USD_PER_HOUR,
      orchestration: stateTransitions * STATE_TRANSITION_USD,
    },
    assumptions,
  );
}

/** One bake: the builder while it runs, plus what keeping the image costs each month. */
export function estimateBakeCost(input: BakeCostInput): BakeCostEstimate {
  const { instanceType, minutes, rootVolumeGiB, imageGiB, transitions, prices } = parseOrThrow(
    BakeCostInputSchema,
    input,
    'bake cost estimate',
  );
  const hourly = hourlyPrice(instanceType, prices, 'bake cost estimate');
  const hours = minutes / 60;
  const stateTransitions = transitions ?? Math.ceil(50 + 6 * minutes);
  const estimate = breakdown(
    {
      compute: hours * hourly,
      storage: (rootVolumeGiB * GP3_USD_PER_GB_MONTH * hours) / HOURS_PER_MONTH,
      ipv4: hours * PUBLIC_IPV4_USD_PER_HOUR,
      orchestration: stateTransitions * STATE_TRANSITION_USD,
    },
    [
      `one ${instanceType} builder at $${hourly}/h for ${minutes} min`,
      `${rootVolumeGiB} GiB gp3 builder volume at $${GP3_USD_PER_GB_MONTH}/GB-month`,
      `image kept as a ${imageGiB} GiB EBS snapshot at $${SNAPSHOT_USD_PER_GB_MONTH}/GB-month (not in total)`,
      `${stateTransitions} Step Functions transitions at $0.025 per 1000`,
      'us-east-1 list prices; data transfer out and tax not included',
    ],
  );
  return { ...estimate, imageStoragePerMonth: cents(imageGiB * SNAPSHOT_USD_PER_GB_MONTH) };
}
