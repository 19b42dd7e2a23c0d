// When a class's seats ask the ACME CA for certificates, and so when the CA must reach port 80.
import type { ClassPlan } from './class-plan';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Let's Encrypt's certificate lifetimes by profile (letsencrypt.org/docs/profiles): `classic`, the
 * default, 90 days; `shortlived` 160 hours, the only profile that issues for IP addresses.
 */
export const CERTIFICATE_LIFETIME_MS = { classic: 90 * DAY, shortlived: 160 * HOUR } as const;
export type Profile = keyof typeof CERTIFICATE_LIFETIME_MS;

/**
 * Caddy renews a certificate once a third of its lifetime remains (its default renewal window
 * ratio); its maintenance runs every 10 minutes, and once when it starts.
 */
export const RENEWAL_WINDOW_RATIO = 1 / 3;

/** What a seat's certificate names decides the profile: a name gets `classic`, an address `shortlived`. */
export const profileOf = (plan: { dns?: unknown }): Profile =>
  plan.dns ? 'classic' : 'shortlived';

/** From when a seat runs until it stops: seating before each session to the session's end. */
export const runningWindows = (plan: Pick<ClassPlan, 'sessions' | 'leadMinutes'>) =>
  plan.sessions.map((session) => ({
    from: Date.parse(session.startsAt) - plan.leadMinutes * 60_000,
    to: Date.parse(session.endsAt),
  }));

/**
 * The moments a seat asks for a certificate: when it is first seated, then each time a running
 * seat's certificate enters its renewal window (a seat stopped then asks when it starts again).
 * Each is a moment the CA validates from its own, unpublished addresses.
 */
export function certificateRequests(
  windows: { from: number; to: number }[],
  lifetimeMs: number,
): number[] {
  const first = windows[0];
  if (!first) return [];
  const renewAfter = lifetimeMs * (1 - RENEWAL_WINDOW_RATIO);
  const requests = [first.from];
  for (;;) {
    const due = (requests.at(-1) as number) + renewAfter;
    const window = windows.find((w) => w.to > due);
    if (!window) return requests;
    requests.push(Math.max(due, window.from));
  }
}

/** A class's certificate requests, as the dry run shows them. */
export function certificatePlan(
  plan: Pick<ClassPlan, 'sessions' | 'leadMinutes'> & { dns?: unknown },
) {
  const profile = profileOf(plan);
  const requests = certificateRequests(runningWindows(plan), CERTIFICATE_LIFETIME_MS[profile]);
  return {
    profile,
    lifetimeHours: CERTIFICATE_LIFETIME_MS[profile] / HOUR,
    requests: requests.map((at) => new Date(at).toISOString()),
  };
}
