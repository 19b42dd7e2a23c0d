import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClassRecord } from '../../../layers/core/classroom/record/class-record';
import {
  BUDGET_RECHECK_MINUTES,
  BUDGET_STOP_MARGIN_MINUTES,
  budgetNote,
  budgetStopOf,
  budgetVerdict,
  budgetWatchStep,
  projectBudget,
} from '../../../layers/core/cost/budget-watch';
import { classCostSoFar } from '../../../layers/core/cost/class-spend';
import { record, seat } from '../classroom/record/fixtures';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// The fixture's first session: seated from 07:40Z, ready at 07:45Z, ends 11:00Z.
const SEATED = Date.parse('2027-03-08T07:40:00Z');
const READY = Date.parse('2027-03-08T07:45:00Z');
const SEATS = [seat(1), seat(2), seat(3)];
// Seven days after the last session (10 March, 11:00Z)
const RETIRED = Date.parse('2027-03-17T11:00:00Z');

/** A class of three t3.medium seats, ready since 07:45Z, booked with `budgetUSD`. */
function ready(budgetUSD?: number, change: Partial<ClassRecord> = {}): ClassRecord {
  const base = record();
  return {
    ...base,
    state: 'ready',
    request: budgetUSD === undefined ? {} : { budgetUSD },
    history: [
      ...base.history,
      { at: new Date(SEATED).toISOString(), from: 'scheduled', to: 'seating', step: 'seat' },
      { at: new Date(READY).toISOString(), from: 'seating', to: 'ready', step: 'seat' },
    ],
    ...change,
  };
}

const at = (ms: number) => new Date(ms);

describe('projectBudget', () => {
  it('puts the crossing where the money left after the volumes until termination runs out, and the stop its margin before', () => {
    // Act: $10 left of $50, $0.05/h of volumes for 100 h keeps back $5, $2/h running
    const now = at(Date.parse('2027-03-02T09:00:00Z'));
    const projection = projectBudget({
      budgetUSD: 50,
      soFar: { spentUSD: 40, exactUSD: 40, runningUSDPerHour: 2, storedUSDPerHour: 0.05 },
      terminatesAt: at(now.getTime() + 100 * HOUR),
      now,
    });

    // Assess
    expect(projection.crossesAt?.toISOString()).toBe('2027-03-02T11:30:00.000Z');
    expect(projection.stopAt?.toISOString()).toBe('2027-03-02T11:20:00.000Z');
  });
});

