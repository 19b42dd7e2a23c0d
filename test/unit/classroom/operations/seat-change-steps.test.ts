import { describe, expect, it } from 'vitest';
import { addSeats } from '../../../../layers/core/classroom/operations/add-seats';
import { replaceSeat } from '../../../../layers/core/classroom/operations/replace-seat';
import { resendEmail } from '../../../../layers/core/classroom/operations/resend-email';
import {
  changeWork,
  finishedChange,
} from '../../../../layers/core/classroom/operations/seat-change-steps';
import type { ClassRecord } from '../../../../layers/core/classroom/record/class-record';
import { classIn, NOW, seat, seated } from './fixtures';

const late = { name: 'Late', email: 'late@example.edu' };
const added = () =>
  addSeats(classIn('ready'), seated(), { students: [late] }, NOW).record as ClassRecord;

describe('the start of a seat change', () => {
  it('gives added seats one batch of their own, recorded pending', () => {
    const work = changeWork(added(), seated(), 'c01');

    expect(work).toMatchObject({
      kind: 'seat',
      terminate: [],
      items: [{ seatId: 'seat-003', batchId: 'c01', state: 'pending', instanceId: null }],
      batch: { batchId: 'c01', seats: [{ seatId: 'seat-003', student: late, phase: 'launching' }] },
    });
  });

  it("terminates a replaced seat's instance once: a retry finds the seat already marked", () => {
    const record = replaceSeat(classIn('ready'), seated(), 'seat-002', {}, NOW)
      .record as ClassRecord;
    const first = changeWork(record, seated(), 'c01');
    expect(first).toMatchObject({ kind: 'seat', terminate: ['i-2'] });
    const marked = [seat(1), ...(first.kind === 'seat' ? first.items : [])];

    expect(changeWork(record, marked, 'c01')).toMatchObject({
      kind: 'seat',
      terminate: [],
      items: [],
    });
  });

  it("gives a resend the student's roster line, in the seat's batch", () => {
    const record = resendEmail(classIn('ready'), seated(), 'seat-001', {}, NOW)
      .record as ClassRecord;

    expect(changeWork(record, seated(), 'c01')).toEqual({
      kind: 'email',
      emails: [
        {
          batchId: 'b00',
          roster: [
            {
              seatId: 'seat-001',
              studentName: 'Student 1',
              email: 's1@example.edu',
              url: 'http://198.51.100.1:8888/',
              state: 'ready',
            },
          ],
        },
      ],
    });
  });

  it('refuses a change the class has moved past, and does nothing for a finished one', () => {
    expect(changeWork({ ...added(), state: 'stopped' }, seated(), 'c01')).toEqual({
      kind: 'refused',
      reason: 'the class is stopped: nothing is launched',
    });
    const done = finishedChange(added(), seated(), 'c01', { emailed: [] }).record as ClassRecord;
    expect(changeWork(done, seated(), 'c01')).toEqual({ kind: 'none' });
    expect(() => changeWork(added(), seated(), 'c07')).toThrow(/has no change c07/);
  });
});

describe('the end of a seat change', () => {
  it('is done with what was sent', () => {
    const seats = [...seated(), seat(3, { seatId: 'seat-003', batchId: 'c01', student: late })];
    const { record, items, failure } = finishedChange(added(), seats, 'c01', {
      emailed: [{ sent: 1, problems: [] }],
    });

    expect(failure).toBeNull();
    expect(items).toEqual([]);
    expect(record?.changes?.[0]).toMatchObject({
      state: 'done',
      note: '1 of 1 seats ready, 1 emailed',
    });
  });

  it("fails with the step's cause, and so do its seats still pending", () => {
    const pending = seat(3, {
      seatId: 'seat-003',
      batchId: 'c01',
      state: 'pending',
      instanceId: null,
      url: null,
    });
    const { record, items, failure } = finishedChange(added(), [...seated(), pending], 'c01', {
      failed: { SeatBatches: { Error: 'States.Timeout', Cause: 'too slow' } },
    });

    expect(failure).toBe('SeatBatches failed: States.Timeout: too slow');
    expect(items).toEqual([{ ...pending, state: 'failed', reason: failure }]);
    expect(record?.changes?.[0]).toMatchObject({ state: 'failed', note: failure });
  });

  it('answers a repeat on a failed change as the first time, changing nothing', () => {
    const failed = finishedChange(added(), seated(), 'c01', {
      failed: { SeatBatches: { Error: 'States.Timeout', Cause: 'too slow' } },
    }).record as ClassRecord;

    expect(finishedChange(failed, seated(), 'c01', {})).toEqual({
      record: null,
      items: [],
      failure: 'SeatBatches failed: States.Timeout: too slow',
    });
  });

  it('changes nothing when repeated on a finished change', () => {
    const done = finishedChange(added(), seated(), 'c01', { emailed: [] }).record as ClassRecord;
    expect(finishedChange(done, seated(), 'c01', { emailed: [] })).toEqual({
      record: null,
      items: [],
      failure: null,
    });
  });
});
