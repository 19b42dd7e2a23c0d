import { setTimeout as wallSleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { EventClock } from '../../../local/sim/kernel/event-clock';

describe('EventClock', () => {
  it('jumps to each timer in order of time, and of setting for the same moment', async () => {
    // Prepare
    const clock = new EventClock(0, 1_000);
    const fired: string[] = [];
    const fireIn = (ms: number, name: string) =>
      clock.sleep(ms).then(() => fired.push(`${name}@${clock.now()}`));

    // Act
    await clock.drive(
      Promise.all([fireIn(300, 'c'), fireIn(100, 'a'), fireIn(300, 'd'), fireIn(200, 'b')]),
    );

    // Assess
    expect(fired).toEqual(['a@1100', 'b@1200', 'c@1300', 'd@1300']);
  });

  it('stands still while work runs, even work that waits on the wall clock', async () => {
    // Prepare
    const clock = new EventClock(0, 0);
    const seen: number[] = [];
    const work = clock.work(async () => {
      seen.push(clock.now());
      await wallSleep(30);
      seen.push(clock.now());
    });
    const timer = clock.sleep(10).then(() => seen.push(clock.now()));

    // Act
    await clock.drive(Promise.all([work, timer]));

    // Assess
    expect(seen).toEqual([0, 0, 10]);
  });

  it('runs work one at a time, in the order asked for, whatever each awaits', async () => {
    // Prepare
    const clock = new EventClock(0, 0);
    const order: string[] = [];
    const job = (name: string, wallMs: number) =>
      clock.work(async () => {
        order.push(`${name} starts`);
        await wallSleep(wallMs);
        order.push(`${name} ends`);
      });

    // Act
    await clock.drive(Promise.all([job('slow', 40), job('quick', 0)]));

    // Assess
    expect(order).toEqual(['slow starts', 'slow ends', 'quick starts', 'quick ends']);
  });

  it('lets other work run while one sleeps on simulated time', async () => {
    // Prepare
    const clock = new EventClock(0, 0);
    const order: string[] = [];
    const pacer = clock.work(async () => {
      order.push(`pacer sends @${clock.now()}`);
      await clock.sleep(1_000);
      order.push(`pacer sends @${clock.now()}`);
    });
    const other = clock.work(async () => {
      order.push(`other runs @${clock.now()}`);
    });

    // Act
    await clock.drive(Promise.all([pacer, other]));

    // Assess
    expect(order).toEqual(['pacer sends @0', 'other runs @0', 'pacer sends @1000']);
  });

  it('forgets a cancelled timer, and fires due timers when moved by hand', () => {
    // Prepare
    const clock = new EventClock(0, 0);
    const fired: number[] = [];
    const cancel = clock.at(50, () => fired.push(50));
    clock.at(80, () => fired.push(clock.now()));
    clock.at(500, () => fired.push(500));

    // Act
    cancel();
    clock.advance(100);

    // Assess
    expect(fired).toEqual([80]);
    expect(clock.now()).toBe(100);
    expect(clock.pending).toBe(1);
  });

  it('paces its jumps at scale simulated seconds per wall second', async () => {
    // Prepare
    const clock = new EventClock(1_000, 0);
    const started = performance.now();

    // Act
    await clock.drive(clock.sleep(60_000));

    // Assess
    expect(clock.now()).toBe(60_000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('takes an aborted sleep out of the queue and gives its turn back to the work around it', async () => {
    // Prepare
    const clock = new EventClock(0, 0);
    const stop = new AbortController();
    const order: string[] = [];
    const sleeper = clock.work(async () => {
      await clock.sleep(60_000, stop.signal);
      order.push('woke');
    });
    const stopper = clock.work(async () => {
      stop.abort(new Error('execution stopped'));
      order.push('stopped');
    });

    // Act
    await clock.drive(Promise.allSettled([sleeper, stopper]));
    const after = clock.work(async () => {
      await clock.sleep(5);
      order.push('after');
    });
    await clock.drive(after);

    // Assess
    await expect(sleeper).rejects.toThrow('execution stopped');
    expect(order).toEqual(['stopped', 'after']);
    expect(clock.now()).toBe(5);
    expect(clock.pending).toBe(0);
  });

  it('rejects a sleep that nothing drives instead of waiting for ever', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const clock = new EventClock(0, 0);
      const asleep = clock.sleep(1_000);
      const outcome = expect(asleep).rejects.toThrow(/never fired: nothing drives the clock/);

      // Act
      vi.advanceTimersByTime(10_001);

      // Assess
      await outcome;
      expect(clock.pending).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses to go backwards', () => {
    // Prepare
    const clock = new EventClock(0, 0);

    // Act / Assess
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.sleep(-1)).toThrow(RangeError);
  });
});
