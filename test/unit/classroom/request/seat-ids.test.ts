import { describe, expect, it } from 'vitest';
import { seatIds } from '../../../../layers/core/classroom/request/seat-ids';

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
