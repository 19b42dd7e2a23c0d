/** Raw HTTP calls to a seat's Jupyter, for the checks the readiness probe does not make. */
import { createServer } from 'node:net';

/** A TCP port nothing listens on right now (the container shares the host's network). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '0.0.0.0', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export async function getStatus(
  url: string,
  headers: Record<string, string> = {},
): Promise<number> {
  const response = await fetch(url, { headers, redirect: 'manual' });
  await response.body?.cancel();
  return response.status;
}

function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((header) => header.split(';', 1)[0] ?? '');
}

/** Log in through the form; the Cookie header of the session, or undefined when refused. */
export async function logIn(base: string, password: string): Promise<string | undefined> {
  const page = await fetch(`${base}/login`);
  await page.body?.cancel();
  const xsrfCookie = cookiesOf(page).find((c) => c.startsWith('_xsrf='));
  if (!xsrfCookie) throw new Error('login page set no _xsrf cookie');
  const login = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: xsrfCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ password, _xsrf: xsrfCookie.slice('_xsrf='.length) }).toString(),
  });
  await login.body?.cancel();
  const session = cookiesOf(login).filter((c) => !c.startsWith('_xsrf=') && !c.endsWith('='));
  if (login.status !== 302 || session.length === 0) return undefined;
  return [xsrfCookie, ...session].join('; ');
}

/** POST /api/kernels; the status, and the kernel shut down again when one started. */
export async function startKernel(
  base: string,
  headers: Record<string, string> = {},
): Promise<number> {
  const response = await fetch(`${base}/api/kernels`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ name: 'python3' }),
  });
  if (response.status !== 201) {
    await response.body?.cancel();
    return response.status;
  }
  const { id } = (await response.json()) as { id: string };
  const stopped = await fetch(`${base}/api/kernels/${id}`, { method: 'DELETE', headers });
  await stopped.body?.cancel();
  return response.status;
}
