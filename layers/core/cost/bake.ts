// What one bake costs: the builder while it runs, and keeping its image afterwards.
import * as z from 'zod';
import { parseOrThrow } from '../../base/validate';
import { type CostEstimate, CostEstimateSchema, cents, costEstimate } from './estimate';
import {
  GP3_USD_PER_GB_MONTH,
  HOURS_PER_MONTH,
  hourlyRate,
  PRICE_SOURCE,
  PUBLIC_IPV4_USD_PER_HOUR,
  SNAPSHOT_USD_PER_GB_MONTH,
  STATE_TRANSITION_USD,
} from './prices';

export const BakeCostInputSchema = z.strictObject({
  instanceType: z.string().min(1),
  /** USD per instance-hour of the builder; wins over the table. */
  hourlyUSD: z.number().positive().max(1000).optional(),
  minutes: z
    .number()
    .positive()
    .max(24 * 60),
  rootVolumeGiB: z.number().int().min(8).max(16_384),
  imageGiB: z.number().positive().max(16_384),
  /** State transitions of the bake; by default a Wait → Check → Choice poll every 30 s. */
  transitions: z.number().int().min(0).optional(),
});
export type BakeCostInput = z.input<typeof BakeCostInputSchema>;

export const BakeCostEstimateSchema = CostEstimateSchema.extend({
  /** Keeping the image afterwards: its EBS snapshot, per month. Not part of `estimateUSD`. */
  imageStoragePerMonth: z.number().nonnegative(),
});
export type BakeCostEstimate = z.infer<typeof BakeCostEstimateSchema>;

/** One bake: the builder while it runs (on-demand), plus what keeping the image costs each month. */
export function estimateBakeCost(input: BakeCostInput): BakeCostEstimate {
  const { instanceType, hourlyUSD, minutes, rootVolumeGiB, imageGiB, transitions } = parseOrThrow(
    BakeCostInputSchema,
    input,
    'bake cost estimate',
  );
  const rate = hourlyRate(instanceType, 'on-demand', hourlyUSD);
  const hours = minutes / 60;
  const stateTransitions = transitions ?? Math.ceil(50 + 6 * minutes);
  const estimate: CostEstimate = costEstimate(
    {
      compute: rate ? hours * rate.usdPerHour : null,
      publicIpv4: hours * PUBLIC_IPV4_USD_PER_HOUR,
      ebs: (rootVolumeGiB * GP3_USD_PER_GB_MONTH * hours) / HOURS_PER_MONTH,
      imageSnapshot: 0,
      stepFunctions: stateTransitions * STATE_TRANSITION_USD,
      email: 0,
      elasticIp: 0,
      route53: 0,
    },
    [
      rate
        ? `one ${instanceType} builder at ${rate.source} for ${minutes} min`
        : `compute unpriced: ${instanceType} is not in the price table and no hourlyUSD was given`,
      `${rootVolumeGiB} GiB gp3 builder volume at $${GP3_USD_PER_GB_MONTH}/GB-month`,
      `image kept as a ${imageGiB} GiB EBS snapshot at $${SNAPSHOT_USD_PER_GB_MONTH}/GB-month (not in the estimate)`,
      `${stateTransitions} Step Functions transitions at $0.025 per 1000`,
      `${PRICE_SOURCE}; data transfer out and tax not included`,
    ],
  );
  return { ...estimate, imageStoragePerMonth: cents(imageGiB * SNAPSHOT_USD_PER_GB_MONTH) };
}
