import { describe, expect, it } from 'vitest';
import {
  emailRecipients,
  withUndelivered,
} from '../../../../layers/core/classroom/messages/delivery';
import type { RosterRecord } from '../../../../layers/core/classroom/roster';

const roster: RosterRecord[] = [
  {
    seatId: 'seat-001',
    studentName: 'Ada',
    email: 'ada@example.edu',
    url: 'http://198.51.100.1:8888/',
    state: 'ready',
  },
  {
    seatId: 'seat-002',
    studentName: null,
    email: null,
    url: 'http://198.51.100.2:8888/',
    state: 'ready',
  },
  {
    seatId: 'seat-003',
    studentName: 'Bo',
    email: 'bo@example.edu',
    url: null,
    state: 'failed',
    reason: 'no capacity',
  },
];

describe('emailRecipients', () => {
  it('writes only to ready seats that have a student', () => {
    expect(emailRecipients(roster).map((r) => r.seatId)).toEqual(['seat-001']);
  });
});

describe('withUndelivered', () => {
  it('notes an undelivered email on its seat, leaving the others as they were', () => {
    const noted = withUndelivered(roster, [
      { seatId: 'seat-001', reason: 'email not delivered: MessageRejected' },
    ]);

    expect(noted[0]).toMatchObject({
      state: 'ready',
      reason: 'email not delivered: MessageRejected',
    });
    expect(noted.slice(1)).toEqual(roster.slice(1));
  });
});