describe('budgetVerdict', () => {
  it('keeps no watch on a class booked without a budget, nor on one that is not ready', () => {
    // Act
    const none = budgetVerdict(ready(), SEATS, at(READY + HOUR));
    const stopped = budgetVerdict(ready(5, { state: 'stopped' }), SEATS, at(READY + HOUR));

    // Assess
    expect(none).toEqual({ kind: 'none', why: 'no budget was booked' });
    expect(stopped).toEqual({ kind: 'none', why: 'it is stopped' });
  });

  it('looks again after the recheck interval when the crossing is further off', () => {
    // Act
    const now = READY + HOUR;
    const verdict = budgetVerdict(ready(100), SEATS, at(now));

    // Assess
    expect(verdict.kind).toBe('watch');
    if (verdict.kind !== 'watch') return;
    expect(verdict.checkAt.getTime()).toBe(now + BUDGET_RECHECK_MINUTES * MINUTE);
    expect(verdict.crossesAt?.getTime()).toBeGreaterThan(now + 24 * HOUR);
  });

  it('looks again at the crossing less the margin when that comes first, on a whole second', () => {
    // Prepare: what three seats have cost after an hour and burn per hour
    const now = READY + HOUR;
    const soFar = classCostSoFar(ready(1), SEATS, at(now));
    const kept = soFar.storedUSDPerHour * ((RETIRED - now) / HOUR);
    // Twenty minutes of the running seats left
    const budgetUSD = soFar.exactUSD + kept + soFar.runningUSDPerHour / 3;

    // Act
    const verdict = budgetVerdict(ready(budgetUSD), SEATS, at(now));

    // Assess
    expect(verdict.kind).toBe('watch');
    if (verdict.kind !== 'watch' || !verdict.stopAt || !verdict.crossesAt) return;
    expect(verdict.crossesAt.getTime() - verdict.stopAt.getTime()).toBe(
      BUDGET_STOP_MARGIN_MINUTES * MINUTE,
    );
    expect(verdict.checkAt.getTime()).toBeLessThan(now + BUDGET_RECHECK_MINUTES * MINUTE);
    expect(verdict.checkAt.getTime() % 1000).toBe(0);
    expect(verdict.checkAt.getTime() - verdict.stopAt.getTime()).toBeGreaterThanOrEqual(0);
    expect(verdict.checkAt.getTime() - verdict.stopAt.getTime()).toBeLessThan(1000);
  });

  it('stops a ready class once the crossing is within the margin, or already past', () => {
    // Act
    const now = READY + 2 * HOUR;
    const spent = classCostSoFar(ready(1), SEATS, at(now)).spentUSD;
    const within = budgetVerdict(ready(spent + 0.01), SEATS, at(now));
    const past = budgetVerdict(ready(spent / 2), SEATS, at(now));

    // Assess
    expect(within.kind).toBe('stop');
    expect(past.kind).toBe('stop');
    if (past.kind === 'stop') expect(past.crossesAt?.getTime()).toBe(now);
  });

  it('stops again a ready class whose budget stop is recorded (a repeat), and never one started past it', () => {
    // Prepare
    const now = at(READY + HOUR);
    const stop = {
      at: now.toISOString(),
      session: 0,
      budgetUSD: 100,
      spentUSD: 1,
      crossesAt: now.toISOString(),
    };

    // Act
    const repeat = budgetVerdict(ready(100, { budgetStop: stop }), SEATS, now);
    const started = budgetVerdict(
      ready(0.01, { budgetStop: { ...stop, startedAt: now.toISOString() } }),
      SEATS,
      now,
    );

    // Assess
    expect(repeat.kind).toBe('stop');
    expect(started).toEqual({ kind: 'none', why: 'it was started again past its budget' });
  });

  it('stops before the crossing whatever the budget, when each look comes at the time the last one set', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 20, noNaN: true }), (budgetUSD) => {
        // Act: look at the class as its schedules would, from the moment it is ready
        let now = READY;
        let verdict = budgetVerdict(ready(budgetUSD), SEATS, at(now));
        for (let looks = 0; verdict.kind === 'watch' && looks < 1000; looks++) {
          now = verdict.checkAt.getTime();
          verdict = budgetVerdict(ready(budgetUSD), SEATS, at(now));
        }

        // Assess: stopped, at most the margin (and a second) before the crossing, never after
        expect(verdict.kind).toBe('stop');
        if (verdict.kind !== 'stop' || !verdict.crossesAt) return;
        const early = verdict.crossesAt.getTime() - now;
        if (verdict.crossesAt.getTime() > READY) {
          expect(early).toBeGreaterThan(0);
          expect(early).toBeLessThanOrEqual(BUDGET_STOP_MARGIN_MINUTES * MINUTE);
        }
      }),
      // The example is a budget that the spend rounded to cents once brought past its crossing.
      { numRuns: 60, examples: [[7.074027288833333]] },
    );
  });
});

describe('the budget stop as recorded', () => {
  it('keeps the spend, the budget and the crossing, and says them in the history note', () => {
    // Prepare
    const now = at(READY + HOUR);
    const projection = projectBudget({
      budgetUSD: 2,
      soFar: { spentUSD: 1.25, exactUSD: 1.25, runningUSDPerHour: 0.5, storedUSDPerHour: 0 },
      terminatesAt: now,
      now,
    });

    // Act
    const stop = budgetStopOf({ session: 1 }, projection, now);

    // Assess
    expect(stop).toEqual({
      at: now.toISOString(),
      session: 1,
      budgetUSD: 2,
      spentUSD: 1.25,
      crossesAt: new Date(now.getTime() + 1.5 * HOUR).toISOString(),
    });
    expect(budgetNote(stop)).toBe(
      `stopped for budget: $1.25 spent of $2.00, which it would have crossed at ${stop.crossesAt}`,
    );
    expect(budgetWatchStep(1, now)).toBe(`budget-1-${now.getTime() / 1000}`);
  });
});
