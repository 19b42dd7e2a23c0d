import { describe, expect, it } from 'vitest';
import {
  emailRecipients,
  handedOutByInstructor,
  rosterMessage,
  seatCredentialsCsv,
  withUndelivered,
} from '../../../../layers/core/classroom/messages/delivery';
import { classPlan } from '../../../../layers/core/classroom/plan/class-plan';
import { parseClassroomRequest } from '../../../../layers/core/classroom/request/classroom-request';
import type { RosterRecord } from '../../../../layers/core/classroom/roster';
import { ONE_DOLLAR_ESTIMATE } from '../../cost/fixtures';

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

describe('withUndelivered, bounded', () => {
  it('cuts a long SES reason to what a roster line keeps, and appends when asked', () => {
    const long = withUndelivered(roster, [{ seatId: 'seat-001', reason: 'x'.repeat(2000) }]);
    const appended = withUndelivered(roster, [{ seatId: 'seat-003', reason: 'later' }], {
      append: true,
    });

    expect(long[0]?.reason).toHaveLength(500);
    expect(appended[2]?.reason).toBe('no capacity; later');
  });
});

describe('handedOutByInstructor', () => {
  it('is every ready seat without a student or whose email was not delivered', () => {
    const noted = withUndelivered(roster, [{ seatId: 'seat-001', reason: 'email not delivered' }]);

    expect(handedOutByInstructor(roster).map((r) => r.seatId)).toEqual(['seat-002']);
    expect(handedOutByInstructor(noted).map((r) => r.seatId)).toEqual(['seat-001', 'seat-002']);
  });
});

describe('rosterMessage', () => {
  const request = parseClassroomRequest(
    {
      name: 'workshop',
      image: 'ami-0123456789abcdef0',
      seats: 2,
      schedule: { start: '2099-03-10T09:00', end: '2099-03-10T17:00', timezone: 'Europe/Berlin' },
      instructor: { email: 'grace@example.org' },
      sender: 'classes@example.org',
    },
    new Date('2099-03-01T12:00:00Z'),
  );
  const plan = classPlan(
    request,
    {
      classId: 'exec-7',
      rootDeviceName: '/dev/xvda',
      rootVolumeGiB: 8,
      parameterPrefix: '/bakehouse/prod',
      stackName: 'bakehouse-prod',
    },
    [{ instanceType: 't3.medium', market: 'on-demand' }],
  );
  const estimate = ONE_DOLLAR_ESTIMATE;
  const credential = {
    seatId: 'seat-002',
    studentName: null,
    url: 'http://198.51.100.2:8888/',
    password: 'abcd-efgh-ijkm-npqr',
    token: 'f'.repeat(64),
  };

  it('attaches the credentials of seats no student was emailed for, and names the file', () => {
    const raw = rosterMessage(plan, roster, estimate, [credential]);

    expect(raw).toContain('filename="workshop-seat-credentials.csv"');
    expect(raw).toContain('filename="workshop-roster.csv"');
    const csv = seatCredentialsCsv([credential]);
    expect(csv).toBe(
      `\uFEFFseat,student,url,password,token\r\nseat-002,,http://198.51.100.2:8888/,abcd-efgh-ijkm-npqr,${'f'.repeat(64)}\r\n`,
    );
  });

  it("attaches only the roster when every ready seat's student was emailed", () => {
    const raw = rosterMessage(plan, roster.slice(0, 1), estimate);

    expect(raw).not.toContain('seat-credentials');
  });
});
