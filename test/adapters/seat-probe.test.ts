import { beforeEach, describe, expect, it } from 'vitest';
import { probeSeat, type SeatProbeResult } from '../../layers/aws/seat-probe';

const URL_BASE = 'http://203.0.113.7:8888';
const PASSWORD = 'abcd-efgh-jkmn-pqrs';
const TOKEN = 'id99neBrcYfKejAY2c7PMdskQjhZDrqR4MvWwcPaPe4';
const XSRF = '2|d1a2b3c4|0123456789abcdef|1700000000';
const LOGIN_COOKIE = 'username-203-0-113-7-8888';

interface Sent {
  method: string;
  path: string;
  headers: Headers;
  body: string;
}

/** How the fake seat deviates from a healthy Jupyter, one knob per failure mode. */
interface Faults {
  anonymous?: Response;
  tokenStatus?: number;
  noXsrf?: boolean;
  loginStatus?: number;
  noLoginCookie?: boolean;
  sessionStatus?: number;
  dropAt?: string;
}

let sent: Sent[];
let faults: Faults;

beforeEach(() => {
  sent = [];
  faults = {};
});

function reply(status: number, cookies: string[] = [], location?: string): Response {
  const headers = new Headers();
  for (const cookie of cookies) headers.append('set-cookie', cookie);
  if (location) headers.set('location', location);
  return new Response(status === 302 ? null : 'body', { status, headers });
}

/** A Jupyter seat as the probe sees it: the contract the simulated seat implements too. */
const fakeSeat: typeof fetch = async (input, init = {}) => {
  const url = new URL(String(input));
  const method = init.method ?? 'GET';
  const headers = new Headers(init.headers);
  const body = typeof init.body === 'string' ? init.body : '';
  sent.push({ method, path: url.pathname, headers, body });
  const step = `${method} ${url.pathname}`;
  if (faults.dropAt === step) throw new TypeError('fetch failed');

  const cookie = headers.get('cookie') ?? '';
  if (step === 'GET /api/status') {
    if (headers.get('authorization') === `token ${TOKEN}`) return reply(faults.tokenStatus ?? 200);
    if (cookie.includes(`${LOGIN_COOKIE}=`)) return reply(faults.sessionStatus ?? 200);
    return faults.anonymous ?? reply(403);
  }
  if (step === 'GET /login') {
    return reply(200, faults.noXsrf ? [] : [`_xsrf=${XSRF}; Path=/`]);
  }
  if (step === 'POST /login') {
    const form = new URLSearchParams(body);
    const xsrfOk = form.get('_xsrf') === XSRF && cookie.includes(`_xsrf=${XSRF}`);
    if (!xsrfOk) return reply(403);
    if (form.get('password') !== PASSWORD) return reply(faults.loginStatus ?? 401);
    const cookies = faults.noLoginCookie
      ? []
      : [`${LOGIN_COOKIE}="2|1:0|10:17|secret"; HttpOnly; Path=/`];
    return reply(faults.loginStatus ?? 302, cookies, '/tree');
  }
  return reply(404);
};

function probe(overrides: { password?: string; token?: string } = {}): Promise<SeatProbeResult> {
  return probeSeat(
    { url: `${URL_BASE}/`, password: PASSWORD, token: TOKEN, ...overrides },
    fakeSeat,
    50,
  );
}

describe('probeSeat', () => {
  it('is ready when anonymous calls are refused and the token and the password both work', async () => {
    // Act
    const result = await probe();

    // Assess
    expect(result).toEqual({ ready: true });
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual([
      'GET /api/status',
      'GET /api/status',
      'GET /login',
      'POST /login',
      'GET /api/status',
    ]);
  });

  it('sends the token in the Authorization header and the password only in the login form', async () => {
    // Act
    await probe();

    // Assess
    const [anonymous, byToken, page, login, session] = sent;
    expect(anonymous?.headers.get('authorization')).toBeNull();
    expect(byToken?.headers.get('authorization')).toBe(`token ${TOKEN}`);
    expect(page?.body).toBe('');
    expect(new URLSearchParams(login?.body).get('password')).toBe(PASSWORD);
    expect(login?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(session?.headers.get('cookie')).toContain(`${LOGIN_COOKIE}="2|1:0|10:17|secret"`);
    expect(session?.headers.get('authorization')).toBeNull();
    for (const request of sent) expect(request.path).not.toContain(TOKEN);
  });

  it('accepts a redirect to the login page as a refusal of anonymous calls', async () => {
    // Prepare
    faults.anonymous = reply(302, [], '/login?next=%2Fapi%2Fstatus');

    // Act
    const result = await probe();

    // Assess
    expect(result).toEqual({ ready: true });
  });

  it.each<[string, Partial<Faults>, RegExp]>([
    ['authentication is off', { anonymous: reply(200) }, /^authentication is off/],
    [
      'anonymous calls redirect elsewhere',
      { anonymous: reply(302, [], '/tree') },
      /answered 302 without credentials/,
    ],
    ['the server errors', { anonymous: reply(500) }, /answered 500 without credentials/],
    ['the token is refused', { tokenStatus: 403 }, /^token refused: \/api\/status answered 403/],
    ['the login page sets no _xsrf cookie', { noXsrf: true }, /set no _xsrf cookie/],
    ['the password is refused', { loginStatus: 401 }, /^password refused: login answered 401/],
    ['login sets no cookie', { noLoginCookie: true }, /login answered 302 without a login cookie/],
    [
      'the login cookie is refused',
      { sessionStatus: 403 },
      /^login cookie refused: \/api\/status answered 403/,
    ],
    [
      'the connection drops at login',
      { dropAt: 'POST /login' },
      /^connection failed \(login step\)$/,
    ],
  ])('is not ready when %s', async (_, fault, reason) => {
    // Prepare
    faults = fault;

    // Act
    const result = await probe();

    // Assess
    expect(result.ready).toBe(false);
    expect(result).toEqual({ ready: false, reason: expect.stringMatching(reason) });
  });

  it('says the seat is not listening when the connection is refused', async () => {
    // Prepare
    faults.dropAt = 'GET /api/status';

    // Act
    const result = await probe();

    // Assess
    expect(result).toEqual({ ready: false, reason: 'not listening' });
  });

  it('gives up on a seat that does not answer within the timeout', async () => {
    // Prepare
    const silent: typeof fetch = (_, init) =>
      new Promise((_, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      );

    // Act
    const result = await probeSeat({ url: URL_BASE, password: PASSWORD, token: TOKEN }, silent, 20);

    // Assess
    expect(result).toEqual({ ready: false, reason: 'no answer within 20 ms (anonymous step)' });
  });

  it('refuses a wrong password or token without echoing either', async () => {
    // Act
    const results = [
      await probe({ password: 'wrong-password-typed' }),
      await probe({ token: 'wrong-token-value' }),
    ];

    // Assess
    for (const result of results) {
      expect(result.ready).toBe(false);
      const reason = result.ready ? '' : result.reason;
      for (const secret of [PASSWORD, TOKEN, 'wrong-password-typed', 'wrong-token-value', XSRF]) {
        expect(reason).not.toContain(secret);
      }
    }
  });
});
