// A class's seats by name: a Route 53 hosted zone the organizer owns, and the names seats get in it.
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { ValidationError } from '../../../base/errors';

/** The longest DNS name in text form, without the trailing dot (RFC 1035: 255 octets on the wire). */
export const MAX_NAME_LENGTH = 253;
/** The longest label (RFC 1035). */
export const MAX_LABEL_LENGTH = 63;
/** The longest seat label bakehouse makes: `seat-` and up to four digits (at most 1000 seats). */
const SEAT_LABEL_ROOM = 'seat-1000'.length;
/** `-` and this many hex digits of the class id keep two classes of one name apart in a zone. */
const CLASS_DIGEST_LENGTH = 6;
/** The longest class label: a class name (at most 40 characters), `-` and the digest. */
const CLASS_LABEL_ROOM = 40 + 1 + CLASS_DIGEST_LENGTH;

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A domain in the organizer's hosted zone (the zone's apex or a name under it), lowercase, without
 * a trailing dot. Room is left for the seat and class labels within the 253 characters of a name.
 */
export const DomainSchema = z
  .string()
  .transform((text) => text.toLowerCase().replace(/\.$/, ''))
  .refine(
    (domain) => domain.split('.').length >= 2 && domain.split('.').every((l) => LABEL.test(l)),
    {
      message: 'must be a domain name such as classes.example.org (letters, digits, - and dots)',
      abort: true,
    },
  )
  .refine((domain) => domain.length + SEAT_LABEL_ROOM + CLASS_LABEL_ROOM + 2 <= MAX_NAME_LENGTH, {
    message: `must be at most ${MAX_NAME_LENGTH - SEAT_LABEL_ROOM - CLASS_LABEL_ROOM - 2} characters: seat names add two labels to it`,
  });

/** A Route 53 hosted zone id, as the console shows it (`/hostedzone/` prefix accepted and dropped). */
export const HostedZoneIdSchema = z
  .string()
  .transform((text) => text.replace(/^\/hostedzone\//, ''))
  .pipe(
    z
      .string()
      .regex(
        /^Z[A-Z0-9]{1,31}$/,
        'must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ',
      ),
  );

export const DnsSchema = z.strictObject({
  hostedZoneId: HostedZoneIdSchema,
  domain: DomainSchema,
});
export type Dns = z.infer<typeof DnsSchema>;

/**
 * The class's label: its name as a DNS label (runs of `-` made one, none at either end, so no
 * `xn--` look-alike) and six hex digits of the class id, so two classes of one name in one zone
 * never share a seat name.
 */
export function classLabel(name: string, classId: string): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, MAX_LABEL_LENGTH - 1 - CLASS_DIGEST_LENGTH)
      .replace(/-$/, '') || 'class';
  const digest = createHash('sha256').update(classId).digest('hex').slice(0, CLASS_DIGEST_LENGTH);
  return `${base}-${digest}`;
}

/** `seat-007.<class label>.<domain>`: a seat's name, the one its certificate and its link carry. */
export function seatName(dns: Pick<Dns, 'domain'>, label: string, seatId: string): string {
  const name = `${seatId}.${label}.${dns.domain}`;
  if (!LABEL.test(seatId) || !LABEL.test(label) || name.length > MAX_NAME_LENGTH)
    throw new RangeError(`${name} is not a DNS name of at most ${MAX_NAME_LENGTH} characters`);
  return name;
}

/** The suffix every seat name of the class ends with: `.<class label>.<domain>`. */
export const classSuffix = (dns: Pick<Dns, 'domain'>, label: string) => `.${label}.${dns.domain}`;

/**
 * A class may name seats only in the zone the stack's roles may change (`seatHostedZoneId`):
 * another zone is refused before anything launches, not found out when its records are written.
 */
export function checkSeatZone(dns: Dns | undefined, stackZoneId: string): void {
  if (!dns || dns.hostedZoneId === stackZoneId) return;
  const message = stackZoneId
    ? `must be ${stackZoneId}, the hosted zone this deployment may name seats in (seatHostedZoneId)`
    : 'cannot be used: this deployment names seats in no hosted zone (its seatHostedZoneId is empty)';
  throw new ValidationError([{ path: 'dns.hostedZoneId', message }], 'classroom request');
}
