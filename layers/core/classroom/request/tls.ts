// How a class's seats are reached: HTTPS with a certificate from an ACME CA, or plain HTTP.
import * as z from 'zod';

/** Let's Encrypt's production ACME directory, the default CA. */
export const LETS_ENCRYPT_DIRECTORY = 'https://acme-v02.api.letsencrypt.org/directory';

/**
 * An ACME directory URL. It reaches a shell word and a Caddyfile on the seat, so only characters
 * inert in both are admitted (no quotes, spaces, braces, `$` or `#`).
 */
export const AcmeDirectorySchema = z
  .string()
  .max(200)
  .regex(
    /^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~/-]*)?$/,
    'must be an https URL of an ACME directory such as https://acme-v02.api.letsencrypt.org/directory',
  );

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

const DNS_NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/**
 * What a seat's certificate names: its public IPv4 address, or its name in the class's DNS zone
 * (lowercase; letters, digits, `-` and dots only, inert in a shell word and a Caddyfile).
 */
export const SeatHostSchema = z
  .string()
  .refine(
    (host) => IPV4.test(host) || DNS_NAME.test(host),
    'must be an IPv4 address or a DNS name',
  );

export const TlsSchema = z
  .discriminatedUnion('mode', [
    z.strictObject({
      mode: z.literal('acme'),
      directory: AcmeDirectorySchema.default(LETS_ENCRYPT_DIRECTORY),
    }),
    z.strictObject({ mode: z.literal('none') }),
  ])
  .default({ mode: 'acme', directory: LETS_ENCRYPT_DIRECTORY });
export type Tls = z.infer<typeof TlsSchema>;

/** HTTPS on 443 when the class has TLS, else Jupyter's own port. */
export const HTTPS_PORT = 443;
/** Port 80: ACME http-01 validation (and Caddy's redirect to https). */
export const ACME_HTTP_PORT = 80;
