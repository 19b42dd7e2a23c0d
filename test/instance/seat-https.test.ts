/**
 * A seat with TLS, as a class with `tls: { mode: 'acme' }` gets it, against a real ACME CA:
 * pebble on the host, Caddy in the Debian 12 container (Debian's packages, installed by the bake).
 * The seat script obtains a certificate for the IP address 127.0.0.1 over http-01, and the host
 * connects over HTTPS trusting only pebble's root: the readiness probe, the one-click link, a
 * kernel's websocket through the proxy.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, fetch as undiciFetch, WebSocket } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeSeat, type SeatProbeResult } from '../../layers/aws/seat-probe';
import { generateCredential } from '../../layers/core/classroom/credentials';
import { SEAT_UNIT } from '../../layers/core/classroom/seat-script/seat-script';
import { loginLink, seatUrl } from '../../layers/core/classroom/seats/seat-url';
import { containerTestsUnavailable, titled } from './support/host';
import { PEBBLE_DIRECTORY, Pebble } from './support/pebble';
import type { Ran } from './support/run';
import { random, SeatMachine } from './support/seat';

const unavailable = containerTestsUnavailable();
const seat = generateCredential(random);
const HOST = '127.0.0.1';
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

/**
 * When the container's init started, in Unix seconds: the kernel's boot time plus the start time
 * of the container's PID 1 (the kernel is the host's, so both clocks are one).
 */
async function startedAt(machine: SeatMachine): Promise<number> {
  const [btime, ticks, hz] = (
    await machine.query(
      "awk '/^btime/ { print $2 }' /proc/stat; awk '{ print $22 }' /proc/1/stat; getconf CLK_TCK",
    )
  )
    .split('\n')
    .map(Number);
  return (btime ?? 0) + (ticks ?? 0) / (hz ?? 100);
}

