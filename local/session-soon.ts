/**
 * A one-session schedule whose seats are needed at once: it starts one lead time (the request's
 * default, 20 minutes) after `nowMs` on the simulated clock, rounded down to the minute (so its
 * lead time has come, whatever the seconds of `nowMs`), in UTC.
 */
export const DEFAULT_LEAD_MINUTES = 20;

export function sessionStartingSoon(nowMs: number, hours = 3) {
  const local = (ms: number) => new Date(ms).toISOString().slice(0, 16);
  const start = Math.floor((nowMs + DEFAULT_LEAD_MINUTES * 60_000) / 60_000) * 60_000;
  return { start: local(start), end: local(start + hours * 3_600_000), timezone: 'UTC' };
}

/** Sessions (UTC wall-clock times) starting `startMinutes` after `nowMs`, each `minutes` long. */
export function sessionsFrom(nowMs: number, sessions: { startMinutes: number; minutes: number }[]) {
  const local = (ms: number) => new Date(ms).toISOString().slice(0, 16);
  const base = Math.ceil(nowMs / 60_000) * 60_000;
  return sessions.map(({ startMinutes, minutes }) => ({
    start: local(base + startMinutes * 60_000),
    end: local(base + (startMinutes + minutes) * 60_000),
  }));
}
