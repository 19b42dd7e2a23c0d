import { describe, expect, it } from 'vitest';
import {
  atExpression,
  isTimeZone,
  parseLocalDateTime,
  toUtc,
} from '../../../../layers/core/classroom/request/schedule';

describe('toUtc', () => {
  it.each([
    [
      'New York in winter (EST, -5)',
      '2026-01-15T09:00',
      'America/New_York',
      '2026-01-15T14:00:00.000Z',
    ],
    [
      'New York in summer (EDT, -4)',
      '2026-07-15T09:00',
      'America/New_York',
      '2026-07-15T13:00:00.000Z',
    ],
    [
      'New York just before spring forward',
      '2026-03-08T01:59',
      'America/New_York',
      '2026-03-08T06:59:00.000Z',
    ],
    [
      'New York just after spring forward',
      '2026-03-08T03:00',
      'America/New_York',
      '2026-03-08T07:00:00.000Z',
    ],
    ['Berlin in winter (CET, +1)', '2026-01-15T09:00', 'Europe/Berlin', '2026-01-15T08:00:00.000Z'],
    [
      'Berlin in summer (CEST, +2)',
      '2026-07-15T09:00',
      'Europe/Berlin',
      '2026-07-15T07:00:00.000Z',
    ],
    ['Berlin after fall back', '2026-10-25T03:00', 'Europe/Berlin', '2026-10-25T02:00:00.000Z'],
    [
      'Sydney in January (AEDT, +11)',
      '2026-01-15T09:00',
      'Australia/Sydney',
      '2026-01-14T22:00:00.000Z',
    ],
    [
      'Sydney in July (AEST, +10)',
      '2026-07-15T09:00',
      'Australia/Sydney',
      '2026-07-14T23:00:00.000Z',
    ],
    ['UTC', '2026-12-31T23:59', 'UTC', '2026-12-31T23:59:00.000Z'],
  ])('converts a wall-clock time in %s', (_case, local, zone, expected) => {
    // Act
    const instant = toUtc(local, zone);

    // Assess
    expect(instant.toISOString()).toBe(expected);
  });

  it.each([
    ['America/New_York', '2026-03-08T02:30', '2026-03-08T07:30:00.000Z'],
    ['Europe/Berlin', '2026-03-29T02:30', '2026-03-29T01:30:00.000Z'],
    ['Australia/Sydney', '2026-10-04T02:30', '2026-10-03T16:30:00.000Z'],
  ])('moves a time skipped by spring forward in %s to after the gap', (zone, local, expected) => {
    // Act
    const instant = toUtc(local, zone);

    // Assess
    expect(instant.toISOString()).toBe(expected);
  });

  it.each([
    ['America/New_York', '2026-11-01T01:30', '2026-11-01T05:30:00.000Z'],
    ['Europe/Berlin', '2026-10-25T02:30', '2026-10-25T00:30:00.000Z'],
    ['Australia/Sydney', '2026-04-05T02:30', '2026-04-04T15:30:00.000Z'],
  ])('takes the first of a time repeated by fall back in %s', (zone, local, expected) => {
    // Act
    const instant = toUtc(local, zone);

    // Assess
    expect(instant.toISOString()).toBe(expected);
  });

  it('rejects a local time that is not YYYY-MM-DDTHH:mm', () => {
    // Act
    const act = () => toUtc('2026-03-08 09:00', 'UTC');

    // Assess
    expect(act).toThrow(RangeError);
  });

  it('rejects an unknown time zone', () => {
    // Act
    const act = () => toUtc('2026-03-08T09:00', 'Europe/Atlantis');

    // Assess
    expect(act).toThrow(/unknown time zone/);
  });
});

describe('parseLocalDateTime', () => {
  it('accepts 29 February in a leap year only', () => {
    // Act
    const leap = parseLocalDateTime('2028-02-29T10:00');
    const common = parseLocalDateTime('2026-02-29T10:00');

    // Assess
    expect(leap).toEqual({ year: 2028, month: 2, day: 29, hour: 10, minute: 0 });
    expect(common).toBeNull();
  });

  it.each(['2026-03-10T24:00', '2026-03-10T09:60', '2026-13-01T09:00', '2026-3-10T09:00'])(
    'rejects %s',
    (text) => {
      // Act
      const parsed = parseLocalDateTime(text);

      // Assess
      expect(parsed).toBeNull();
    },
  );
});

describe('isTimeZone', () => {
  it.each([
    ['Europe/Berlin', true],
    ['America/Argentina/Buenos_Aires', true],
    ['UTC', true],
    ['Etc/GMT+5', true],
    ['Mars/Olympus_Mons', false],
    ['+01:00', false],
    ['', false],
  ])('says %j is a time zone: %s', (name, expected) => {
    // Act
    const known = isTimeZone(name);

    // Assess
    expect(known).toBe(expected);
  });
});

describe('atExpression', () => {
  it('writes the instant in UTC to the second, as EventBridge Scheduler wants', () => {
    // Prepare
    const end = toUtc('2026-03-10T17:00', 'Europe/Berlin');

    // Act
    const expression = atExpression(end);

    // Assess
    expect(expression).toBe('at(2026-03-10T16:00:00)');
  });

  it('drops milliseconds', () => {
    // Act
    const expression = atExpression(new Date('2026-03-10T16:00:05.999Z'));

    // Assess
    expect(expression).toBe('at(2026-03-10T16:00:05)');
  });
});
