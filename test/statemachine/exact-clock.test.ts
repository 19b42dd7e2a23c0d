/**
 * The exact clock under the real state machines: same seed, same run, byte for byte; retries wait
 * as the ASL says; task timeouts fall on simulated time.
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { benchClassroom } from '../../bench/scenarios';
import { resolvePublicParameter } from '../../layers/aws/ssm';
import { loadRecipe } from '../../local/recipe-files';
import { Recorder } from '../../local/record';
import { type EventLog, runLocal } from '../../local/runner';
import { sessionStartingSoon } from '../../local/session-soon';
import type { SimOptions } from '../../local/sim';
import { EventClock } from '../../local/sim/kernel/event-clock';
import { startSimulation } from '../../local/simulation';

const OUTBOX = '.cache/test-outbox-exact';

function exactSim(options: SimOptions = {}, recorder?: Recorder) {
  rmSync(OUTBOX, { recursive: true, force: true });
  return startSimulation(
    {
      clock: 'exact',
      scale: 0,
      seed: 7,
      start: Date.UTC(2026, 10, 2, 9, 0, 0),
      outboxDir: OUTBOX,
      ...options,
    },
    { recorder },
  );
}

const students = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    name: `Student ${i + 1}`,
    email: `s${i + 1}@example.edu`,
  }));

async function classroom(options: SimOptions, seats: number, environment = {}) {
  const sim = exactSim(options);
  const image = await resolvePublicParameter(
    'us-east-1',
    '/aws/service/debian/release/12/latest/amd64',
  );
  const request = {
    name: 'exact-class',
    image,
    students: students(seats),
    schedule: sessionStartingSoon(sim.clock.now()),
    instructor: { email: 'instructor@example.edu' },
    sender: 'classes@example.edu',
  };
  const run = await runLocal(
    'classroom',
    { request },
    { clock: sim.clock, executionName: 'exact-class', environment },
  );
  return { sim, run };
}

const stateEvents = (events: EventLog[], type: string, name: string) =>
  events.filter((e) => e.type === type && 'state' in e && e.state.name === name) as (EventLog & {
    timestamp: number;
    Error?: string;
  })[];

describe('the exact clock under the state machines', () => {
  it('runs a classroom twice with one seed to the same events and calls, byte for byte', async () => {
    const first = await classroom({ seed: 7 }, 12);
    const again = await classroom({ seed: 7 }, 12);
    const other = await classroom({ seed: 8 }, 12);

    expect(first.run.status, first.run.cause).toBe('SUCCEEDED');
    const trace = ({ sim, run }: typeof first) =>
      JSON.stringify({ events: run.events, cloud: sim.events.list(), calls: sim.calls });
    expect(trace(again)).toBe(trace(first));
    expect(trace(other)).not.toBe(trace(first));
  });

  it('waits out throttled launches with the ASL backoff and full jitter, on simulated time', async () => {
    const launches: number[] = [];
    const recorder = new Recorder().onRequest((r) => {
      if (r.operation === 'RunInstances' && r.function === 'launchBuilder')
        launches.push(sim.clock.now());
    });
    const sim = exactSim({ faults: { throttle: { RunInstances: 2 } } }, recorder);
    const recipe = await loadRecipe('examples/recipes/debian-notebook.yaml');

    const run = await runLocal(
      'bake',
      { recipe },
      { clock: sim.clock, executionName: 'exact-bake' },
    );

    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(run.retries).toBe(2);
    const [t0 = 0, t1 = 0, t2 = 0] = launches;
    expect(launches).toHaveLength(3);
    // LaunchBuilder: IntervalSeconds 2, BackoffRate 2, JitterStrategy FULL.
    expect(t1 - t0).toBeGreaterThanOrEqual(0);
    expect(t1 - t0).toBeLessThanOrEqual(2_000);
    expect(t2 - t1).toBeLessThanOrEqual(4_000);
    expect(t2 - t0).toBeGreaterThan(0);
  });

  it('times a task out after its TimeoutSeconds of simulated time', async () => {
    // Every send throttled: each email backs off 8 times before it is given up, and the seats
    // ready at one poll take the poll past AdvanceSeats' 300 s.
    const { run } = await classroom(
      { faults: { errors: [{ call: 'SESv2:SendEmail', kind: 'throttle' }] } },
      40,
    );

    const entered = stateEvents(run.events, 'StateEntered', 'AdvanceSeats');
    const [failed] = stateEvents(run.events, 'StateFailed', 'AdvanceSeats');
    expect(failed?.Error).toBe('States.Timeout');
    const start = entered.filter((e) => e.timestamp <= (failed?.timestamp ?? 0)).at(-1);
    expect((failed?.timestamp ?? 0) - (start?.timestamp ?? 0)).toBe(300_000);
  });

  it("takes an aborted execution's Wait off the clock, so the next run is not woken by it", async () => {
    const sim = exactSim();
    const image = await resolvePublicParameter(
      'us-east-1',
      '/aws/service/debian/release/12/latest/amd64',
    );
    const request = {
      name: 'exact-class',
      image,
      students: students(2),
      schedule: sessionStartingSoon(sim.clock.now()),
      instructor: { email: 'instructor@example.edu' },
      sender: 'classes@example.edu',
    };

    const run = await runLocal(
      'classroom',
      { request },
      {
        clock: sim.clock,
        executionName: 'exact-aborted',
        abortWhen: (e) => e.type === 'StateEntered' && e.state.name === 'WaitForSeats',
      },
    );

    expect(run.status).toBe('ABORTED');
    expect(sim.clock).toBeInstanceOf(EventClock);
    // What stays on the clock is the session's stop schedule (set before the seats launched),
    // not the aborted execution's Wait.
    expect(sim.scheduler.schedules().map((s) => s.name)).toEqual([
      expect.stringMatching(/-stop-0$/),
    ]);
    expect((sim.clock as EventClock).pending).toBe(1);
  });

  it('refuses a scale of 0 off the exact clock rather than waiting on wall-clock timers', async () => {
    await expect(runLocal('classroom', {}, { timeScale: 0 })).rejects.toThrow(
      /pass an EventClock as `clock`/,
    );
  });

  it('benchmarks a classroom to the same figures twice', async () => {
    const first = await benchClassroom(10);
    const again = await benchClassroom(10);

    expect(JSON.stringify(again.figures)).toBe(JSON.stringify(first.figures));
    expect(first.figures).toMatchObject({
      status: 'SUCCEEDED',
      readySeats: 10,
      leakedInstances: 0,
    });
    expect(first.figures.idealSeconds).toBeGreaterThan(0);
    expect(first.figures.simSecondsToRoster).toBeGreaterThan(first.figures.idealSeconds);
  });
});
