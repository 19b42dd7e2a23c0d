import { describe, expect, it } from 'vitest';
import {
  clientToken,
  fanOutShape,
  nextPlacement,
  placements,
  planBatches,
  seatIds,
} from '../../../layers/core/classroom/plan/batches';

describe('seatIds', () => {
  it.each([
    [1, 'seat-001', 'seat-001'],
    [40, 'seat-001', 'seat-040'],
    [999, 'seat-001', 'seat-999'],
    [1000, 'seat-0001', 'seat-1000'],
  ])('numbers %i seats from %s to %s', (count, first, last) => {
    // Act
    const ids = seatIds(count);

    // Assess
    expect(ids).toHaveLength(count);
    expect(ids[0]).toBe(first);
    expect(ids.at(-1)).toBe(last);
  });

  it('gives distinct ids that sort in seat order', () => {
    // Act
    const ids = seatIds(1000);

    // Assess
    expect(new Set(ids).size).toBe(1000);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('planBatches', () => {
  const seats = (count: number) => seatIds(count);

  it.each([
    [1, ['b00'], [1]],
    [50, ['b00'], [50]],
    [51, ['b00', 'b01'], [26, 25]],
    [100, ['b00', 'b01'], [50, 50]],
  ])('splits %i seats into batches %j of sizes %j', (count, ids, sizes) => {
    // Act
    const batches = planBatches(seats(count));

    // Assess
    expect(batches.map((batch) => batch.batchId)).toEqual(ids);
    expect(batches.map((batch) => batch.seats.length)).toEqual(sizes);
  });

  it('splits 1000 seats into 20 full batches b00 … b19, every seat exactly once, in order', () => {
    // Prepare
    const all = seats(1000);

    // Act
    const batches = planBatches(all);

    // Assess
    expect(batches).toHaveLength(20);
    expect(batches[0]?.batchId).toBe('b00');
    expect(batches[19]?.batchId).toBe('b19');
    expect(batches.every((batch) => batch.seats.length === 50)).toBe(true);
    expect(batches.flatMap((batch) => batch.seats)).toEqual(all);
  });

  it('keeps every batch within a smaller limit and sizes them within one of each other', () => {
    // Act
    const batches = planBatches(seats(1000), 7);

    // Assess
    const sizes = batches.map((batch) => batch.seats.length);
    expect(batches).toHaveLength(143);
    expect(Math.max(...sizes)).toBe(7);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(batches.at(-1)?.batchId).toBe('b142');
  });

  it('gives the same batch ids for the same seats', () => {
    // Act
    const first = planBatches(seats(333));
    const again = planBatches(seats(333));

    // Assess
    expect(again).toEqual(first);
  });

  it('plans no batch for no seats', () => {
    // Act
    const batches = planBatches([]);

    // Assess
    expect(batches).toEqual([]);
  });

  it.each([0, -1, 2.5])('refuses a batch limit of %d', (maxBatch) => {
    // Act
    const act = () => planBatches(seats(10), maxBatch);

    // Assess
    expect(act).toThrow(RangeError);
  });
});

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

describe('clientToken', () => {
  it('stays readable when the parts are short', () => {
    // Act
    const token = clientToken('genomics-101-a1b2', 'b03', 2);

    // Assess
    expect(token).toBe('genomics-101-a1b2-b03-2');
  });

  it('gives the same token for the same parts and a new one for each attempt or salt', () => {
    // Act
    const first = clientToken('genomics-101-a1b2', 'b03', 0);
    const retried = clientToken('genomics-101-a1b2', 'b03', 0);
    const nextCandidate = clientToken('genomics-101-a1b2', 'b03', 1);
    const salted = clientToken('genomics-101-a1b2', 'b03', 0, 'relaunch');

    // Assess
    expect(retried).toBe(first);
    expect(new Set([first, nextCandidate, salted]).size).toBe(3);
  });

  it('hashes long parts into at most 64 printable ASCII characters, deterministically', () => {
    // Prepare
    const classId = `${'very-long-class-name-'.repeat(3)}2026-03-10T09-00`;

    // Act
    const token = clientToken(classId, 'b19', 7, 'salt');
    const again = clientToken(classId, 'b19', 7, 'salt');
    const other = clientToken(classId, 'b19', 8, 'salt');

    // Assess
    expect(token.length).toBeLessThanOrEqual(64);
    expect(token).toMatch(/^[\x21-\x7e]+$/);
    expect(token).toBe(again);
    expect(other).not.toBe(token);
  });

  it('hashes parts that are not ASCII', () => {
    // Act
    const token = clientToken('génomique', 'b00', 0);

    // Assess
    expect(token).toMatch(/^[\x21-\x7e]{1,64}$/);
    expect(token).not.toContain('génomique');
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

describe('fanOutShape', () => {
  it.each([
    [1, { batches: 1, largestBatch: 1, mapMaxConcurrency: 1, waves: 1 }],
    [40, { batches: 1, largestBatch: 40, mapMaxConcurrency: 1, waves: 1 }],
    [200, { batches: 4, largestBatch: 50, mapMaxConcurrency: 4, waves: 1 }],
    [1000, { batches: 20, largestBatch: 50, mapMaxConcurrency: 20, waves: 1 }],
  ])('describes %i seats', (seats, expected) => {
    // Act
    const shape = fanOutShape(seats);

    // Assess
    expect(shape).toMatchObject({ seats, ...expected });
    expect(shape.runInstancesCalls).toBe(shape.batches);
  });

  it('caps the Map at 40 concurrent batches and counts the waves beyond that', () => {
    // Act
    const shape = fanOutShape(1000, 10);

    // Assess
    expect(shape).toMatchObject({ batches: 100, mapMaxConcurrency: 40, waves: 3 });
  });
});
