import { describe, expect, it } from 'vitest';
import {
  GP3_USD_PER_GB_MONTH,
  hourlyRate,
  ON_DEMAND_USD_PER_HOUR,
  PUBLIC_IPV4_USD_PER_HOUR,
} from '../../../layers/core/cost/prices';

describe('the price table', () => {
  it('holds the us-east-1 list prices the design is checked against', () => {
    // Assess
    expect(ON_DEMAND_USD_PER_HOUR['t3.medium']).toBe(0.0416);
    expect(ON_DEMAND_USD_PER_HOUR['t3.large']).toBe(0.0832);
    expect(GP3_USD_PER_GB_MONTH).toBe(0.08);
    expect(PUBLIC_IPV4_USD_PER_HOUR).toBe(0.005);
  });
});

describe('hourlyRate', () => {
  it('finds the on-demand price in the table', () => {
    // Act
    const rate = hourlyRate('t3.large', 'on-demand');

    // Assess
    expect(rate?.usdPerHour).toBe(0.0832);
    expect(rate?.source).toContain('AWS us-east-1 list prices');
  });

  it('prices spot at the discount given', () => {
    // Act
    const rate = hourlyRate('t3.large', 'spot', undefined, 0.7);

    // Assess
    expect(rate?.usdPerHour).toBeCloseTo(0.02496, 6);
    expect(rate?.source).toContain('assumed 70 % below');
  });

  it('takes the given price over the table', () => {
    // Act
    const rate = hourlyRate('t3.large', 'on-demand', 0.07);

    // Assess
    expect(rate?.usdPerHour).toBe(0.07);
  });

  it('knows no price for a type the table lacks and none was given', () => {
    // Act
    const rate = hourlyRate('x9.huge', 'on-demand');

    // Assess
    expect(rate).toBeNull();
  });
});
