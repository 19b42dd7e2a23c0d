import { describe, expect, it } from 'vitest';
import { classEstimate } from '../../../../layers/core/classroom/plan/class-estimate';
import { parseClassroomRequest } from '../../../../layers/core/classroom/request/classroom-request';
import {
  GP3_USD_PER_GB_MONTH,
  HOURS_PER_MONTH,
  ON_DEMAND_USD_PER_HOUR,
  SES_USD_PER_EMAIL,
} from '../../../../layers/core/cost/prices';

const now = new Date('2027-01-31T09:00:00Z');
const T3_MEDIUM = ON_DEMAND_USD_PER_HOUR['t3.medium'] ?? Number.NaN;

/** 30 seats, 09:00–12:00 UTC 30 days after `now`. */
const request = (overrides: Record<string, unknown> = {}) =>
  parseClassroomRequest(
    {
      name: 'intro-python',
      image: 'ami-0123456789abcdef0',
      seats: 30,
      schedule: { start: '2027-03-02T09:00', end: '2027-03-02T12:00', timezone: 'UTC' },
      instructor: { email: 'grace@example.org' },
      sender: 'classes@example.org',
      ...overrides,
    },
    now,
  );

describe('classEstimate', () => {
  it('costs a class 30 days out for its life, not for the month before it', () => {
    // Act
    const estimate = classEstimate(request());

    // Assess: 30 × (3 h + 20 min lead) of t3.medium; 30 GiB per seat until 7 days after
    const runHours = 3 + 20 / 60;
    expect(estimate.breakdown.compute).toBeCloseTo(30 * runHours * T3_MEDIUM, 2);
    expect(estimate.breakdown.ebs).toBeCloseTo(
      (30 * 30 * GP3_USD_PER_GB_MONTH * (runHours + 7 * 24)) / HOURS_PER_MONTH,
      2,
    );
    expect(estimate.estimateUSD).toBeLessThan(50);
  });

  it('holds an Elastic IP per seat for the whole life with TLS, and no other public IPv4; none without', () => {
    const life = 3 + 20 / 60 + 7 * 24;

    const https = classEstimate(request());
    const plain = classEstimate(request({ tls: { mode: 'none' } }));

    expect(https.breakdown.elasticIp).toBeCloseTo(30 * life * 0.005, 2);
    expect(https.breakdown.publicIpv4).toBe(0);
    expect(https.assumptions).toContain('30 Elastic IPs at $0.005/h for the whole life');
    expect(plain.breakdown.elasticIp).toBe(0);
    expect(plain.breakdown.publicIpv4).toBeCloseTo(30 * (3 + 20 / 60) * 0.005, 2);
  });

  it('sizes the volumes and picks the type and market from the plan when there is one', () => {
    // Prepare
    const plan = {
      volumeGiB: 60,
      placements: [{ instanceType: 't3.large', market: 'spot' as const }],
    };

    // Act
    const estimate = classEstimate(request(), plan, { snapshotGiB: 20 });

    // Assess
    expect(estimate.assumptions[0]).toMatch(/^30 seats × t3\.large at \$0\.0416\/h spot/);
    expect(estimate.assumptions).toContain(
      'image snapshot: 20 GiB at $0.05/GB-month, kept for the whole life',
    );
    expect(estimate.breakdown.ebs).toBeCloseTo(
      2 * (classEstimate(request()).breakdown.ebs ?? 0),
      1,
    );
  });

  it('prices an unknown type from the request hourly price', () => {
    // Act
    const estimate = classEstimate(request({ instanceTypes: ['g6e.xlarge'], hourlyUSD: 1.861 }));

    // Assess
    expect(estimate.breakdown.compute).toBeCloseTo(30 * (3 + 20 / 60) * 1.861, 2);
  });

  it('leaves an unknown type without an hourly price unpriced', () => {
    // Act
    const estimate = classEstimate(request({ instanceTypes: ['g6e.xlarge'] }));

    // Assess
    expect(estimate.unpriced).toEqual(['compute']);
  });

  it('counts one email per student and the roster', () => {
    // Prepare
    const students = Array.from({ length: 3 }, (_, i) => ({
      name: `Student ${i}`,
      email: `student${i}@example.org`,
    }));

    // Act
    const estimate = classEstimate(request({ seats: undefined, students }));

    // Assess
    expect(estimate.assumptions).toContain('SES: 4 emails at $0.10 per 1000');
    expect(estimate.breakdown.email).toBeCloseTo(4 * SES_USD_PER_EMAIL, 2);
  });
});
