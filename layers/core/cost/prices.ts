// The price table: every figure the cost model uses, in one place.
import type { Market } from '../classroom/plan/placement-order';

/** Where every figure below comes from, for the assumptions of an estimate. */
export const PRICE_SOURCE = 'AWS us-east-1 list prices';

/**
 * On-demand USD per instance-hour, us-east-1, Linux; t3.medium and t3.large are the figures the
 * design is checked against. The table advises: a type it lacks is priced
 * from the caller's `hourlyUSD`, or left unpriced, and never refused for that reason.
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

/**
 * Spot is priced at on-demand less this share when no `hourlyUSD` is given. Spot prices move by
 * the hour and by zone; 50 % off is below what t3 spot in us-east-1 usually saves (60–70 %), so
 * the estimate errs high.
 */
export const ASSUMED_SPOT_DISCOUNT = 0.5;

/** gp3 storage; the baseline 3000 IOPS and 125 MB/s are free, more is not modelled. */
export const GP3_USD_PER_GB_MONTH = 0.08;
/** EBS snapshot, standard tier. */
export const SNAPSHOT_USD_PER_GB_MONTH = 0.05;
/** Every public IPv4 address, in use or idle, Elastic or not. */
export const PUBLIC_IPV4_USD_PER_HOUR = 0.005;
/** Step Functions Standard workflows. */
export const STATE_TRANSITION_USD = 0.025 / 1000;
/** SES outbound, sent from Lambda (the EC2 free tier does not apply); attachments not counted. */
export const SES_USD_PER_EMAIL = 0.1 / 1000;
/** A hosted zone (of the first 25) is charged a whole month for every month it exists in. */
export const ROUTE53_USD_PER_ZONE_MONTH = 0.5;
export const ROUTE53_USD_PER_QUERY = 0.4 / 1_000_000;
/** AWS bills per-month storage pro rata over 730 hours. */
export const HOURS_PER_MONTH = 730;

export interface HourlyRate {
  usdPerHour: number;
  /** How the figure was found, as the assumptions say it. */
  source: string;
}

/**
 * The price of one instance-hour in a market: the caller's figure when given (taken as the price
 * in that market), else the table's, less the assumed discount for spot. Null when neither knows.
 */
export function hourlyRate(
  instanceType: string,
  market: Market,
  hourlyUSD?: number,
  spotDiscount = ASSUMED_SPOT_DISCOUNT,
): HourlyRate | null {
  if (hourlyUSD !== undefined) {
    return { usdPerHour: hourlyUSD, source: `$${hourlyUSD}/h given by the request (hourlyUSD)` };
  }
  const onDemand = ON_DEMAND_USD_PER_HOUR[instanceType];
  if (onDemand === undefined) return null;
  if (market === 'on-demand') {
    return { usdPerHour: onDemand, source: `$${onDemand}/h on-demand, from ${PRICE_SOURCE}` };
  }
  const spot = round(onDemand * (1 - spotDiscount), 6);
  const off = round(spotDiscount * 100, 2);
  return {
    usdPerHour: spot,
    source: `$${spot}/h spot, assumed ${off} % below the $${onDemand}/h on-demand list price; seats that fall back to on-demand cost more`,
  };
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));
