import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../../layers/base/errors';
import { decideDelete } from '../../../../layers/core/classroom/operations/delete';
import {
  OPERATION_WINDOW_MINUTES,
  operationExecutionName,
} from '../../../../layers/core/classroom/operations/operation';
import { decideStart, decideStop } from '../../../../layers/core/classroom/operations/stop-start';
import { stepScheduleName } from '../../../../layers/core/classroom/plan/class-names';
import type { ClassRecord } from '../../../../layers/core/classroom/record/class-record';
import { record } from '../record/fixtures';

// Europe/Berlin is UTC+1 in early March: session 2 (index 1) runs 08:00Z–11:00Z on 9 March.
const IN_SESSION = new Date('2027-03-09T09:30:00Z');
const BETWEEN = new Date('2027-03-09T15:00:00Z');
const MINUTE = 60_000;

const inState = (state: ClassRecord['state'], change: Partial<ClassRecord> = {}): ClassRecord => ({
  ...record(),
  state,
  session: 1,
  version: 4,
  ...change,
});

describe('stop now', () => {
  it('starts the stop step of the current session, marking the record with its execution', () => {
    const ready = inState('ready');

    const decision = decideStop(ready, IN_SESSION);

    expect(decision.kind).toBe('run');
    expect(decision.cancel).toEqual([]);
    expect(decision.execution).toEqual({
      name: operationExecutionName(ready, 'stop'),
      input: { classId: 'class-1', step: 'stop', session: 1 },
    });
    expect(decision.record.operation).toEqual({
      name: 'stop',
      execution: decision.execution?.name,
      at: IN_SESSION.toISOString(),
    });
    expect(decision.record.state).toBe('ready');
  });

  it('names its execution after the class and the version read, within 80 characters', () => {
    const name = operationExecutionName(inState('ready', { version: 12 }), 'stop');
    expect(name).toBe(stepScheduleName({ classId: 'class-1' }, 'stop-12'));
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).not.toBe(operationExecutionName(inState('ready', { version: 13 }), 'stop'));
  });

  it('is a repeat for a class already stopped or ended, and resumes a stop under way', () => {
    expect(decideStop(inState('stopped'), IN_SESSION).kind).toBe('noop');
    expect(decideStop(inState('ended'), IN_SESSION).kind).toBe('noop');
    const first = decideStop(inState('ready'), IN_SESSION);

    const again = decideStop(
      { ...first.record, version: 5 },
      new Date(IN_SESSION.getTime() + MINUTE),
    );

    expect(again.execution?.name).toBe(first.execution?.name);
    expect(again.record.operation).toEqual(first.record.operation);
  });

  it('refuses, saying why, a class with no seat running', () => {
    expect(() => decideStop(inState('scheduled', { session: 0 }), IN_SESSION)).toThrow(
      /is scheduled: cannot stop: no seat runs yet; seating starts at 2027-03-08 07:40 UTC/,
    );
    expect(() => decideStop(inState('seating'), IN_SESSION)).toThrow(/being started/);
    expect(() => decideStop(inState('deleted'), IN_SESSION)).toThrow(ConflictError);
    expect(() => decideStop(inState('failed'), IN_SESSION)).toThrow(/terminated when it failed/);
  });

  it('refuses while another operation is under way, and not once its window has passed', () => {
    const started = decideStart(inState('stopped'), IN_SESSION).record;

    expect(() => decideStop({ ...started, state: 'ready' }, IN_SESSION)).toThrow(
      /a start is under way \(asked at 2027-03-09 09:30 UTC\)/,
    );
    const later = new Date(IN_SESSION.getTime() + OPERATION_WINDOW_MINUTES * MINUTE);
    expect(decideStop({ ...started, state: 'ready' }, later).kind).toBe('run');
  });
});