describe.skipIf(unavailable)(titled('seat script with TLS from an ACME CA', unavailable), () => {
  let pebble: Pebble;
  let machine: SeatMachine;
  let agent: Agent;
  let ran: Ran;
  let containerStarted: number;
  const url = seatUrl(HOST, 443, 'acme');
  const get = (path: string, init: Parameters<typeof undiciFetch>[1] = {}) =>
    undiciFetch(new URL(path, url), { redirect: 'manual', dispatcher: agent, ...init });
  const probe = () =>
    probeSeat({ url, ...seat }, ((input: string, init: RequestInit) =>
      undiciFetch(input, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch);

  beforeAll(async () => {
    pebble = await Pebble.start();
    const root = await pebble.issuingRoot();
    machine = await SeatMachine.boot();
    containerStarted = await startedAt(machine);
    // What the system trust store holds for Let's Encrypt: pebble's listener, so Caddy reaches
    // the directory, and the root it issues from, so the seat script can check what it serves.
    await machine.container.exec(
      ['sh', '-c', 'cat >/usr/local/share/ca-certificates/pebble.crt && update-ca-certificates'],
      { input: `${pebble.listenerCertificate}\n${root}` },
    );
    ran = await machine.seat(seat, machine.port, {
      mode: 'acme',
      directory: PEBBLE_DIRECTORY,
      host: HOST,
    });
    agent = new Agent({ connect: { ca: root } });
  });

  afterAll(async () => {
    await agent?.close();
    await machine?.dispose();
    await pebble?.stop();
  });

  it('exits 0 once the seat serves its certificate', () => {
    // Assess
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain(`bakehouse: seat ready at https://${HOST}/`);
  });

  it('has its certificate within a minute of the container starting', async () => {
    // Act: when Caddy logged the certificate obtained (its journal, JSON lines with `ts`)
    const lines = await machine.query(`journalctl --unit=caddy.service --output=cat --no-pager`);
    const obtained = lines
      .split('\n')
      .filter((line) => line.includes('certificate obtained successfully'))
      .map((line) => (JSON.parse(line) as { ts: number }).ts);
    const seconds = (obtained[0] ?? Number.NaN) - containerStarted;
    await mkdir(ARTIFACTS, { recursive: true });
    await writeFile(
      join(ARTIFACTS, 'https-timing.json'),
      `${JSON.stringify({ containerStartToCertificateSeconds: seconds }, null, 2)}\n`,
    );
    console.log(`container start to certificate obtained: ${seconds.toFixed(1)} s`);

    // Assess
    expect(obtained).toHaveLength(1);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(60);
  });

  it('runs Jupyter on the loopback address only, behind Caddy', async () => {
    // Act
    const start = await machine.query(`systemctl show --property=ExecStart --value ${SEAT_UNIT}`);
    const proxy = await machine.query('systemctl is-active caddy.service');

    // Assess
    expect(start).toContain('--ip=127.0.0.1 ');
    expect(proxy).toBe('active');
  });

  it("accepts, behind the proxy, requests for the seat's public address", async () => {
    // Prepare: what Caddy forwards for https://203.0.113.7/login, sent to Jupyter directly
    const asForwarded = () =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          { host: HOST, port: machine.port, path: '/login', headers: { host: '203.0.113.7' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });

    // Act
    const status = await asForwarded();

    // Assess
    expect(status).toBe(200);
  });

  it('answers the readiness probe over HTTPS verified by the CA root', async () => {
    // Act
    const result = await probeSeat({ url, ...seat }, ((input: string, init: RequestInit) =>
      undiciFetch(input, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch);

    // Assess
    expect(result).toEqual({ ready: true });
  });

  it('refuses a client that does not trust the CA', async () => {
    // Act
    const untrusting = new Agent();
    const attempt = undiciFetch(url, { dispatcher: untrusting });

    // Assess
    await expect(attempt).rejects.toThrow();
    await untrusting.close();
  });

  it('redirects plain HTTP on port 80 to https', async () => {
    // Act
    const answer = await undiciFetch(`http://${HOST}/tree`, { redirect: 'manual' });
    await answer.body?.cancel();

    // Assess
    expect(answer.status).toBe(308);
    expect(answer.headers.get('location')).toBe(`https://${HOST}/tree`);
  });

  it('logs the browser in with one click on the emailed link', async () => {
    // Prepare: follow redirects by hand, keeping every cookie set on the way
    const cookies = new Map<string, string>();
    const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    let next = loginLink(url, seat.token);
    let answer: Awaited<ReturnType<typeof get>> | undefined;

    // Act
    for (let hop = 0; hop < 5; hop++) {
      answer = await get(next, { headers: { cookie: cookieHeader() } });
      await answer.body?.cancel();
      for (const header of answer.headers.getSetCookie()) {
        const [pair = ''] = header.split(';', 1);
        const eq = pair.indexOf('=');
        if (eq > 0) cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
      const location = answer.headers.get('location');
      if (answer.status < 300 || answer.status >= 400 || !location) break;
      next = new URL(location, next).toString();
    }
    const session = [...cookies].filter(([name, value]) => name !== '_xsrf' && value !== '');
    const status = await get('/api/status', {
      headers: { cookie: session.map(([n, v]) => `${n}=${v}`).join('; ') },
    });
    await status.body?.cancel();

    // Assess
    expect(answer?.status).toBe(200);
    expect(new URL(next).pathname).toBe('/tree');
    expect(session.length).toBeGreaterThan(0);
    expect(status.status).toBe(200);
  });

  it('carries a kernel websocket through the proxy', async () => {
    // Prepare
    const headers = { authorization: `token ${seat.token}`, 'content-type': 'application/json' };
    const started = await get('/api/kernels', {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'python3' }),
    });
    const { id } = (await started.json()) as { id: string };
    const socket = new WebSocket(`wss://${HOST}/api/kernels/${id}/channels`, {
      dispatcher: agent,
      headers: { authorization: `token ${seat.token}` },
    });
    const msgId = randomUUID();

    // Act
    const reply = await new Promise<{ msg_type: string; status: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no kernel_info_reply within 30 s')), 30_000);
      socket.onerror = () => reject(new Error('websocket failed'));
      socket.onopen = () =>
        socket.send(
          JSON.stringify({
            header: {
              msg_id: msgId,
              msg_type: 'kernel_info_request',
              username: 'student',
              session: randomUUID(),
              version: '5.3',
            },
            parent_header: {},
            metadata: {},
            content: {},
            channel: 'shell',
          }),
        );
      socket.onmessage = (event) => {
        const message = JSON.parse(String(event.data));
        if (message.parent_header?.msg_id === msgId && message.channel === 'shell') {
          clearTimeout(timer);
          resolve({ msg_type: message.header.msg_type, status: message.content.status });
        }
      };
    });
    socket.close();
    const stopped = await get(`/api/kernels/${id}`, { method: 'DELETE', headers });
    await stopped.body?.cancel();

    // Assess
    expect(started.status).toBe(201);
    expect(reply).toEqual({ msg_type: 'kernel_info_reply', status: 'ok' });
  });

  it('serves the stored certificate again after a restart, without a new order', async () => {
    // Prepare
    const orders = () => (pebble.output().match(/POST \/order-plz/g) ?? []).length;
    const before = orders();
    let result: SeatProbeResult = { ready: false, reason: 'not probed' };

    // Act
    await machine.reboot();
    for (let attempt = 0; attempt < 60 && !result.ready; attempt++) {
      result = await probe();
      if (!result.ready) await sleep(500);
    }

    // Assess
    expect(result).toEqual({ ready: true });
    expect(before).toBeGreaterThan(0);
    expect(orders()).toBe(before);
  });
});
