import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ScaledClock } from '../../../local/sim/kernel/clock';
import { Random } from '../../../local/sim/kernel/random';

describe('ScaledClock', () => {
  it('runs scale times faster than the wall clock', async () => {
    // Prepare
    const clock = new ScaledClock(1000, 0);

    // Act
    await sleep(50);

    // Assess
    expect(clock.now()).toBeGreaterThanOrEqual(45_000);
    expect(clock.now()).toBeLessThan(5 * 60_000);
  });

  it('stands still at scale 0 until advanced', async () => {
    // Prepare
    const clock = new ScaledClock(0, 1_000);

    // Act
    await sleep(20);
    const still = clock.now();
    clock.advance(500);

    // Assess
    expect(still).toBe(1_000);
    expect(clock.now()).toBe(1_500);
  });

  it('stops while held, resumes from the same moment, and still advances on request', async () => {
    // Prepare
    const clock = new ScaledClock(1000, 0);
    clock.hold();
    clock.hold();
    const held = clock.now();

    // Act
    await sleep(30);
    const during = clock.now();
    clock.advance(7);
    clock.release();
    const stillHeld = clock.now();
    clock.release();
    const resumed = clock.now();

    // Assess
    expect(during).toBe(held);
    expect(stillHeld).toBe(held + 7);
    expect(resumed - (held + 7)).toBeLessThan(20_000);
  });

  it('refuses to go backwards or to release more than it held', () => {
    // Prepare
    const clock = new ScaledClock(0, 0);

    // Act / Assess
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.release()).toThrow(/without a matching hold/);
  });
});

describe('Random', () => {
  it('repeats its draws for the same seed', () => {
    // Prepare
    const a = new Random(7);
    const b = new Random(7);

    // Act / Assess
    expect([a.next(), a.hex(17), a.uuid()]).toEqual([b.next(), b.hex(17), b.uuid()]);
  });

  it('draws latencies around the median with the 95th percentile where asked', () => {
    // Prepare
    const random = new Random(3);

    // Act
    const draws = Array.from({ length: 4000 }, () => random.latency(60, 180)).sort((x, y) => x - y);

    // Assess
    expect(draws[2000]).toBeGreaterThan(54);
    expect(draws[2000]).toBeLessThan(66);
    expect(draws[3800]).toBeGreaterThan(160);
    expect(draws[3800]).toBeLessThan(200);
  });
});
