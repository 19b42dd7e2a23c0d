import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../../../layers/base/errors';
import { addSeats } from '../../../../layers/core/classroom/operations/add-seats';
import { replaceSeat } from '../../../../layers/core/classroom/operations/replace-seat';
import { classIn, NOW, seat, seated } from './fixtures';

describe('replacing a seat', () => {
  it('records a pending change for the seat and its student', () => {
    const { change, record } = replaceSeat(classIn('ready'), seated(), 'seat-002', {}, NOW);

    expect(change).toMatchObject({
      kind: 'replace',
      state: 'pending',
      seats: [{ seatId: 'seat-002', student: { email: 's2@example.edu' } }],
    });
    expect(record?.changes).toHaveLength(1);
  });

  it('replaces a failed or unplaced seat too', () => {
    const seats = [seat(1, { state: 'failed', instanceId: null }), seat(2, { state: 'unplaced' })];
    expect(replaceSeat(classIn('ready'), seats, 'seat-001', {}, NOW).change).not.toBeNull();
    expect(replaceSeat(classIn('ready'), seats, 'seat-002', {}, NOW).change).not.toBeNull();
  });

  it('is the same request while its replacement is under way, with or without a key', () => {
    const first = replaceSeat(classIn('ready'), seated(), 'seat-001', { key: 'r1' }, NOW);
    const record = first.record as never;

    expect(replaceSeat(record, seated(), 'seat-001', {}, NOW)).toEqual({
      record: null,
      change: first.change,
    });
    expect(replaceSeat(record, seated(), 'seat-001', { key: 'r1' }, NOW).change).toEqual(
      first.change,
    );
    expect(() => replaceSeat(record, seated(), 'seat-002', { key: 'r1' }, NOW)).toThrow(
      /key r1 already names change c01/,
    );
  });

  it('answers 404 for a seat the class does not have', () => {
    expect(() => replaceSeat(classIn('ready'), seated(), 'seat-009', {}, NOW)).toThrow(
      NotFoundError,
    );
  });

  it.each([
    ['stopped', /stopped between sessions: replace one once the next session has started/],
    ['scheduled', /no seat is launched yet/],
    ['seating', /replace one once it is ready/],
    ['ended', /only while it is ready/],
    ['deleted', /only while it is ready/],
  ] as const)('refuses it in a %s class', (state, reason) => {
    const refusal = () => replaceSeat(classIn(state), seated(), 'seat-001', {}, NOW);
    expect(refusal).toThrow(ConflictError);
    expect(refusal).toThrow(reason);
  });

  it('refuses a seat still being added, and one that is terminated', () => {
    const late = { name: 'Late', email: 'late@example.edu' };
    const adding = addSeats(classIn('ready'), seated(), { students: [late] }, NOW).record as never;
    expect(() => replaceSeat(adding, seated(), 'seat-003', {}, NOW)).toThrow(
      /seat-003 is still being added \(c01\)/,
    );
    const gone = [seat(1, { state: 'terminated' })];
    expect(() => replaceSeat(classIn('ready'), gone, 'seat-001', {}, NOW)).toThrow(
      /seat-001 is terminated/,
    );
  });
});
