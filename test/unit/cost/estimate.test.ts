import { describe, expect, it } from 'vitest';
import {
  type ClassLifeInput,
  describeEstimate,
  estimateClassLife,
} from '../../../layers/core/cost/estimate';
import {
  ASSUMED_SPOT_DISCOUNT,
  GP3_USD_PER_GB_MONTH,
  HOURS_PER_MONTH,
  ON_DEMAND_USD_PER_HOUR,
  PUBLIC_IPV4_USD_PER_HOUR,
  ROUTE53_USD_PER_ZONE_MONTH,
  SES_USD_PER_EMAIL,
  SNAPSHOT_USD_PER_GB_MONTH,
  STATE_TRANSITION_USD,
} from '../../../layers/core/cost/prices';

const T3_MEDIUM = ON_DEMAND_USD_PER_HOUR['t3.medium'] ?? Number.NaN;
const LEAD_HOURS = 20 / 60;
const WEEK_HOURS = 7 * 24;

/** A session of `hours` from `start` (UTC). */
function session(start: string, hours: number) {
  const startMs = Date.parse(start);
  return {
    start: new Date(startMs).toISOString(),
    end: new Date(startMs + hours * 3_600_000).toISOString(),
  };
}

const threeHours = (overrides: Partial<ClassLifeInput> = {}): ClassLifeInput => ({
  seats: 40,
  instanceType: 't3.medium',
  sessions: [session('2027-03-02T08:00:00Z', 3)],
  rootVolumeGiB: 30,
  ...overrides,
});

