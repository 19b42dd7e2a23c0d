// The class page over HTTP against the local stack: its signed link, the page authorizer as API
// Gateway runs it (401 without the link's parameters, 403 when they do not hold), the page and
// its status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ErrorSchema,
  GatewayErrorSchema,
  PageLinkSchema,
  PageStatusSchema,
} from '../../layers/core/api/schemas';
import { type LocalStack, serveLocally } from '../../local/serve';
import { sessionStartingSoon } from '../../local/session-soon';
import { BASE_IMAGES } from '../../local/sim/ec2/base-images';

let stack: LocalStack;
let classId: string;

beforeAll(async () => {
  stack = await serveLocally({ port: 0, scale: 600, outboxDir: '.cache/page-outbox', quiet: true });
  const response = await fetch(`${stack.url}/classrooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'intro-genomics',
      // A public image the simulated account can launch at once.
      image: BASE_IMAGES[0]?.imageId,
      students: [
        { name: 'Ada Lovelace', email: 'ada@example.edu' },
        { name: 'Alan Turing', email: 'alan@example.edu' },
      ],
      schedule: sessionStartingSoon(Date.now(), 8),
      instructor: { email: 'grace@example.edu' },
      sender: 'classes@example.edu',
    }),
  });
  classId = ((await response.json()) as { id: string }).id;
  await stack.idle();
}, 120_000);

afterAll(async () => {
  await stack.close();
});

async function signedLink(query = '') {
  const response = await fetch(`${stack.url}/classrooms/${classId}/page${query}`, {
    method: 'POST',
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

describe('POST /classrooms/{id}/page', () => {
  it('answers a link to the class page on this API, and when it expires', async () => {
    const { status, body } = await signedLink('?days=2');

    expect(status).toBe(200);
    const link = PageLinkSchema.parse(body);
    expect(link.url.startsWith(`${stack.url}/page/${classId}?expires=`)).toBe(true);
    // Two days from the local stack's simulated now, which runs ahead of the wall clock, 600×.
    const hours = (Date.parse(link.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(47);
    expect(hours).toBeLessThan(48 + 10);
  });

  it('answers 400 naming days for a link longer than allowed', async () => {
    const { status, body } = await signedLink('?days=365');
    expect(status).toBe(400);
    expect(ErrorSchema.parse(body).issues?.map((i) => i.path)).toEqual(['days']);
  });

  it('answers 404 for a class it does not know', async () => {
    const response = await fetch(`${stack.url}/classrooms/class-nobody/page`, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(ErrorSchema.parse(await response.json()).error).toBe('NotFoundError');
  });
});

describe('the class page', () => {
  const link = async () => new URL(PageLinkSchema.parse((await signedLink()).body).url);

  it('is an HTML page with the class, and no signature, key or password on it', async () => {
    const url = await link();
    const response = await fetch(url);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('<title>intro-genomics</title>');
    expect(html).toContain('name="viewport"');
    expect(html).not.toContain(url.searchParams.get('sig'));
    expect(html).not.toMatch(/password|token/i);
  });

  it('answers its status: the seats with their students, who was emailed, the schedule', async () => {
    const url = await link();
    const response = await fetch(`${stack.url}/page/${classId}/status${url.search}`);
    const status = PageStatusSchema.parse(await response.json());

    expect(status.class.id).toBe(classId);
    expect(status.class.state).toBe('ready');
    expect(status.class.seats.map((s) => [s.student, s.state])).toEqual([
      ['Ada Lovelace', 'ready'],
      ['Alan Turing', 'ready'],
    ]);
    expect(status.emailed).toEqual(status.class.seats.map((s) => s.seat));
    expect(status.schedule).toHaveLength(1);
    expect(status.timezone).toBe('UTC');
  });

  it('is refused 401, before the authorizer runs, without the link’s expires and sig', async () => {
    for (const path of [`/page/${classId}`, `/page/${classId}/status`, `/page/${classId}?sig=x`]) {
      const response = await fetch(`${stack.url}${path}`);
      expect(response.status, path).toBe(401);
      expect(GatewayErrorSchema.parse(await response.json())).toEqual({ message: 'Unauthorized' });
    }
  });

  it('is refused 403 with a tampered signature or expiry, or on another class', async () => {
    const url = await link();
    const tampered = new URL(url);
    tampered.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 60));
    const resigned = new URL(url);
    resigned.searchParams.set('sig', 'A'.repeat(43));
    const elsewhere = new URL(url.toString().replace(`/page/${classId}`, '/page/class-other'));
    for (const bad of [tampered, resigned, elsewhere]) {
      const response = await fetch(bad);
      expect(response.status, bad.toString()).toBe(403);
      expect(await response.json()).toEqual({ message: 'Forbidden' });
    }
  });
});
