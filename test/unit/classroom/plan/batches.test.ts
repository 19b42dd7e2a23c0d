import { describe, expect, it } from 'vitest';
import { planBatches } from '../../../../layers/core/classroom/plan/batches';
import { seatIds } from '../../../../layers/core/classroom/request/seat-ids';

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
