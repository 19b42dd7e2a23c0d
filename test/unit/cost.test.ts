import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../layers/base/errors';
import { estimateBakeCost, estimateCost } from '../../layers/core/cost';

describe('estimateCost', () => {
  it.each([
    [40, { compute: 4.99, storage: 0.39, ipv4: 0.6, orchestration: 0.01, total: 5.99 }],
    [200, { compute: 24.96, storage: 1.97, ipv4: 3, orchestration: 0.05, total: 29.98 }],
    [1000, { compute: 124.8, storage: 9.86, ipv4: 15, orchestration: 0.25, total: 149.91 }],
  ])('prices %i t3.medium seats for 3 hours', (seats, expected) => {
    // Act
    const estimate = estimateCost({ seats, instanceType: 't3.medium', hours: 3, volumeGiB: 30 });

    // Assess
    expect(estimate).toMatchObject({ ...expected, currency: 'USD' });
  });

  it('makes the total the sum of the parts as shown', () => {
    // Act
    const estimate = estimateCost({
      seats: 37,
      instanceType: 'r7i.large',
      hours: 2.5,
      volumeGiB: 50,
    });

    // Assess
    const sum = estimate.compute + estimate.storage + estimate.ipv4 + estimate.orchestration;
    expect(estimate.total).toBeCloseTo(sum, 10);
  });

  it('doubles compute for t3.large, at $0.0832 per hour', () => {
    // Act
    const estimate = estimateCost({ seats: 40, instanceType: 't3.large', hours: 3, volumeGiB: 30 });

    // Assess
    expect(estimate.compute).toBe(9.98);
  });

  it('counts the given Step Functions transitions at $0.025 per 1000', () => {
    // Act
    const estimate = estimateCost({
      seats: 40,
      instanceType: 't3.medium',
      hours: 3,
      volumeGiB: 30,
      transitions: 200_000,
    });

    // Assess
    expect(estimate.orchestration).toBe(5);
    expect(estimate.assumptions).toContain('200000 Step Functions transitions at $0.025 per 1000');
  });

  it('uses a price given by the caller, for types the table lacks', () => {
    // Act
    const estimate = estimateCost({
      seats: 10,
      instanceType: 'g5.xlarge',
      hours: 2,
      volumeGiB: 100,
      prices: { 'g5.xlarge': 1.006 },
    });

    // Assess
    expect(estimate.compute).toBe(20.12);
  });

  it('prices spot at on-demand, the ceiling, and says so', () => {
    // Act
    const onDemand = estimateCost({
      seats: 40,
      instanceType: 't3.medium',
      hours: 3,
      volumeGiB: 30,
    });
    const spot = estimateCost({
      seats: 40,
      instanceType: 't3.medium',
      hours: 3,
      volumeGiB: 30,
      spot: true,
    });

    // Assess
    expect(spot.total).toBe(onDemand.total);
    expect(spot.assumptions.some((line) => line.includes('spot'))).toBe(true);
  });

  it('refuses an instance type without a price, naming the field', () => {
    // Act
    const act = () => estimateCost({ seats: 40, instanceType: 'x9.huge', hours: 3, volumeGiB: 30 });

    // Assess
    expect(act).toThrow(ValidationError);
    expect(act).toThrow(/instanceType: has no list price here/);
  });

  it.each([
    ['seats', { seats: 0 }],
    ['hours', { hours: 0 }],
    ['volumeGiB', { volumeGiB: 4 }],
    ['prices.t3.medium', { prices: { 't3.medium': -1 } }],
  ])('refuses a bad %s', (path, overrides) => {
    // Act
    const act = () =>
      estimateCost({ seats: 40, instanceType: 't3.medium', hours: 3, volumeGiB: 30, ...overrides });

    // Assess
    expect(act).toThrow(new RegExp(`^invalid cost estimate: ${path.replace('.', '\\.')}`));
  });
});

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
      compute: 0.04,
      storage: 0,
      ipv4: 0,
      orchestration: 0.01,
      total: 0.05,
      imageStoragePerMonth: 0.6,
      currency: 'USD',
    });
  });

  it('refuses a builder type without a price', () => {
    // Act
    const act = () =>
      estimateBakeCost({ instanceType: 'x9.huge', minutes: 30, rootVolumeGiB: 30, imageGiB: 12 });

    // Assess
    expect(act).toThrow(/^invalid bake cost estimate: instanceType/);
  });
});
