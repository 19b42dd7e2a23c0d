import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkPageLink,
  MAX_PAGE_LINK_DAYS,
  newPageKey,
  pageLinkExpiry,
  signPageLink,
} from '../../../layers/core/api/page/page-link';

const KEY = newPageKey(randomBytes);
const OTHER_KEY = newPageKey(randomBytes);
const NOW = new Date('2030-03-01T10:00:00Z');
const DAY = 86_400_000;

/** The query of a signed link, as the authorizer reads it. */
function signed(classId = 'intro-1', expiresAt = new Date(NOW.getTime() + 7 * DAY), key = KEY) {
  const link = signPageLink(key, 'https://api.example.edu', classId, expiresAt);
  const url = new URL(link.url);
  return {
    link,
    url,
    request: {
      classId: decodeURIComponent(url.pathname.split('/').at(-1) ?? ''),
      expires: url.searchParams.get('expires') ?? undefined,
      signature: url.searchParams.get('sig') ?? undefined,
    },
  };
}

describe('a signed page link', () => {
  it("is the class's page on the API, with its expiry and signature and nothing else", () => {
    const { link, url } = signed();

    expect(url.origin + url.pathname).toBe('https://api.example.edu/page/intro-1');
    expect([...url.searchParams.keys()]).toEqual(['expires', 'sig']);
    expect(link.expiresAt).toBe('2030-03-08T10:00:00.000Z');
    expect(link.url).not.toContain(KEY);
    expect(link.url).not.toContain(Buffer.from(KEY, 'base64').toString('base64url'));
  });

  it('is accepted for its class until it expires', () => {
    const { request } = signed();

    expect(checkPageLink(KEY, request, NOW)).toEqual({
      ok: true,
      expiresAt: '2030-03-08T10:00:00.000Z',
    });
    expect(checkPageLink(KEY, request, new Date('2030-03-08T09:59:59Z')).ok).toBe(true);
  });

  it('is refused once expired, at the second it expires', () => {
    const { request } = signed();

    expect(checkPageLink(KEY, request, new Date('2030-03-08T10:00:00Z'))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('is refused with a later expiry than it was signed for (tampered)', () => {
    const { request } = signed();
    const later = { ...request, expires: String(Number(request.expires) + 86_400) };

    expect(checkPageLink(KEY, later, NOW)).toEqual({ ok: false, reason: 'signature' });
  });

  it('is refused with one character of its signature changed (tampered)', () => {
    const { request } = signed();
    const signature = request.signature ?? '';
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);

    expect(checkPageLink(KEY, { ...request, signature: flipped }, NOW)).toEqual({
      ok: false,
      reason: 'signature',
    });
  });

  it("is refused for another class's page", () => {
    const { request } = signed('intro-1');

    expect(checkPageLink(KEY, { ...request, classId: 'intro-2' }, NOW)).toEqual({
      ok: false,
      reason: 'signature',
    });
    expect(checkPageLink(KEY, { ...request, classId: 'intro-10' }, NOW).ok).toBe(false);
  });

  it('is refused when checked with another key', () => {
    const { request } = signed();

    expect(checkPageLink(OTHER_KEY, request, NOW)).toEqual({ ok: false, reason: 'signature' });
  });

  it('is refused without its expiry or signature, or with malformed ones', () => {
    const { request } = signed();

    for (const bad of [
      { ...request, expires: undefined },
      { ...request, signature: undefined },
      { ...request, signature: '' },
      { ...request, expires: '1e12' },
      { ...request, expires: `${request.expires},${request.expires}` },
      { ...request, signature: `${request.signature},${request.signature}` },
      { ...request, signature: request.signature?.slice(1) },
      { ...request, classId: '' },
    ])
      expect(checkPageLink(KEY, bad, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses to sign or check with a key shorter than 32 bytes', () => {
    const short = Buffer.alloc(16, 1).toString('base64');

    expect(() => signPageLink(short, 'https://x', 'c', NOW)).toThrow(RangeError);
    expect(() => checkPageLink(short, signed().request, NOW)).toThrow(RangeError);
  });
});

describe('when a page link expires', () => {
  const retires = new Date(NOW.getTime() + 20 * DAY);

  it('by default, when the class retires (its seats are deleted)', () => {
    expect(pageLinkExpiry(NOW, retires)).toEqual(retires);
  });

  it('after the days asked for', () => {
    expect(pageLinkExpiry(NOW, retires, 3)).toEqual(new Date(NOW.getTime() + 3 * DAY));
  });

  it('at least a day from now, and at most the longest a link may last', () => {
    expect(pageLinkExpiry(NOW, new Date(NOW.getTime() - DAY))).toEqual(
      new Date(NOW.getTime() + DAY),
    );
    expect(pageLinkExpiry(NOW, new Date(NOW.getTime() + 400 * DAY))).toEqual(
      new Date(NOW.getTime() + MAX_PAGE_LINK_DAYS * DAY),
    );
  });
});
