import { describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../../../../layers/base/errors';
import { decideExtend } from '../../../../layers/core/classroom/operations/extend';
import type { ClassRecord } from '../../../../layers/core/classroom/record/class-record';
import { retireAt } from '../../../../layers/core/classroom/record/timeline';
import { record } from '../record/fixtures';

// Europe/Berlin is UTC+1 in early March: the sessions run 08:00Z–11:00Z on 8, 9 and 10 March.
const NOW = new Date('2027-03-10T09:00:00Z');
const inState = (state: ClassRecord['state'], session = 2): ClassRecord => ({
  ...record(),
  state,
  session,
  version: 3,
});

describe('extend', () => {
  it('ends the current session later, in instants and wall-clock time, and moves its stop', () => {
    const end = new Date('2027-03-10T12:15:00Z');

    const decision = decideExtend(inState('ready'), NOW, end);

    const last = decision.record.plan.sessions[2];
    expect(last).toMatchObject({ end: '2027-03-10T13:15', endsAt: end.toISOString() });
    expect(decision.record.plan.schedule).toMatchObject({
      end: '2027-03-10T13:15',
      endsAt: end.toISOString(),
    });
    expect(decision.move).toMatchObject({
      at: end,
      name: expect.stringMatching(/-stop-2$/),
      input: { classId: 'class-1', step: 'stop', session: 2 },
    });
    expect(decision.record.next).toMatchObject({ step: 'stop', at: end.toISOString() });
    expect(decision.record.history.at(-1)).toMatchObject({
      from: 'ready',
      to: 'ready',
      step: 'extend',
      note: 'session 3 ends at 2027-03-10 12:15 UTC instead of 2027-03-10 11:00 UTC',
    });
    // The last session's end is the class's: its retirement moves with it.
    expect(retireAt(decision.record.plan)).toEqual(new Date('2027-03-17T12:15:00Z'));
    expect(decision.execution).toBeUndefined();
  });

  it('keeps the class whole for an earlier session: only that session ends later', () => {
    const decision = decideExtend(
      inState('ready', 0),
      new Date('2027-03-08T09:00:00Z'),
      new Date('2027-03-08T12:00:00Z'),
    );

    expect(decision.record.plan.sessions.map((s) => s.endsAt)).toEqual([
      '2027-03-08T12:00:00.000Z',
      '2027-03-09T11:00:00.000Z',
      '2027-03-10T11:00:00.000Z',
    ]);
    expect(decision.record.plan.schedule.endsAt).toBe(record().plan.schedule.endsAt);
  });

  it('is a repeat for the same end, and leaves the next step alone while seating', () => {
    const same = decideExtend(inState('ready'), NOW, new Date('2027-03-10T11:00:00Z'));
    const seating = decideExtend(inState('seating'), NOW, new Date('2027-03-10T12:00:00Z'));

    expect(same.kind).toBe('noop');
    expect(same.record).toEqual(inState('ready'));
    expect(seating.record.next).toBeNull();
    expect(seating.move?.at).toEqual(new Date('2027-03-10T12:00:00Z'));
  });

  it('refuses an end that is earlier, in the past, into the next session or past 14 days', () => {
    const ready = inState('ready', 1);
    const at = new Date('2027-03-09T09:00:00Z');
    const fails = (end: string) => () => decideExtend(ready, at, new Date(end));

    expect(fails('2027-03-09T10:00:00Z')).toThrow(ConflictError);
    expect(fails('2027-03-09T08:30:00Z')).toThrow(ValidationError);
    expect(fails('2027-03-10T08:00:00Z')).toThrow(
      /before session 3 starts \(2027-03-10 08:00 UTC\)/,
    );
    expect(() => decideExtend(inState('ready'), NOW, new Date('2027-03-23T08:00:00Z'))).toThrow(
      /at most 14 days/,
    );
  });

  it('refuses a class with no session to extend', () => {
    expect(() =>
      decideExtend(inState('scheduled', 0), NOW, new Date('2027-03-10T12:00:00Z')),
    ).toThrow(/no session has begun/);
    expect(() => decideExtend(inState('ended'), NOW, new Date('2027-03-10T12:00:00Z'))).toThrow(
      /last session is over/,
    );
    expect(() => decideExtend(inState('deleted'), NOW, new Date('2027-03-10T12:00:00Z'))).toThrow(
      ConflictError,
    );
    expect(() =>
      decideExtend(inState('stopped', 1), NOW, new Date('2027-03-10T12:00:00Z')),
    ).toThrow(/session 2 ended at 2027-03-09 11:00 UTC/);
  });
});

describe('extend, and the expiry tags of the class resources', () => {
  it('moves every resource expiry to the new retirement when the last session ends later, also on a repeat', () => {
    const end = new Date('2027-03-10T12:15:00Z');

    const decision = decideExtend(inState('ready'), NOW, end);
    const repeat = decideExtend(decision.record, NOW, end);

    const expiry = new Date(end.getTime() + 7 * 24 * 3_600_000).toISOString();
    expect(retireAt(decision.record.plan).toISOString()).toBe(expiry);
    expect(decision.retag).toEqual({
      classTags: { 'bakehouse:stack': 'bakehouse-test', 'bakehouse:class': 'class-1' },
      tags: { 'bakehouse:expires-at': expiry },
    });
    expect(repeat.kind).toBe('noop');
    expect(repeat.retag).toEqual(decision.retag);
  });

  it('leaves the tags alone when an earlier session ends later: the retirement stays', () => {
    const decision = decideExtend(
      inState('ready', 1),
      new Date('2027-03-09T09:00:00Z'),
      new Date('2027-03-09T12:00:00Z'),
    );

    expect(decision.kind).toBe('run');
    expect(decision.retag).toBeUndefined();
  });
});
