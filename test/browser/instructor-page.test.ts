// The class page as an instructor sees it: Debian's chromium, driven by playwright-core, against
// `bakehouse serve` in its own process. A screenshot is kept at test/artifacts/instructor-page.png.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../local/serverless-config';
import { sessionStartingSoon } from '../../local/session-soon';
import { BASE_IMAGES } from '../../local/sim/ec2/base-images';
import { ARGS, TSX } from '../cli/run';

const CHROMIUM = '/usr/bin/chromium';
const missing = existsSync(CHROMIUM)
  ? undefined
  : `${CHROMIUM} is missing (apt-get install chromium)`;
if (missing && process.env.CI === 'true') throw new Error(`CI needs chromium: ${missing}`);
if (missing) console.warn(`skipping the browser test: ${missing}`);

export const SCREENSHOT = join(ROOT, 'test/artifacts/instructor-page.png');

let server: ChildProcess | undefined;
let browser: Browser | undefined;
let endpoint: string;
let classId: string;

async function startServe(): Promise<string> {
  server = spawn(TSX, [...ARGS, 'serve', '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise<string>((resolve, reject) => {
    let seen = '';
    server?.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const url = /listening on (http:\/\/localhost:\d+)/.exec(seen)?.[1];
      if (url) resolve(url);
    });
    server?.once('exit', (code) => reject(new Error(`bakehouse serve exited ${code}`)));
  });
}

/** POST `path`, until the answer is not a 404 (the class record is written once it is planned). */
async function post(path: string, body?: unknown, tries = 100): Promise<Response> {
  for (let i = 0; ; i++) {
    const response = await fetch(`${endpoint}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status !== 404 || i >= tries) return response;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Seat, student, state and emailed of each row of the seat table. */
const seatStates = async (page: Page) =>
  Promise.all(
    (await page.locator('#seats tr').all()).map(async (row) =>
      (await row.locator('td').allTextContents()).slice(0, 4),
    ),
  );

beforeAll(async () => {
  if (missing) return;
  endpoint = await startServe();
  const started = await post('/classrooms', {
    name: 'intro-genomics',
    image: BASE_IMAGES[0]?.imageId,
    students: [
      { name: 'Ada Lovelace', email: 'ada@example.edu' },
      { name: 'Alan Turing', email: 'alan@example.edu' },
      { name: 'Grace Hopper', email: 'grace@example.edu' },
    ],
    // One long session: its end (and the seats' stop) is minutes of wall time away at 600×.
    schedule: sessionStartingSoon(Date.now(), 24),
    instructor: { name: 'Barbara Liskov', email: 'barbara@example.edu' },
    // Without TLS a seat has no Elastic IP: a replaced seat answers at its new instance's address.
    tls: { mode: 'none' },
    sender: 'classes@example.edu',
  });
  classId = ((await started.json()) as { id: string }).id;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server?.pid) process.kill(server.pid, 'SIGTERM');
});

describe.skipIf(missing)('the class page in chromium', () => {
  it('is refused without a signed link', async () => {
    const page = await (browser as Browser).newPage();
    const response = await page.goto(`${endpoint}/page/${classId}`);
    expect(response?.status()).toBe(401);
    await page.close();
  });

  it('shows the seats on a phone, updates itself, and its buttons act on the class', async () => {
    const link = (await (await post(`/classrooms/${classId}/page`)).json()) as { url: string };
    const page = await (browser as Browser).newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(link.url);

    // The page polls its status while seats are pending: all three become ready without a reload.
    const states = () => page.locator('#seats td.state').allTextContents();
    await expect
      .poll(states, { timeout: 40_000, interval: 250 })
      .toEqual(['ready', 'ready', 'ready']);
    expect(await seatStates(page)).toEqual([
      ['seat-001', 'Ada Lovelace', 'ready', 'yes'],
      ['seat-002', 'Alan Turing', 'ready', 'yes'],
      ['seat-003', 'Grace Hopper', 'ready', 'yes'],
    ]);
    // The class is ready once its roster is out, a moment after its last seat.
    await expect.poll(() => page.textContent('#state'), { timeout: 20_000 }).toBe('ready');
    expect(await page.textContent('#cost')).toMatch(/^\$\d+\.\d\d so far of \$\d+\.\d\d estimated/);
    mkdirSync(join(ROOT, 'test/artifacts'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    const fits = 'document.documentElement.scrollWidth <= window.innerWidth';
    expect(await page.evaluate(fits)).toBe(true);
    expect(await page.content()).not.toMatch(/password|token/i);

    const first = page.locator('#seats tr').first();
    expect(await first.locator('button').allTextContents()).toEqual(['replace', 'resend']);
    // A replaced seat gets a new instance: the row shows it ready at its new address.
    const address = () => first.locator('td.url').textContent();
    const before = await address();
    await first.locator('button', { hasText: 'replace' }).click();
    await expect
      .poll(() => page.textContent('#message'), { timeout: 10_000 })
      .toBe('replace: done');
    await expect
      .poll(async () => [await address(), await first.locator('td.state').textContent()], {
        timeout: 40_000,
        interval: 250,
      })
      .toEqual([expect.not.stringMatching(`^${before}$`), 'ready']);

    // Stop: the same operation as POST /classrooms/{id}/stop; the table follows by itself.
    expect(await page.locator('#controls button').allTextContents()).toEqual([
      'stop',
      'start',
      'extend',
    ]);
    await page.locator('#controls button', { hasText: 'stop' }).click();
    await expect.poll(() => page.textContent('#message'), { timeout: 10_000 }).toBe('stop: done');
    await expect
      .poll(async () => [await page.textContent('#state'), ...(await states())], {
        timeout: 60_000,
        interval: 250,
      })
      .toEqual(['stopped', 'stopped', 'stopped', 'stopped']);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.close();
  }, 150_000);
});
