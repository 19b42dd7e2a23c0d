/**
 * Readiness check of one seat, from outside, the way a student and a script will use it: the API
 * must refuse anonymous requests, accept the seat's token, and the login page must accept the
 * seat's password. Reasons name the step and the HTTP status only, never a credential.
 */
import { httpFetch } from './clients';

export interface SeatProbeTarget {
  /** Base URL of the seat's Jupyter, e.g. `http://203.0.113.7:8888`. */
  url: string;
  password: string;
  token: string;
}

export type SeatProbeResult = { ready: true } | { ready: false; reason: string };

export const SEAT_PROBE_TIMEOUT_MS = 5_000;

type Step = 'anonymous' | 'token' | 'login page' | 'login' | 'session';

class StepFailed extends Error {
  override readonly name = 'StepFailed';
}

export async function probeSeat(
  target: SeatProbeTarget,
  fetchImpl: typeof fetch = httpFetch(),
  timeoutMs = SEAT_PROBE_TIMEOUT_MS,
): Promise<SeatProbeResult> {
  const base = target.url.replace(/\/+$/, '');
  let step: Step = 'anonymous';
  const send = async (next: Step, path: string, init: RequestInit = {}): Promise<Response> => {
    step = next;
    const response = await fetchImpl(`${base}${path}`, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return response;
  };

  try {
    const anonymous = await send('anonymous', '/api/status');
    if (anonymous.status === 200) {
      throw new StepFailed('authentication is off: /api/status answered 200 without credentials');
    }
    if (!isRefusal(anonymous)) {
      throw new StepFailed(`/api/status answered ${anonymous.status} without credentials`);
    }

    const byToken = await send('token', '/api/status', {
      headers: { authorization: `token ${target.token}` },
    });
    if (byToken.status !== 200)
      throw new StepFailed(`token refused: /api/status answered ${byToken.status}`);

    const page = await send('login page', '/login');
    const xsrf = cookiesOf(page).get('_xsrf');
    if (!xsrf) throw new StepFailed(`login page (status ${page.status}) set no _xsrf cookie`);

    const login = await send('login', '/login', {
      method: 'POST',
      headers: {
        cookie: `_xsrf=${xsrf}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ password: target.password, _xsrf: xsrf }).toString(),
    });
    const session = cookiesOf(login);
    session.delete('_xsrf');
    if (login.status !== 302 || session.size === 0) {
      throw new StepFailed(
        `password refused: login answered ${login.status} ${session.size ? 'with' : 'without'} a login cookie`,
      );
    }

    session.set('_xsrf', xsrf);
    const bySession = await send('session', '/api/status', {
      headers: { cookie: [...session].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    if (bySession.status !== 200) {
      throw new StepFailed(`login cookie refused: /api/status answered ${bySession.status}`);
    }
    return { ready: true };
  } catch (error) {
    return { ready: false, reason: reasonFor(error, step, timeoutMs) };
  }
}

/** Jupyter refuses an anonymous API call with 403, or with a redirect to its login page. */
function isRefusal(response: Response): boolean {
  if (response.status === 403) return true;
  const location = response.headers.get('location') ?? '';
  return response.status === 302 && /\/login(?:\?|$)/.test(location);
}

/** Cookies a response sets, by name; cookies being cleared (empty value) are left out. */
function cookiesOf(response: Response): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const header of response.headers.getSetCookie()) {
    const pair = header.split(';', 1)[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const value = pair.slice(eq + 1).trim();
    if (value && value !== '""') cookies.set(pair.slice(0, eq).trim(), value);
  }
  return cookies;
}

function reasonFor(error: unknown, step: Step, timeoutMs: number): string {
  if (error instanceof StepFailed) return error.message;
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `no answer within ${timeoutMs} ms (${step} step)`;
  }
  return step === 'anonymous' ? 'not listening' : `connection failed (${step} step)`;
}
