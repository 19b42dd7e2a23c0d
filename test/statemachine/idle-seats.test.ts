/**
 * Seats that stop themselves when idle (`idleMinutes`), on the simulated AWS over a two-session
 * class: a seat nobody uses powers off at Jupyter's first idle check after the window, a seat
 * whose student keeps working stays up, the session's stop and the next session's start treat
 * both as they treat any seat, and a seat stopped by itself costs nothing while it is stopped.
 */
import { rmSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { classSeats } from '../../layers/aws/dynamodb';
import { resolvePublicParameter } from '../../layers/aws/ssm';
import { parseSeatRecords } from '../../layers/core/classroom/record/class-record';
import { runLocal } from '../../local/runner';
import { sessionsFrom } from '../../local/session-soon';
import { idlePowerOffAt } from '../../local/sim/seat-network';
import { LOCAL_CLASSES_TABLE } from '../../local/simulation';
import { simulatedAws } from './simulated';

const OUTBOX = '.cache/test-outbox-idle';
const STORE = { region: 'us-east-1', table: LOCAL_CLASSES_TABLE };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const CLASS_ID = 'class-idle';

beforeEach(() => {
  rmSync(OUTBOX, { recursive: true, force: true });
});

describe('the idle power-off of a simulated seat', () => {
  it("comes at Jupyter's first once-a-minute check past the window, counted from the last request", () => {
    const ready = 1_000_000;
    // No request since the start: checks at ready + 1, 2, … min; the 31st is past 30 minutes.
    expect(idlePowerOffAt(ready, 0, 30)).toBe(ready + 31 * MINUTE + 3_000);
    // A request 10.5 minutes in: 40.5 minutes is passed at the 41st check.
    expect(idlePowerOffAt(ready, ready + 10.5 * MINUTE, 30)).toBe(ready + 41 * MINUTE + 3_000);
    // A request exactly on a check still needs the next one.
    expect(idlePowerOffAt(ready, ready + 5 * MINUTE, 1)).toBe(ready + 7 * MINUTE + 3_000);
  });
});

describe('a class whose seats stop themselves when idle', () => {
  it('stops the unused seats after the window, keeps the busy one, and starts all for the next session', async () => {
    // Prepare: three students, two 8-hour sessions a day apart, a 30-minute idle window
    const sim = simulatedAws({ outboxDir: OUTBOX });
    const image = await resolvePublicParameter(
      'us-east-1',
      '/aws/service/debian/release/12/latest/amd64',
    );
    const sessions = sessionsFrom(sim.clock.now(), [
      { startMinutes: 24 * 60, minutes: 480 },
      { startMinutes: 48 * 60, minutes: 480 },
    ]);
    const [first, second] = sessions.map((t) => ({
      start: Date.parse(`${t.start}:00Z`),
      end: Date.parse(`${t.end}:00Z`),
    })) as [{ start: number; end: number }, { start: number; end: number }];
    const booked = await runLocal(
      'classroom',
      {
        request: {
          name: 'idle-class',
          image,
          students: [1, 2, 3].map((n) => ({ name: `Student ${n}`, email: `s${n}@example.edu` })),
          sessions,
          timezone: 'UTC',
          idleMinutes: 30,
          tls: { mode: 'none' },
          instructor: { email: 'ada@example.edu' },
          sender: 'classes@example.edu',
        },
      },
      { clock: sim.clock, executionName: CLASS_ID },
    );
    expect(booked.status, booked.cause).toBe('SUCCEEDED');
    const seats = async () => parseSeatRecords(await classSeats(STORE, CLASS_ID));
    const stateOf = (instanceId: string | null | undefined) =>
      sim.ec2.instances().find((i) => i.instanceId === instanceId)?.state;

    // Act: seated at the lead time; student 1 works through the first three hours
    await sim.executions.until(first.start - 20 * MINUTE);
    const seated = await seats();
    expect(seated.map((s) => stateOf(s.instanceId))).toEqual(['running', 'running', 'running']);
    const [busy, ...unused] = seated as [(typeof seated)[0], ...typeof seated];
    let lastVisit = 0;
    for (let at = first.start; at <= first.start + 3 * HOUR; at += 10 * MINUTE) {
      await sim.executions.until(at);
      const page = await sim.fetch(busy.url as string);
      expect(page.status).toBeLessThan(500);
      lastVisit = sim.clock.now();
    }
    const afterUnused = sim.clock.now();
    const unusedStates = unused.map((s) => stateOf(s.instanceId));
    await sim.executions.until(lastVisit + 29 * MINUTE);
    const busyStillUp = stateOf(busy.instanceId);
    await sim.executions.until(lastVisit + 32 * MINUTE);
    const busyAfterWindow = stateOf(busy.instanceId);
    await sim.executions.until(first.end + MINUTE);
    const stopRan = sim.executions.runs.find((r) => (r.input as { step?: string }).step === 'stop');
    await sim.executions.until(second.start);
    const secondSession = (await seats()).map((s) => stateOf(s.instanceId));

    // Assess: the unused seats were stopped long before the third hour
    expect(afterUnused).toBeGreaterThan(first.start + 3 * HOUR - MINUTE);
    expect(unusedStates).toEqual(['stopped', 'stopped']);
    expect(busyStillUp).toBe('running');
    expect(busyAfterWindow).not.toBe('running');
    const stoppedThemselves = sim.events
      .list()
      .filter((e) => e.message.includes('stopped itself: idle for 30 min'))
      .map((e) => e.message.split(' ')[0]);
    expect(stoppedThemselves.sort()).toEqual(seated.map((s) => s.instanceId).sort());
    // The session's stop found them stopped and still succeeded; the next session started all.
    expect(stopRan?.status, stopRan?.cause).toBe('SUCCEEDED');
    expect(secondSession).toEqual(['running', 'running', 'running']);
  });
});
