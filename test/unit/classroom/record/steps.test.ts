import { describe, expect, it } from 'vitest';
import {
  keepsRunning,
  nextStep,
  scheduledAt,
  seatsNeededBy,
  stopsEarly,
} from '../../../../layers/core/classroom/record/steps';
import { retireAt, seatingAt } from '../../../../layers/core/classroom/record/timeline';
import { planned, record } from './fixtures';

// Europe/Berlin is UTC+1 in early March: 09:00 local is 08:00Z.
describe('the next step of a class', () => {
  it('seats a scheduled class its lead time before the first session', () => {
    expect(nextStep(record())).toMatchObject({
      step: 'seat',
      session: 0,
      name: 'seat-0',
      at: new Date('2027-03-08T07:40:00Z'),
    });
  });

  it('stops a ready class when its session ends, and starts a stopped one before the next', () => {
    expect(nextStep({ ...record(), state: 'ready', session: 1 })).toMatchObject({
      step: 'stop',
      session: 1,
      name: 'stop-1',
      at: new Date('2027-03-09T11:00:00Z'),
    });
    expect(nextStep({ ...record(), state: 'stopped', session: 1 })).toMatchObject({
      step: 'start',
      session: 2,
      name: 'start-2',
      at: new Date('2027-03-10T07:40:00Z'),
    });
  });

  it('retires an ended class after its retention (7 days by default) and waits for nothing else', () => {
    expect(nextStep({ ...record(), state: 'ended', session: 2 })).toMatchObject({
      step: 'retire',
      name: 'retire',
      at: new Date('2027-03-17T11:00:00Z'),
    });
    expect(nextStep({ ...record(), state: 'stopped', session: 2 })).toBeNull();
    for (const state of ['seating', 'deleted', 'failed'] as const)
      expect(nextStep({ ...record(), state })).toBeNull();
  });

  it('takes the lead time and retention from the request', () => {
    const plan = planned({ leadMinutes: 45, retainDays: 0 });
    expect(seatingAt(plan, 0)).toEqual(new Date('2027-03-08T07:15:00Z'));
    expect(retireAt(plan)).toEqual(new Date('2027-03-10T11:00:00Z'));
  });

  it('needs seats only once the lead time has come', () => {
    const plan = planned();
    expect(seatsNeededBy(plan, new Date('2027-03-08T07:39:59Z'))).toBe(false);
    expect(seatsNeededBy(plan, new Date('2027-03-08T07:40:00Z'))).toBe(true);
  });

  it('keeps seats running only into a session whose lead time has come', () => {
    const plan = planned({
      sessions: [
        { start: '2027-03-08T09:00', end: '2027-03-08T12:00' },
        { start: '2027-03-08T12:10', end: '2027-03-08T15:00' },
      ],
    });
    expect(keepsRunning(plan, 0, new Date('2027-03-08T11:00:00Z'))).toBe(true);
    expect(keepsRunning(plan, 1, new Date('2027-03-08T14:00:00Z'))).toBe(false);
    expect(keepsRunning(planned(), 0, new Date('2027-03-08T11:00:00Z'))).toBe(false);
  });

  it('never schedules a step in the past: a minute from now, or at once for a retirement', () => {
    const now = new Date('2027-03-20T00:00:00Z');
    const late = nextStep({ ...record(), state: 'stopped', session: 0 });
    const retire = nextStep({ ...record(), state: 'ended', session: 2 });
    if (!late || !retire) throw new Error('no next step');

    expect(scheduledAt(late, now)).toEqual(new Date('2027-03-20T00:01:00Z'));
    expect(scheduledAt(retire, now)).toBe('now');
    expect(scheduledAt(late, new Date('2027-03-01T00:00:00Z'))).toEqual(late.at);
  });
});

describe('a class stopped within its session', () => {
  it('is stopped again at the session end, which ends the session; after it, waits for the next', () => {
    const stopped = { ...record(), state: 'stopped' as const, session: 1 };

    expect(nextStep(stopped, new Date('2027-03-09T09:30:00Z'))).toMatchObject({
      step: 'stop',
      session: 1,
      name: 'stop-1',
      at: new Date('2027-03-09T11:00:00Z'),
    });
    expect(nextStep(stopped, new Date('2027-03-09T11:00:00Z'))).toMatchObject({
      step: 'start',
      session: 2,
    });
  });

  it('counts a stop as early only a minute or more before the session ends', () => {
    const plan = planned();
    expect(stopsEarly(plan, 1, new Date('2027-03-09T10:58:59Z'))).toBe(true);
    expect(stopsEarly(plan, 1, new Date('2027-03-09T10:59:00Z'))).toBe(false);
  });
});

describe('a class stopped for its budget', () => {
  const budgetStop = {
    at: '2027-03-09T09:30:00.000Z',
    session: 1,
    budgetUSD: 20,
    spentUSD: 18.5,
    crossesAt: '2027-03-09T09:40:00.000Z',
  };

  it('is stopped at its session end as any early stop, then waits for its retirement, not the next session', () => {
    const held = { ...record(), state: 'stopped' as const, session: 1, budgetStop };

    expect(nextStep(held, new Date('2027-03-09T09:31:00Z'))).toMatchObject({
      step: 'stop',
      session: 1,
    });
    expect(nextStep(held, new Date('2027-03-09T11:00:00Z'))).toMatchObject({
      step: 'retire',
      name: 'retire',
      at: retireAt(held.plan),
    });
  });

  it('goes on to its next session once the start operation took it on past its budget', () => {
    const started = {
      ...record(),
      state: 'stopped' as const,
      session: 1,
      budgetStop: { ...budgetStop, startedAt: '2027-03-09T09:45:00.000Z' },
    };

    expect(nextStep(started, new Date('2027-03-09T11:00:00Z'))).toMatchObject({
      step: 'start',
      session: 2,
    });
  });
});
