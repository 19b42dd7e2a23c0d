/**
 * What a seat's Jupyter server answers, as notebook 6 and jupyter_server 2 do for the requests a
 * readiness probe makes: token auth on /api/status, the login form with its _xsrf cookie, the
 * password POST (argon2 verified) that sets the login cookie, and redirects to /login.
 */
import { createHash } from 'node:crypto';
import { argon2Verify } from 'hash-wasm';
import type { Random } from '../kernel/random';
import type { SeatConfig } from './script-run';

export interface SeatRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function cookies(headers: Headers): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (headers.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0)
      jar.set(
        part.slice(0, eq).trim(),
        part
          .slice(eq + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1'),
      );
  }
  return jar;
}

const html = (title: string, body: string) =>
  `<!DOCTYPE HTML>\n<html>\n<head><meta charset="utf-8"><title>${title}</title></head>\n<body>\n${body}\n</body>\n</html>\n`;

export class JupyterSeat {
  private readonly sessions = new Set<string>();
  private readonly cookieName: string;

  constructor(
    private readonly config: SeatConfig,
    host: string,
    private readonly random: Random,
    private readonly startedAt: number,
    private readonly now: () => number,
  ) {
    this.cookieName = `username-${host.replace(/[^A-Za-z0-9]/g, '-')}`;
  }

  async handle(request: SeatRequest): Promise<Response> {
    const path = request.url.pathname;
    if (path === '/login' && request.method === 'POST') return this.login(request);
    if (path === '/login') return this.loginPage();
    const authenticated = this.authenticated(request);
    if (path === '/api/status') {
      return authenticated ? this.status() : this.json(403, { message: 'Forbidden', reason: null });
    }
    if (
      path === '/' ||
      path === '/tree' ||
      path.startsWith('/tree/') ||
      path === '/lab' ||
      path.startsWith('/lab/')
    ) {
      if (!authenticated)
        return this.redirect(
          `/login?next=${encodeURIComponent(path === '/' ? this.config.DEFAULT_URL : path)}`,
        );
      return new Response(
        html('Home Page - Select or create a notebook', '<div id="notebooks"></div>'),
        {
          status: 200,
          headers: { 'content-type': 'text/html; charset=UTF-8' },
        },
      );
    }
    return new Response(html('404: Not Found', '<h1>404 : Not Found</h1>'), {
      status: 404,
      headers: { 'content-type': 'text/html; charset=UTF-8' },
    });
  }

  private authenticated(request: SeatRequest): boolean {
    const header = /^token\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    const token = header ?? request.url.searchParams.get('token');
    if (token && sha256(token) === this.config.TOKEN_SHA256) return true;
    const session = cookies(request.headers).get(this.cookieName);
    return session !== undefined && this.sessions.has(session);
  }

  private status(): Response {
    const started = new Date(this.startedAt).toISOString();
    return this.json(200, {
      started,
      last_activity: new Date(this.now()).toISOString(),
      connections: 0,
      kernels: 0,
    });
  }

  private loginPage(): Response {
    const xsrf = `2|${this.random.hex(8)}|${this.random.hex(32)}|${Math.floor(this.now() / 1000)}`;
    const form =
      '<form action="/login" method="post" class="form-inline" id="login_form">\n' +
      `<input type="hidden" name="_xsrf" value="${xsrf}"/>\n` +
      '<label for="password_input"><strong>Password or token:</strong></label>\n' +
      '<input type="password" name="password" id="password_input" class="form-control">\n' +
      '<button type="submit" class="btn btn-default" id="login_submit">Log in</button>\n</form>';
    const headers = new Headers({ 'content-type': 'text/html; charset=UTF-8' });
    headers.append('set-cookie', `_xsrf=${xsrf}; Path=/`);
    return new Response(html('Jupyter Notebook', form), { status: 200, headers });
  }

  private async login(request: SeatRequest): Promise<Response> {
    const form = new URLSearchParams(request.body);
    const posted = form.get('_xsrf');
    const cookie = cookies(request.headers).get('_xsrf');
    if (!posted) return this.forbidden("'_xsrf' argument missing from POST");
    if (!cookie || cookie !== posted)
      return this.forbidden('XSRF cookie does not match POST argument');
    const password = form.get('password') ?? '';
    const ok =
      password.length > 0 &&
      (await argon2Verify({
        password,
        hash: this.config.PASSWORD_HASH.replace(/^argon2:/, ''),
      }).catch(() => false));
    if (!ok) {
      return new Response(
        html('Jupyter Notebook', '<div class="message error">Invalid credentials</div>'),
        {
          status: 401,
          headers: { 'content-type': 'text/html; charset=UTF-8' },
        },
      );
    }
    const session = `2|1:0|10:${Math.floor(this.now() / 1000)}|${this.cookieName.length}:${this.cookieName}|${this.random.hex(44)}|${this.random.hex(64)}`;
    this.sessions.add(session);
    const next = request.url.searchParams.get('next') ?? form.get('next');
    const target = next?.startsWith('/') && !next.startsWith('//') ? next : this.config.DEFAULT_URL;
    const response = this.redirect(target);
    response.headers.append(
      'set-cookie',
      `${this.cookieName}="${session}"; expires=${new Date(this.now() + 30 * 86_400_000).toUTCString()}; HttpOnly; Path=/`,
    );
    return response;
  }

  private redirect(location: string): Response {
    return new Response(null, { status: 302, headers: { location } });
  }

  private forbidden(reason: string): Response {
    return new Response(html('403: Forbidden', `<h1>403 : Forbidden</h1><p>${reason}</p>`), {
      status: 403,
      headers: { 'content-type': 'text/html; charset=UTF-8' },
    });
  }

  private json(status: number, body: unknown): Response {
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  }
}
