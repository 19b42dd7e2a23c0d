import { describe, expect, it } from 'vitest';
import { nextPlacement, placements } from '../../../../layers/core/classroom/plan/placement-order';

describe('placements', () => {
  it('tries each instance type on demand, in order, in any subnet', () => {
    // Act
    const candidates = placements({
      instanceTypes: ['t3.medium', 't3.large'],
      subnets: [],
      spot: false,
    });

    // Assess
    expect(candidates).toEqual([
      { instanceType: 't3.medium', market: 'on-demand' },
      { instanceType: 't3.large', market: 'on-demand' },
    ]);
  });

  it('tries spot before on-demand for each type when spot is wanted', () => {
    // Act
    const candidates = placements({ instanceTypes: ['t3.medium', 't3.large'], spot: true });

    // Assess
    expect(candidates).toEqual([
      { instanceType: 't3.medium', market: 'spot' },
      { instanceType: 't3.medium', market: 'on-demand' },
      { instanceType: 't3.large', market: 'spot' },
      { instanceType: 't3.large', market: 'on-demand' },
    ]);
  });

  it('walks the subnets of one type before moving on to the next type', () => {
    // Act
    const candidates = placements({
      instanceTypes: ['t3.medium', 'm7i.large'],
      subnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb'],
      spot: true,
    });

    // Assess
    expect(candidates).toEqual([
      { instanceType: 't3.medium', subnetId: 'subnet-aaaaaaaa', market: 'spot' },
      { instanceType: 't3.medium', subnetId: 'subnet-aaaaaaaa', market: 'on-demand' },
      { instanceType: 't3.medium', subnetId: 'subnet-bbbbbbbb', market: 'spot' },
      { instanceType: 't3.medium', subnetId: 'subnet-bbbbbbbb', market: 'on-demand' },
      { instanceType: 'm7i.large', subnetId: 'subnet-aaaaaaaa', market: 'spot' },
      { instanceType: 'm7i.large', subnetId: 'subnet-aaaaaaaa', market: 'on-demand' },
      { instanceType: 'm7i.large', subnetId: 'subnet-bbbbbbbb', market: 'spot' },
      { instanceType: 'm7i.large', subnetId: 'subnet-bbbbbbbb', market: 'on-demand' },
    ]);
  });
});

describe('nextPlacement', () => {
  it.each([
    'InsufficientInstanceCapacity',
    'InsufficientCapacity',
    'Unsupported',
    'SpotMaxPriceTooLow',
    'MaxSpotInstanceCountExceeded',
    'InsufficientFreeAddressesInSubnet',
  ])('moves on to the next candidate after %s', (errorName) => {
    // Act
    const step = nextPlacement(0, errorName, 4);

    // Assess
    expect(step).toEqual({ action: 'next', index: 1 });
  });

  it('says the candidates are exhausted when the last one had no capacity', () => {
    // Act
    const step = nextPlacement(3, 'InsufficientInstanceCapacity', 4);

    // Assess
    expect(step).toEqual({ action: 'exhausted' });
  });

  it.each(['VcpuLimitExceeded', 'InstanceLimitExceeded'])(
    'stops on the account quota %s instead of trying elsewhere',
    (errorName) => {
      // Act
      const step = nextPlacement(0, errorName, 4);

      // Assess
      expect(step).toEqual({ action: 'quota', errorName });
    },
  );

  it.each(['RequestLimitExceeded', 'InvalidAMIID.NotFound', 'IdempotentParameterMismatch'])(
    'leaves %s to ordinary error handling',
    (errorName) => {
      // Act
      const step = nextPlacement(0, errorName, 4);

      // Assess
      expect(step).toEqual({ action: 'not-placement', errorName });
    },
  );
});
