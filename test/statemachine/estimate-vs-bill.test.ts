/**
 * The estimate of a 40-seat, three-session class kept 7 days, against the bill of what the
 * simulated AWS ran for it on the exact clock, booking to retirement (bench/bill.ts).
 */
import { describe, expect, it } from 'vitest';
import { billClass } from '../../bench/bill';

/**
 * How far the bill may be from the estimate, per item: seats are billed from when they reach
 * running (a boot after the lead time's start) until they begin stopping, and volumes until
 * they are terminated, a few seconds to minutes either way of the planned times.
 */
const TOLERANCE = { relative: 0.01, absoluteUSD: 0.1 };

describe('the estimate against the simulated bill', () => {
  it.each([
    { label: 'without TLS', tls: 'none', elasticIps: 0 },
    { label: 'with TLS (an Elastic IP per seat)', tls: 'acme', elasticIps: 40 },
  ] as const)(
    'agrees with what the simulator ran $label, item by item and in total, within 1 %',
    async ({ tls, elasticIps }) => {
      // Act
      const billed = await billClass({ seats: 40, tls });

      // Assess: the class ran its life as planned
      expect(billed.steps).toEqual([
        'seat SUCCEEDED',
        'stop SUCCEEDED',
        'start SUCCEEDED',
        'stop SUCCEEDED',
        'start SUCCEEDED',
        'stop SUCCEEDED',
        'retire SUCCEEDED',
      ]);
      expect(billed.bill.instances).toBe(40);
      expect(billed.bill.elasticIps).toBe(elasticIps);
      // 40 seats × 3 sessions × (3 h + 20 min lead), less their boot, more a retire's few seconds
      expect(billed.bill.runningSeatHours).toBeGreaterThan(40 * 3 * (10 / 3) * 0.99);
      expect(billed.bill.runningSeatHours).toBeLessThanOrEqual(40 * 10);
      for (const item of ['compute', 'publicIpv4', 'elasticIp', 'ebs', 'imageSnapshot'] as const) {
        const estimated = billed.estimate.breakdown[item] ?? 0;
        const allowed = Math.max(TOLERANCE.absoluteUSD, estimated * TOLERANCE.relative);
        expect(Math.abs(estimated - billed.bill[item]), item).toBeLessThanOrEqual(allowed);
      }
      // The estimate's Step Functions and email are not in the simulated bill: at most that apart.
      const notBilled =
        (billed.estimate.breakdown.stepFunctions ?? 0) + (billed.estimate.breakdown.email ?? 0);
      const gap = billed.estimate.estimateUSD - billed.bill.totalUSD;
      expect(Math.abs(gap - notBilled)).toBeLessThanOrEqual(
        Math.max(TOLERANCE.absoluteUSD, billed.bill.totalUSD * TOLERANCE.relative),
      );
    },
    300_000,
  );
});
