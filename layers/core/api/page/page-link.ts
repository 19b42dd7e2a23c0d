// The instructor's link to a class page: the class id and an expiry, signed with the
// deployment's page key (HMAC-SHA256). The key never leaves Parameter Store and the functions'
// memory; the link carries only the expiry and the signature.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Query parameters of a signed page link (also the authorizer's identity sources). */
export const PAGE_LINK_QUERY = { expires: 'expires', signature: 'sig' } as const;

/** Bytes of a fresh page key; stored base64-encoded. */
export const PAGE_KEY_BYTES = 32;

const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;
const EPOCH_SECONDS = /^[1-9]\d{0,11}$/;
const DAY_MS = 86_400_000;

/** A link is never good for more than this many days from when it is made. */
export const MAX_PAGE_LINK_DAYS = 90;

const decodeKey = (key: string) => {
  const bytes = Buffer.from(key, 'base64');
  if (bytes.length < PAGE_KEY_BYTES) throw new RangeError('the page key is too short');
  return bytes;
};

const mac = (key: Buffer, classId: string, expires: number) =>
  createHmac('sha256', key).update(`bakehouse-page\n${classId}\n${expires}`).digest();

/** The signature of `classId` until `expires` (epoch seconds), base64url. */
export function pageSignature(key: string, classId: string, expires: number): string {
  return mac(decodeKey(key), classId, expires).toString('base64url');
}

export interface PageLink {
  url: string;
  expiresAt: string;
}

/** The class page's link under `baseUrl` (the API's address), signed until `expiresAt`. */
export function signPageLink(
  key: string,
  baseUrl: string,
  classId: string,
  expiresAt: Date,
): PageLink {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  const url = new URL(
    `page/${encodeURIComponent(classId)}`,
    baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`,
  );
  url.searchParams.set(PAGE_LINK_QUERY.expires, String(expires));
  url.searchParams.set(PAGE_LINK_QUERY.signature, pageSignature(key, classId, expires));
  return { url: url.toString(), expiresAt: new Date(expires * 1000).toISOString() };
}

export type PageLinkVerdict =
  | { ok: true; expiresAt: string }
  | { ok: false; reason: 'malformed' | 'expired' | 'signature' };

/**
 * Whether a request for `classId`'s page carries a good signature that has not expired. The
 * signatures are compared in constant time; a malformed one is refused before any comparison.
 */
export function checkPageLink(
  key: string,
  request: { classId: string; expires: string | undefined; signature: string | undefined },
  now: Date,
): PageLinkVerdict {
  const { classId, expires, signature } = request;
  if (!classId || !expires || !signature) return { ok: false, reason: 'malformed' };
  if (!EPOCH_SECONDS.test(expires) || !SIGNATURE.test(signature))
    return { ok: false, reason: 'malformed' };
  const seconds = Number(expires);
  const expected = mac(decodeKey(key), classId, seconds);
  const given = Buffer.from(signature, 'base64url');
  const good = given.length === expected.length && timingSafeEqual(given, expected);
  if (!good) return { ok: false, reason: 'signature' };
  if (seconds * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, expiresAt: new Date(seconds * 1000).toISOString() };
}

/**
 * When a link made `now` expires: after `days` days when asked (1 to MAX_PAGE_LINK_DAYS), else
 * when the class's seats are deleted (`retiresAt`), but at least a day and at most
 * MAX_PAGE_LINK_DAYS from now.
 */
export function pageLinkExpiry(now: Date, retiresAt: Date, days?: number): Date {
  const at = days === undefined ? retiresAt.getTime() : now.getTime() + days * DAY_MS;
  const bounded = Math.min(
    Math.max(at, now.getTime() + DAY_MS),
    now.getTime() + MAX_PAGE_LINK_DAYS * DAY_MS,
  );
  return new Date(bounded);
}

/** A fresh page key from `randomBytes` (crypto.randomBytes in production), base64. */
export const newPageKey = (randomBytes: (n: number) => Uint8Array) =>
  Buffer.from(randomBytes(PAGE_KEY_BYTES)).toString('base64');
