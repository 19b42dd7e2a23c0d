import { describe, expect, it } from 'vitest';
import { ConflictError, QuotaError, type ValidationError } from '../../../../layers/base/errors';
import { parseOrThrow } from '../../../../layers/base/validate';
import {
  AddSeatsBodySchema,
  addSeats,
} from '../../../../layers/core/classroom/operations/add-seats';
import { BOOKING, classIn, NOW, seated } from './fixtures';

const late = { name: 'Late Student', email: 'late@example.edu' };

describe('adding seats to a ready class', () => {
  it('records one pending change with the new seats numbered after the last', () => {
    const { record, change } = addSeats(classIn('ready'), seated(), { students: [late] }, NOW);

    expect(change).toMatchObject({
      id: 'c01',
      kind: 'add',
      state: 'pending',
      seats: [{ seatId: 'seat-003', student: late }],
      key: null,
    });
    expect(record?.changes).toEqual([change]);
    expect(record?.history.at(-1)).toMatchObject({ from: 'ready', to: 'ready', step: 'add' });
  });

  it('adds nothing for students the class already has, whatever the case of their email', () => {
    const decision = addSeats(
      classIn('ready'),
      seated(),
      { students: [{ name: 'Again', email: 'S1@Example.edu' }] },
      NOW,
    );

    expect(decision).toEqual({ record: null, change: null });
  });

  it('finds a repeat by its key, and refuses the key for another addition', () => {
    const first = addSeats(classIn('ready'), seated(), { seats: 2, key: 'k-1' }, NOW);
    const again = addSeats(first.record as never, seated(), { seats: 2, key: 'k-1' }, NOW);

    expect(again).toEqual({ record: null, change: first.change });
    expect(() => addSeats(first.record as never, seated(), { seats: 3, key: 'k-1' }, NOW)).toThrow(
      /key k-1 already names change c01/,
    );
  });

  it('counts the students of a pending addition as the class already has them', () => {
    const first = addSeats(classIn('ready'), seated(), { students: [late] }, NOW);

    expect(addSeats(first.record as never, seated(), { students: [late] }, NOW).change).toBeNull();
  });
});

describe("adding seats to a ready class with TLS, and the account's Elastic IPs", () => {
  // The class holds one address for each of its two seats.
  const room = (limit: number, inUse = 2) => ({ limit, inUse, held: 2 });

  it('records the change when the account has room for an address per new seat', () => {
    const { change } = addSeats(classIn('ready'), seated(), { seats: 3 }, NOW, room(5));

    expect(change).toMatchObject({ kind: 'add', state: 'pending' });
  });

  it('refuses seats the account has no addresses for, naming the numbers and the fix', () => {
    const act = () => addSeats(classIn('ready'), seated(), { seats: 3 }, NOW, room(4));

    expect(act).toThrow(QuotaError);
    expect(act).toThrow(
      "adding 3 seats needs 3 more Elastic IPs (one per TLS seat) but the account may hold 4 in us-east-1 and 2 are in use, 2 its own: ask Service Quotas for more 'EC2-VPC Elastic IPs' (L-0263D0A3)",
    );
  });

  it('counts the seats of a pending addition as needing their addresses too', () => {
    const first = addSeats(classIn('ready'), seated(), { seats: 2 }, NOW, room(4));

    expect(() => addSeats(first.record as never, seated(), { seats: 1 }, NOW, room(4))).toThrow(
      /^adding 1 seat needs 3 more Elastic IPs/,
    );
  });

  it('asks nothing of a class without TLS', () => {
    const plain = classIn('ready');
    const record = {
      ...plain,
      plan: { ...plain.plan, tls: { mode: 'none' as const }, elasticIps: 0 },
    };

    expect(addSeats(record, seated(), { seats: 3 }, NOW, room(0, 0)).change).toMatchObject({
      state: 'pending',
    });
  });
});

describe('adding seats to a scheduled class', () => {
  it('grows its booking at once and records the change done', () => {
    const { record, change } = addSeats(classIn('scheduled'), [], { students: [late] }, NOW);

    expect(change).toMatchObject({ state: 'done', seats: [{ seatId: 'seat-003' }] });
    expect((record?.request as typeof BOOKING | undefined)?.students).toEqual([
      ...BOOKING.students,
      late,
    ]);
  });

  it('refuses anonymous seats for a class booked with students, saying what it takes', () => {
    expect(() => addSeats(classIn('scheduled'), [], { seats: 1 }, NOW)).toThrow(
      /booked with named students: until it is seated, add students/,
    );
  });

  it('refuses an addition that takes the estimate over the budget', () => {
    const booked = { ...BOOKING, budgetUSD: 0.01 };
    expect(() => addSeats(classIn('scheduled', booked), [], { students: [late] }, NOW)).toThrow(
      expect.objectContaining({ name: 'BudgetError' }),
    );
  });
});

describe('adding seats when it makes no sense', () => {
  it.each([
    ['seating', /once it is ready/],
    ['stopped', /once its next session has started/],
    ['ended', /only while it is scheduled or ready/],
    ['deleted', /only while it is scheduled or ready/],
    ['failed', /only while it is scheduled or ready/],
  ] as const)('refuses a %s class with a 409 and the reason', (state, reason) => {
    const refusal = () => addSeats(classIn(state), seated(), { seats: 1 }, NOW);
    expect(refusal).toThrow(ConflictError);
    expect(refusal).toThrow(reason);
  });

  it('refuses more than a class can hold, naming the field', () => {
    const many = Array.from({ length: 999 }, (_, i) => ({
      ...seated()[0],
      seatId: `seat-${i + 1}`,
    }));
    expect(() => addSeats(classIn('ready'), many as never, { seats: 2 }, NOW)).toThrow(
      expect.objectContaining({
        issues: [{ path: 'seats', message: expect.stringMatching(/1000/) }],
      }),
    );
  });
});

describe('the body of an addition', () => {
  const bad = (body: unknown) => {
    try {
      parseOrThrow(AddSeatsBodySchema, body, 'seats to add');
    } catch (error) {
      return (error as ValidationError).issues.map((i) => i.path);
    }
    return [];
  };

  it('names the field that is wrong', () => {
    expect(bad({})).toEqual(['seats']);
    expect(bad({ seats: 1, students: [late] })).toEqual(['students']);
    expect(bad({ seats: 51 })).toEqual(['seats']);
    expect(bad({ students: [late, late] })).toEqual(['students[1].email']);
    expect(bad({ students: [{ name: 'x', email: 'not an address' }] })).toEqual([
      'students[0].email',
    ]);
    expect(bad({ seats: 1, key: 'has spaces' })).toEqual(['key']);
    expect(bad({ seats: 1, extra: true })).toEqual(['']);
    expect(bad({ seats: 2, key: 'abc' })).toEqual([]);
  });
});

describe('adding seats while another operation runs', () => {
  it('refuses them while a stop of the class is under way', () => {
    const stopping = {
      ...classIn('ready'),
      operation: { name: 'stop' as const, execution: 'x-stop-1', at: NOW.toISOString() },
    };
    expect(() => addSeats(stopping, seated(), { seats: 1 }, NOW)).toThrow(
      /a stop is under way .*; add seats once it is done/,
    );
  });
});
