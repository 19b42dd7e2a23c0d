/**
 * The script SSM Run Command sends to every seat of a classroom (seat-script.sh). It runs Jupyter
 * under systemd as the image's unprivileged user, behind the seat's password hash and token
 * digest, and returns once Jupyter's own process listens on the port, or fails within seconds,
 * with the unit's journal, if Jupyter exits. It reads what the bake left in
 * /etc/bakehouse/jupyter.env.
 *
 * AWS-RunShellScript saves the text as `_script.sh` and runs it with `sh -c`, so the shebang picks
 * bash. Values are embedded as single-quoted shell words and Python strings; the schema admits
 * only characters that are inert in both.
 */
import * as z from 'zod';
import { parseOrThrow } from '../../../base/validate';
import { fillSlots, heredoc, readonlyValue, shQuote } from '../../shell';
import { PasswordHash, TokenDigest } from '../credentials';
import { IdleMinutesSchema } from '../request/schedule';
import { AcmeDirectorySchema, SeatHostSchema } from '../request/tls';
import { jupyterAuthFiles } from './jupyter-auth/python-package';
import seatScript from './seat-script.sh';

export const SeatSettings = z
  .object({
    /** An unprivileged port, so never 22. */
    port: z.number().int().min(1024).max(65_535),
    passwordHash: PasswordHash,
    tokenDigest: TokenDigest,
    /** The seat stops itself after this long without activity; 0 (the default): never. */
    idleMinutes: IdleMinutesSchema.or(z.literal(0)).default(0),
    /** HTTPS on 443 with a certificate for `host` from the ACME CA at `directory`, or plain HTTP. */
    tls: z.discriminatedUnion('mode', [
      z.strictObject({ mode: z.literal('none') }),
      z.strictObject({
        mode: z.literal('acme'),
        directory: AcmeDirectorySchema,
        host: SeatHostSchema,
      }),
    ]),
  })
  .strict();
export type SeatSettings = z.input<typeof SeatSettings>;
export type SeatTls = SeatSettings['tls'];

/** The lines after this marker carry the seat's values; the simulated AWS parses them. */
export const SEAT_CONFIG_MARKER = '# bakehouse:seat-config';
/** The systemd unit the seat script writes and starts. */
export const SEAT_UNIT = readonlyValue(seatScript, 'UNIT');
export const HEREDOC_END = 'BAKEHOUSE_EOF';
/**
 * The hashes are single-quoted on purpose (they contain `$`); said to shellcheck where the
 * settings begin, so a check of the whole script keeps every other finding.
 */
const LITERAL_DOLLARS = '# shellcheck disable=SC2016 # single-quoted: the hashes contain $';

export function compileSeatScript(settings: SeatSettings): string {
  const seat = parseOrThrow(SeatSettings, settings, 'seat settings');
  return renderSeatScript(
    [
      LITERAL_DOLLARS,
      SEAT_CONFIG_MARKER,
      `PASSWORD_HASH='${seat.passwordHash}'`,
      `TOKEN_SHA256='${seat.tokenDigest}'`,
      `JUPYTER_PORT='${seat.port}'`,
      `IDLE_MINUTES='${seat.idleMinutes}'`,
      ...tlsAssignments(seat.tls, seat.tls.mode === 'acme' ? seat.tls.host : undefined),
    ].join('\n'),
  );
}

/**
 * The seat script for a credential made on the instance itself: PASSWORD_HASH and TOKEN_SHA256
 * are read from `password-hash` and `token-sha256` in `credentialDir` when the script runs, so
 * no value of the credential is in the script's text. Plain HTTP, as the image test serves.
 */
export function compileSeatScriptForLocalCredential(port: number, credentialDir: string): string {
  const seatPort = parseOrThrow(SeatSettings.shape.port, port, 'seat port');
  const dir = shQuote(credentialDir);
  return renderSeatScript(
    [
      SEAT_CONFIG_MARKER,
      `PASSWORD_HASH=$(cat ${dir}/password-hash)`,
      `TOKEN_SHA256=$(cat ${dir}/token-sha256)`,
      `JUPYTER_PORT='${seatPort}'`,
      // The image test's seat never stops itself: it is terminated when the test ends.
      `IDLE_MINUTES='0'`,
      ...tlsAssignments({ mode: 'none' }, undefined),
    ].join('\n'),
  );
}

/** TLS_MODE, ACME_DIRECTORY and SEAT_HOST (both empty without TLS), as validated values. */
export function tlsAssignments(
  tls: { mode: 'none' } | { mode: 'acme'; directory: string },
  host: string | undefined,
): string[] {
  const acme = tls.mode === 'acme';
  return [
    `TLS_MODE='${tls.mode}'`,
    `ACME_DIRECTORY='${acme ? tls.directory : ''}'`,
    `SEAT_HOST='${acme ? (host ?? '') : ''}'`,
  ];
}

/**
 * The seat script around `settings`: shell that sets PASSWORD_HASH, TOKEN_SHA256, JUPYTER_PORT,
 * TLS_MODE, ACME_DIRECTORY, SEAT_HOST and IDLE_MINUTES from values already validated (one seat's, or a batch's chosen by instance id).
 */
export function renderSeatScript(settings: string): string {
  const files = Object.entries(jupyterAuthFiles).map(([name, source]) =>
    heredoc(`put 0644 root:root "$AUTH_DIR/$AUTH_PACKAGE"/${name}`, source, HEREDOC_END),
  );
  return fillSlots(seatScript, { seat: settings, 'auth-package': files.join('\n') });
}
