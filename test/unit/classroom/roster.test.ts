import { describe, expect, it } from 'vitest';
import {
  countSeats,
  csvField,
  type RosterRecord,
  RosterRecordSchema,
  rosterCsv,
} from '../../../layers/core/classroom/roster';

const ready: RosterRecord = {
  seatId: 'seat-001',
  studentName: 'Ada Lovelace',
  email: 'ada@example.org',
  url: 'http://203.0.113.7:8888/',
  state: 'ready',
};

describe('RosterRecordSchema', () => {
  it('accepts a ready seat and an anonymous unplaced one', () => {
    // Prepare
    const unplaced = {
      seatId: 'seat-002',
      studentName: null,
      email: null,
      url: null,
      state: 'unplaced',
      reason: 'InsufficientInstanceCapacity in every candidate',
    };

    // Act
    const results = [ready, unplaced].map((record) => RosterRecordSchema.safeParse(record).success);

    // Assess
    expect(results).toEqual([true, true]);
  });

  it.each(['password', 'token'])('has no room for a %s', (field) => {
    // Act
    const result = RosterRecordSchema.safeParse({ ...ready, [field]: 'hunter2' });

    // Assess
    expect(result.success).toBe(false);
  });

  it('wants a reason for a seat that is not ready', () => {
    // Act
    const result = RosterRecordSchema.safeParse({ ...ready, state: 'failed' });

    // Assess
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['reason']]);
  });

  it('refuses a link that is not a web address', () => {
    // Act
    const result = RosterRecordSchema.safeParse({ ...ready, url: 'javascript:alert(1)' });

    // Assess
    expect(result.success).toBe(false);
  });
});

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ["O'Brien", "O'Brien"],
    ['Lovelace, Ada', '"Lovelace, Ada"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['line\nfeed', '"line\nfeed"'],
    ['', ''],
  ])('writes %j as %j', (value, expected) => {
    // Act
    const field = csvField(value);

    // Assess
    expect(field).toBe(expected);
  });

  it.each([
    [
      '=HYPERLINK("http://evil.example","click")',
      '"\'=HYPERLINK(""http://evil.example"",""click"")"',
    ],
    ['+1 555 0100', "'+1 555 0100"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', '"\'\rcmd"'],
  ])('defuses the formula %j as %j', (value, expected) => {
    // Act
    const field = csvField(value);

    // Assess
    expect(field).toBe(expected);
  });
});

describe('rosterCsv', () => {
  it('writes a header and one CRLF-terminated line per seat, after a byte order mark', () => {
    // Prepare
    const records: RosterRecord[] = [
      ready,
      {
        seatId: 'seat-002',
        studentName: '=cmd|"/c calc"!A1',
        email: 'mallory@example.org',
        url: null,
        state: 'failed',
        reason: 'Jupyter did not answer, twice',
      },
    ];

    // Act
    const csv = rosterCsv(records);

    // Assess
    expect(csv).toBe(
      '\uFEFFseat,student,email,url,state,reason\r\n' +
        'seat-001,Ada Lovelace,ada@example.org,http://203.0.113.7:8888/,ready,\r\n' +
        'seat-002,"\'=cmd|""/c calc""!A1",mallory@example.org,,failed,"Jupyter did not answer, twice"\r\n',
    );
  });

  it('leaves the byte order mark out on request', () => {
    // Act
    const csv = rosterCsv([], { bom: false });

    // Assess
    expect(csv).toBe('seat,student,email,url,state,reason\r\n');
  });
});

describe('countSeats', () => {
  it('counts seats by state', () => {
    // Prepare
    const records: RosterRecord[] = [
      ready,
      { ...ready, seatId: 'seat-002' },
      { ...ready, seatId: 'seat-003', state: 'failed', reason: 'x' },
      { ...ready, seatId: 'seat-004', state: 'unplaced', reason: 'y', url: null },
    ];

    // Act
    const counts = countSeats(records);

    // Assess
    expect(counts).toEqual({ total: 4, ready: 2, failed: 1, unplaced: 1 });
  });
});