describe('estimateClassLife', () => {
  it.each([
    [40, { compute: 4.99, ebs: 0.39, publicIpv4: 0.6, stepFunctions: 0.01 }, 5.99],
    [200, { compute: 24.96, ebs: 1.97, publicIpv4: 3, stepFunctions: 0.05 }, 29.98],
    [1000, { compute: 124.8, ebs: 9.86, publicIpv4: 15, stepFunctions: 0.25 }, 149.91],
  ])(
    'prices %i t3.medium seats for one 3-hour session with no lead and no retention',
    (seats, expected, total) => {
      // Act
      const estimate = estimateClassLife(threeHours({ seats, leadMinutes: 0, retainDays: 0 }));

      // Assess
      expect(estimate.breakdown).toMatchObject(expected);
      expect(estimate.estimateUSD).toBe(total);
      expect(estimate.currency).toBe('USD');
    },
  );

  it('prices a 30-seat, 3-hour class for its life: 20 min lead, stopped, kept 7 days, then terminated', () => {
    // Prepare: a class 30 days after 2027-01-31, with a 10 GiB image and 31 emails
    const seats = 30;
    const runHours = 3 + LEAD_HOURS;
    const lifeHours = runHours + WEEK_HOURS;
    const expected = {
      compute: seats * runHours * T3_MEDIUM,
      publicIpv4: seats * runHours * PUBLIC_IPV4_USD_PER_HOUR,
      ebs: (seats * 30 * GP3_USD_PER_GB_MONTH * lifeHours) / HOURS_PER_MONTH,
      imageSnapshot: (10 * SNAPSHOT_USD_PER_GB_MONTH * lifeHours) / HOURS_PER_MONTH,
      stepFunctions: (100 + 10 * seats) * STATE_TRANSITION_USD,
      email: 31 * SES_USD_PER_EMAIL,
    };

    // Act
    const estimate = estimateClassLife({
      seats,
      instanceType: 't3.medium',
      sessions: [session('2027-03-02T08:00:00Z', 3)],
      rootVolumeGiB: 30,
      imageSnapshotGiB: 10,
      emails: 31,
    });

    // Assess
    for (const [item, usd] of Object.entries(expected)) {
      expect(estimate.breakdown[item as keyof typeof expected], item).toBeCloseTo(usd, 2);
    }
    // 30 × 3 h 20 min × $0.0416 = $4.16; 30 × 30 GiB × $0.08 × 171 h 20 min / 730 h = $16.90
    expect(estimate.breakdown.compute).toBe(4.16);
    expect(estimate.breakdown.ebs).toBe(16.9);
    const itemsInCents = Object.values(expected).map((usd) => Math.round(usd * 100) / 100);
    expect(estimate.estimateUSD).toBeCloseTo(
      itemsInCents.reduce((a, b) => a + b, 0),
      10,
    );
    expect(estimate.unpriced).toEqual([]);
  });

  it('runs the seats only for each session and its lead, and keeps the volumes the whole time', () => {
    // Prepare: three 3-hour sessions on consecutive days, 7 days' retention
    const sessions = [
      session('2027-03-02T08:00:00Z', 3),
      session('2027-03-03T08:00:00Z', 3),
      session('2027-03-04T08:00:00Z', 3),
    ];
    const runHours = 3 * (3 + LEAD_HOURS);
    const lifeHours = 2 * 24 + 3 + LEAD_HOURS + WEEK_HOURS;

    // Act
    const estimate = estimateClassLife({
      seats: 40,
      instanceType: 't3.medium',
      sessions,
      rootVolumeGiB: 30,
      imageSnapshotGiB: 12,
      emails: 41,
    });

    // Assess
    expect(estimate.breakdown.compute).toBeCloseTo(40 * runHours * T3_MEDIUM, 2);
    expect(estimate.breakdown.publicIpv4).toBeCloseTo(40 * runHours * PUBLIC_IPV4_USD_PER_HOUR, 2);
    expect(estimate.breakdown.ebs).toBeCloseTo(
      (40 * 30 * GP3_USD_PER_GB_MONTH * lifeHours) / HOURS_PER_MONTH,
      2,
    );
    expect(estimate.breakdown.stepFunctions).toBeCloseTo(3 * 500 * STATE_TRANSITION_USD, 2);
    expect(estimate.assumptions).toContain(
      '3 sessions, each its length plus 20 min lead: 3 h 20 min + 3 h 20 min + 3 h 20 min = 10 h per seat, 400 seat-hours; seats stopped between sessions',
    );
    expect(estimate.assumptions).toContain(
      'life from first launch 2027-03-02T07:40Z to termination 7 days after the last session, 2027-03-11T11:00Z: 219 h 20 min',
    );
  });

  it('joins sessions whose lead overlaps the one before: the seats are not stopped in between', () => {
    // Act: the second session starts 10 min after the first ends, inside its 20 min lead
    const estimate = estimateClassLife(
      threeHours({
        sessions: [session('2027-03-02T08:00:00Z', 2), session('2027-03-02T10:10:00Z', 2)],
        retainDays: 0,
      }),
    );

    // Assess: 07:40 to 12:10
    expect(estimate.breakdown.compute).toBeCloseTo(40 * 4.5 * T3_MEDIUM, 2);
  });

  it('prices the same class whenever it is asked: nothing is billed before the first lead', () => {
    // Act
    const soon = estimateClassLife(threeHours({ sessions: [session('2027-01-02T08:00:00Z', 3)] }));
    const later = estimateClassLife(threeHours({ sessions: [session('2027-02-01T08:00:00Z', 3)] }));

    // Assess
    expect(later.breakdown).toEqual(soon.breakdown);
  });

  it('bills extra volumes with the root for the whole life', () => {
    // Act
    const estimate = estimateClassLife(threeHours({ extraVolumesGiB: [100, 20], retainDays: 0 }));

    // Assess
    const hours = 3 + LEAD_HOURS;
    expect(estimate.breakdown.ebs).toBeCloseTo(
      (40 * 150 * GP3_USD_PER_GB_MONTH * hours) / HOURS_PER_MONTH,
      2,
    );
    expect(estimate.assumptions.some((line) => line.includes('(root 30 GiB + 100 + 20 GiB)'))).toBe(
      true,
    );
  });

  it('counts no public IPv4 when the seats have none', () => {
    // Act
    const estimate = estimateClassLife(threeHours({ publicIpv4: false }));

    // Assess
    expect(estimate.breakdown.publicIpv4).toBe(0);
  });

  it('bills Elastic IPs for the whole life and hosted zones by calendar month', () => {
    // Prepare: 2027-03-30 07:40 to 2027-04-06 11:00 touches March and April
    const lifeHours = 3 + LEAD_HOURS + WEEK_HOURS;

    // Act
    const estimate = estimateClassLife(
      threeHours({
        sessions: [session('2027-03-30T08:00:00Z', 3)],
        elasticIps: 2,
        route53HostedZones: 1,
        route53Queries: 1_000_000,
      }),
    );

    // Assess
    expect(estimate.breakdown.elasticIp).toBeCloseTo(2 * lifeHours * PUBLIC_IPV4_USD_PER_HOUR, 2);
    expect(estimate.breakdown.route53).toBeCloseTo(2 * ROUTE53_USD_PER_ZONE_MONTH + 0.4, 2);
  });

  it('counts the given Step Functions transitions at $0.025 per 1000', () => {
    // Act
    const estimate = estimateClassLife(threeHours({ transitions: 200_000 }));

    // Assess
    expect(estimate.breakdown.stepFunctions).toBe(5);
    expect(estimate.assumptions).toContain('Step Functions: 200000 transitions at $0.025 per 1000');
  });

  it('makes the total the sum of the items as shown', () => {
    // Act
    const estimate = estimateClassLife(
      threeHours({ seats: 37, instanceType: 'r7i.large', rootVolumeGiB: 50, emails: 38 }),
    );

    // Assess
    const sum = Object.values(estimate.breakdown).reduce((a: number, b) => a + (b ?? 0), 0);
    expect(estimate.estimateUSD).toBeCloseTo(sum, 10);
  });

  it('doubles compute for t3.large, at $0.0832 per hour', () => {
    // Act
    const estimate = estimateClassLife(
      threeHours({ instanceType: 't3.large', leadMinutes: 0, retainDays: 0 }),
    );

    // Assess
    expect(estimate.breakdown.compute).toBe(9.98);
  });

  it('prices spot at the assumed discount off on-demand, and says so', () => {
    // Act
    const onDemand = estimateClassLife(threeHours());
    const spot = estimateClassLife(threeHours({ market: 'spot' }));

    // Assess
    expect(spot.breakdown.compute).toBeCloseTo(
      (onDemand.breakdown.compute ?? 0) * (1 - ASSUMED_SPOT_DISCOUNT),
      1,
    );
    expect(spot.breakdown.ebs).toBe(onDemand.breakdown.ebs);
    expect(spot.assumptions[0]).toMatch(/spot, assumed 50 % below the \$0\.0416\/h on-demand/);
  });

  it('takes the request hourly price over the table, also for spot', () => {
    // Act
    const estimate = estimateClassLife(
      threeHours({ market: 'spot', hourlyUSD: 0.013, leadMinutes: 0, retainDays: 0 }),
    );

    // Assess
    expect(estimate.breakdown.compute).toBeCloseTo(40 * 3 * 0.013, 2);
    expect(estimate.assumptions[0]).toContain('$0.013/h given by the request (hourlyUSD)');
  });

  it('prices a type the table lacks from the request hourly price', () => {
    // Act
    const estimate = estimateClassLife(
      threeHours({
        seats: 10,
        instanceType: 'g5.xlarge',
        hourlyUSD: 1.006,
        sessions: [session('2027-03-02T08:00:00Z', 2)],
        leadMinutes: 0,
      }),
    );

    // Assess
    expect(estimate.breakdown.compute).toBe(20.12);
    expect(estimate.unpriced).toEqual([]);
  });

  it('leaves compute unpriced for a type without a price, pricing the rest, and says so', () => {
    // Act
    const estimate = estimateClassLife(threeHours({ instanceType: 'x9.huge' }));

    // Assess
    const known = estimateClassLife(threeHours());
    expect(estimate.breakdown.compute).toBeNull();
    expect(estimate.unpriced).toEqual(['compute']);
    expect(estimate.breakdown.ebs).toBe(known.breakdown.ebs);
    expect(estimate.estimateUSD).toBeCloseTo(
      known.estimateUSD - (known.breakdown.compute ?? 0),
      10,
    );
    expect(estimate.assumptions[0]).toMatch(
      /^compute unpriced: x9\.huge is not in the price table/,
    );
    expect(describeEstimate(estimate)).toMatch(/^at least \$\d+\.\d\d \(compute unpriced, /);
  });

  it('lists the items that cost something in the summary', () => {
    // Act
    const line = describeEstimate(
      estimateClassLife(threeHours({ leadMinutes: 0, retainDays: 0, emails: 0 })),
    );

    // Assess
    expect(line).toBe(
      '$5.99 (compute $4.99, public IPv4 $0.60, EBS volumes $0.39, Step Functions $0.01)',
    );
  });

  it.each([
    ['seats', { seats: 0 }],
    ['sessions', { sessions: [] }],
    [
      'sessions[0].end',
      { sessions: [{ start: '2027-03-02T08:00:00Z', end: '2027-03-02T08:00:00Z' }] },
    ],
    [
      'sessions[0].start',
      { sessions: [{ start: '2027-03-02 08:00', end: '2027-03-02T09:00:00Z' }] },
    ],
    ['retainDays', { retainDays: -1 }],
    ['hourlyUSD', { hourlyUSD: -1 }],
  ])('refuses a bad %s', (path, overrides) => {
    // Act
    const act = () => estimateClassLife(threeHours(overrides as Partial<ClassLifeInput>));

    // Assess
    expect(act).toThrow(new RegExp(`^invalid cost estimate: ${path.replace(/[.[\]]/g, '\\$&')}:`));
  });
});