describe('start now', () => {
  it('starts the same session again when the class was stopped within it', () => {
    const decision = decideStart(inState('stopped'), IN_SESSION);

    expect(decision.execution?.input).toEqual({ classId: 'class-1', step: 'start', session: 1 });
    expect(decision.cancel).toEqual([]);
  });

  it('starts the next session now between sessions, cancelling its start schedule', () => {
    const decision = decideStart(inState('stopped'), BETWEEN);

    expect(decision.execution?.input).toEqual({ classId: 'class-1', step: 'start', session: 2 });
    expect(decision.cancel).toEqual([stepScheduleName({ classId: 'class-1' }, 'start-2')]);
    expect(decision.record.next).toBeNull();
  });

  it('seats a scheduled class now, cancelling its seating schedule', () => {
    const decision = decideStart(inState('scheduled', { session: 0 }), IN_SESSION);

    expect(decision.execution?.input).toEqual({ classId: 'class-1', step: 'seat', session: 0 });
    expect(decision.cancel).toEqual([stepScheduleName({ classId: 'class-1' }, 'seat-0')]);
  });

  it('is a repeat for a class ready or being seated; refuses an ended, deleted or failed one', () => {
    expect(decideStart(inState('ready'), IN_SESSION).kind).toBe('noop');
    expect(decideStart(inState('seating'), IN_SESSION).kind).toBe('noop');
    expect(() => decideStart(inState('ended', { session: 2 }), BETWEEN)).toThrow(
      /its last session ended at 2027-03-10 11:00 UTC; its seats are kept, stopped, until 2027-03-17 11:00 UTC/,
    );
    expect(() => decideStart(inState('deleted'), BETWEEN)).toThrow(/its seats are gone/);
    expect(() => decideStart(inState('failed'), BETWEEN)).toThrow(ConflictError);
  });
});

describe('start now, after a budget stop', () => {
  const budgetStop = {
    at: '2027-03-09T09:00:00.000Z',
    session: 1,
    budgetUSD: 20,
    spentUSD: 18.5,
    crossesAt: '2027-03-09T09:10:00.000Z',
  };

  it('records the start on the budget stop, so the class is not stopped for its budget again', () => {
    const decision = decideStart(inState('stopped', { budgetStop }), IN_SESSION);

    expect(decision.execution?.input).toEqual({ classId: 'class-1', step: 'start', session: 1 });
    expect(decision.record.budgetStop).toEqual({
      ...budgetStop,
      startedAt: IN_SESSION.toISOString(),
    });
  });

  it('starts the next session between sessions, cancelling the retirement it was waiting for', () => {
    const decision = decideStart(inState('stopped', { budgetStop }), BETWEEN);

    expect(decision.execution?.input).toEqual({ classId: 'class-1', step: 'start', session: 2 });
    expect(decision.cancel).toEqual([stepScheduleName(record().plan, 'retire')]);
    expect(decision.record.budgetStop?.startedAt).toBe(BETWEEN.toISOString());
  });

  it('refuses a class stopped after its last session', () => {
    expect(() =>
      decideStart(inState('stopped', { budgetStop, session: 2 }), new Date('2027-03-10T15:00:00Z')),
    ).toThrow(/its last session is over/);
  });
});

describe('delete', () => {
  it('moves the class to deleted at once and starts its retirement', () => {
    for (const state of ['scheduled', 'ready', 'stopped', 'ended', 'failed'] as const) {
      const decision = decideDelete(inState(state), BETWEEN);

      expect(decision.record.state, state).toBe('deleted');
      expect(decision.record.next).toBeNull();
      expect(decision.record.history.at(-1)).toMatchObject({
        from: state,
        to: 'deleted',
        step: 'delete',
      });
      expect(decision.execution?.input).toEqual({ classId: 'class-1', step: 'retire', session: 1 });
    }
  });

  it('resumes its own retirement just after, then is a repeat; refuses a class being seated', () => {
    const deleted = decideDelete(inState('ready'), BETWEEN).record;

    const resumed = decideDelete(deleted, new Date(BETWEEN.getTime() + MINUTE));
    const repeat = decideDelete({ ...deleted, operation: null }, BETWEEN);

    expect(resumed.execution?.name).toBe(deleted.operation?.execution);
    expect(repeat.kind).toBe('noop');
    expect(() => decideDelete(inState('seating'), BETWEEN)).toThrow(/being started/);
  });
});
