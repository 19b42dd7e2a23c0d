import { describe, expect, it } from 'vitest';
import { estimateBakeCost } from '../../../layers/core/cost/bake';

describe('estimateBakeCost', () => {
  it('prices the builder while it runs and the image snapshot per month apart', () => {
    // Act
    const estimate = estimateBakeCost({
      instanceType: 't3.large',
      minutes: 30,
      rootVolumeGiB: 30,
      imageGiB: 12,
    });

    // Assess
    expect(estimate).toMatchObject({
      breakdown: { compute: 0.04, ebs: 0, publicIpv4: 0, stepFunctions: 0.01 },
      estimateUSD: 0.05,
      imageStoragePerMonth: 0.6,
      currency: 'USD',
    });
  });

  it('leaves a builder type without a price unpriced instead of refusing it', () => {
    // Act
    const estimate = estimateBakeCost({
      instanceType: 'x9.huge',
      minutes: 30,
      rootVolumeGiB: 30,
      imageGiB: 12,
    });

    // Assess
    expect(estimate.breakdown.compute).toBeNull();
    expect(estimate.unpriced).toEqual(['compute']);
    expect(estimate.estimateUSD).toBe(0.01);
  });

  it('prices a builder type from the hourly price given', () => {
    // Act
    const estimate = estimateBakeCost({
      instanceType: 'x9.huge',
      hourlyUSD: 2,
      minutes: 30,
      rootVolumeGiB: 30,
      imageGiB: 12,
    });

    // Assess
    expect(estimate.breakdown.compute).toBe(1);
  });

  it('refuses a bad minutes, naming the field', () => {
    // Act
    const act = () =>
      estimateBakeCost({ instanceType: 't3.large', minutes: 0, rootVolumeGiB: 30, imageGiB: 12 });

    // Assess
    expect(act).toThrow(/^invalid bake cost estimate: minutes/);
  });
});
