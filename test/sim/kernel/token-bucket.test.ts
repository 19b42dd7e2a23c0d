import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../local/sim/kernel/token-bucket';

describe('TokenBucket', () => {
  it('refills continuously up to its size and never goes negative', () => {
    // Prepare
    const bucket = new TokenBucket(5, 2, 0);

    // Act
    const drained = Array.from({ length: 6 }, () => bucket.take(0));
    const afterHalfSecond = bucket.take(500);
    const afterLongRest = Array.from({ length: 6 }, () => bucket.take(60_000));

    // Assess
    expect(drained).toEqual([true, true, true, true, true, false]);
    expect(afterHalfSecond).toBe(true);
    expect(afterLongRest).toEqual([true, true, true, true, true, false]);
  });
});
