import { describe, expect, it } from 'vitest';
import {
  CERTIFICATE_LIFETIME_MS,
  certificatePlan,
  certificateRequests,
} from '../../../../layers/core/classroom/plan/certificates';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const t0 = Date.parse('2026-03-02T08:00:00Z');
/** `days` consecutive days, each seated at 08:00 and stopped at 17:00. */
const dailyWindows = (days: number) =>
  Array.from({ length: days }, (_, d) => ({ from: t0 + d * DAY, to: t0 + d * DAY + 9 * HOUR }));

describe('certificateRequests', () => {
  it('asks once, at seating, for a one-day class', () => {
    // Act
    const requests = certificateRequests(dailyWindows(1), CERTIFICATE_LIFETIME_MS.shortlived);

    // Assess
    expect(requests).toEqual([t0]);
  });

  it('renews a running seat once a third of a 160-hour certificate remains (after 106 h 40 min)', () => {
    // Prepare: one window running for ten days straight
    const windows = [{ from: t0, to: t0 + 10 * DAY }];

    // Act
    const requests = certificateRequests(windows, CERTIFICATE_LIFETIME_MS.shortlived);

    // Assess
    const every = (160 * HOUR * 2) / 3;
    expect(requests).toEqual([t0, t0 + every, t0 + 2 * every]);
    expect(every).toBe(106 * HOUR + 40 * 60_000);
  });

  it('renews a seat stopped when its renewal falls due at its next start', () => {
    // Prepare: a five-day class, seats stopped overnight; the renewal falls due at 18:40 on day 5
    const windows = dailyWindows(6);

    // Act
    const requests = certificateRequests(windows, CERTIFICATE_LIFETIME_MS.shortlived);

    // Assess: at the start of day 6 (day 5 ended at 17:00, before it fell due)
    expect(requests).toEqual([t0, t0 + 5 * DAY]);
  });

  it('renews within a session that is running when the renewal falls due', () => {
    // Prepare: a session on day 5 from 08:00 to 22:00
    const windows = [
      { from: t0, to: t0 + 9 * HOUR },
      { from: t0 + 4 * DAY, to: t0 + 4 * DAY + 14 * HOUR },
    ];

    // Act
    const requests = certificateRequests(windows, CERTIFICATE_LIFETIME_MS.shortlived);

    // Assess
    expect(requests).toEqual([t0, t0 + (160 * HOUR * 2) / 3]);
  });

  it('never renews a 90-day certificate within a class of eight weeks', () => {
    // Act
    const requests = certificateRequests(dailyWindows(56), CERTIFICATE_LIFETIME_MS.classic);

    // Assess
    expect(requests).toEqual([t0]);
  });

  it('asks for nothing without a session', () => {
    expect(certificateRequests([], CERTIFICATE_LIFETIME_MS.classic)).toEqual([]);
  });
});

describe('certificatePlan', () => {
  const sessions = [1, 2, 3, 4, 5, 6].map((d) => ({
    start: '',
    end: '',
    startsAt: new Date(t0 + (d - 1) * DAY + 30 * 60_000).toISOString(),
    endsAt: new Date(t0 + (d - 1) * DAY + 9 * HOUR).toISOString(),
  }));

  it('takes the shortlived profile for seats by address, classic for seats by name', () => {
    // Act
    const byAddress = certificatePlan({ sessions, leadMinutes: 30 });
    const byName = certificatePlan({ sessions, leadMinutes: 30, dns: { domain: 'example.org' } });

    // Assess
    expect(byAddress).toEqual({
      profile: 'shortlived',
      lifetimeHours: 160,
      requests: ['2026-03-02T08:00:00.000Z', '2026-03-07T08:00:00.000Z'],
    });
    expect(byName).toEqual({
      profile: 'classic',
      lifetimeHours: 2160,
      requests: ['2026-03-02T08:00:00.000Z'],
    });
  });
});
