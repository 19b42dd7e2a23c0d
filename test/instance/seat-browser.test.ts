/**
 * A student's browser on the emailed link: Debian's chromium, trusting pebble's root as browsers
 * trust Let's Encrypt's, opens the one-click link of a seat with TLS and lands in Jupyter logged
 * in. The page is kept as test/artifacts/seat-login.png.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCredential } from '../../layers/core/classroom/credentials';
import { loginLink, seatUrl } from '../../layers/core/classroom/seats/seat-url';
import { CERTUTIL, CHROMIUM, TrustingBrowser } from './support/browser';
import { containerTestsUnavailable, titled } from './support/host';
import { PEBBLE_DIRECTORY, Pebble } from './support/pebble';
import type { Ran } from './support/run';
import { random, SeatMachine } from './support/seat';

const missing = [CHROMIUM, CERTUTIL].every((tool) => existsSync(tool))
  ? undefined
  : `missing ${CHROMIUM} or ${CERTUTIL} (apt-get install chromium libnss3-tools)`;
if (missing && process.env.CI) throw new Error(`browser test cannot run on CI: ${missing}`);
const unavailable = containerTestsUnavailable() ?? missing;
const seat = generateCredential(random);
const HOST = '127.0.0.1';
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

describe.skipIf(unavailable)(titled("a student's browser on the emailed link", unavailable), () => {
  let pebble: Pebble;
  let machine: SeatMachine;
  let browser: TrustingBrowser;
  let ran: Ran;
  const url = seatUrl(HOST, 443, 'acme');

  beforeAll(async () => {
    pebble = await Pebble.start();
    const root = await pebble.issuingRoot();
    machine = await SeatMachine.boot();
    await machine.container.exec(
      ['sh', '-c', 'cat >/usr/local/share/ca-certificates/pebble.crt && update-ca-certificates'],
      { input: `${pebble.listenerCertificate}\n${root}` },
    );
    ran = await machine.seat(seat, machine.port, {
      mode: 'acme',
      directory: PEBBLE_DIRECTORY,
      host: HOST,
    });
    browser = await TrustingBrowser.launch(root);
  });

  afterAll(async () => {
    await browser?.close();
    await machine?.dispose();
    await pebble?.stop();
  });

  it('opens the one-click link over verified HTTPS and lands in Jupyter logged in', async () => {
    // Prepare
    expect(ran.code).toBe(0);
    const context = await browser.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();

    // Act
    const answer = await page.goto(loginLink(url, seat.token), { waitUntil: 'networkidle' });
    await page.locator('#notebook_list').waitFor({ state: 'visible', timeout: 30_000 });
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'seat-login.png') });
    const security = await answer?.securityDetails();
    const cookies = await context.cookies(url);
    const api = await page.evaluate(async () => (await fetch('/api/status')).status);
    await context.close();

    // Assess: the certificate chain verified (no error was ignored), the file browser is shown,
    // a login cookie is set for the seat and the API answers with it alone.
    expect(answer?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/tree');
    expect(security?.issuer).toMatch(/pebble/i);
    expect(cookies.filter((cookie) => cookie.name !== '_xsrf').length).toBeGreaterThan(0);
    expect(api).toBe(200);
  });

  it('shows the login page, not the files, to a browser without the token', async () => {
    // Prepare
    const context = await browser.browser.newContext();
    const page = await context.newPage();

    // Act
    await page.goto(new URL('/tree', url).toString());
    const password = await page.locator('input[type=password]').count();
    const path = new URL(page.url()).pathname;
    await context.close();

    // Assess
    expect(path).toBe('/login');
    expect(password).toBe(1);
  });
});
