/**
 * The user data of one RunInstances: the seat script for every seat the call launches. cloud-init
 * runs it once, at the instance's first boot; each instance finds its own settings by its launch
 * index (its position in the call). What every instance receives is the same text, and it holds
 * only hashes and digests of high-entropy secrets, never a plaintext credential. It is gzipped,
 * which cloud-init undoes itself, so 50 seats fit in EC2's 16 KB of user data.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import * as z from 'zod';
import { parseOrThrow } from '../../../base/validate';
import { fillSlots } from '../../shell';
import { PasswordHash, TokenDigest } from '../credentials';
import { PortSchema } from '../request/classroom-request';
import { IdleMinutesSchema } from '../request/schedule';
import { SeatHostSchema, type Tls, TlsSchema } from '../request/tls';
import { SEAT_REPORT_TAG } from '../seats/lifecycle';
import dispatch from './batch.sh';
import { renderSeatScript, SEAT_CONFIG_MARKER, tlsAssignments } from './seat-script';

/** EC2's limit on user data, in bytes before base64. */
export const USER_DATA_MAX_BYTES = 16 * 1024;

const BootSeatSettings = z
  .array(
    z.object({
      passwordHash: PasswordHash,
      tokenDigest: TokenDigest,
      /** The seat's public address, named by its certificate (with TLS). */
      host: SeatHostSchema.optional(),
    }),
  )
  .min(1)
  .max(50);
type BootSeatSettings = z.infer<typeof BootSeatSettings>;

/** What a seat's ready report carries: a digest of the settings it was given. */
export const settingsDigest = (passwordHash: string, tokenDigest: string) =>
  createHash('sha256').update(`${passwordHash}\n${tokenDigest}`).digest('hex').slice(0, 32);

/** One case arm per seat: its launch index, the settings marker and its values. */
function arms(port: number, idleMinutes: number, tls: Tls, seats: BootSeatSettings): string {
  return seats
    .map((seat, index) =>
      [
        `${index})`,
        `  ${SEAT_CONFIG_MARKER} ${index}`,
        `  PASSWORD_HASH='${seat.passwordHash}'`,
        `  TOKEN_SHA256='${seat.tokenDigest}'`,
        `  JUPYTER_PORT='${port}'`,
        `  IDLE_MINUTES='${idleMinutes}'`,
        ...tlsAssignments(tls, seat.host).map((line) => `  ${line}`),
        '  ;;',
      ].join('\n'),
    )
    .join('\n');
}

/** The boot script, as text (what cloud-init runs once it is unzipped). */
export function compileBootScript(
  port: number,
  tlsInput: z.input<typeof TlsSchema>,
  settings: BootSeatSettings,
  idleMinutes = 0,
): string {
  const seats = parseOrThrow(BootSeatSettings, settings, 'seat settings');
  const valid = parseOrThrow(PortSchema, port, 'seat port');
  const tls = parseOrThrow(TlsSchema, tlsInput, 'seat TLS');
  const idle = parseOrThrow(IdleMinutesSchema.or(z.literal(0)), idleMinutes, 'seat idle minutes');
  const unaddressed = seats.findIndex((seat) => tls.mode === 'acme' && seat.host === undefined);
  if (unaddressed >= 0) throw new RangeError(`seat ${unaddressed} has no address for TLS`);
  const filled = fillSlots(dispatch, { seats: arms(valid, idle, tls, seats) }).trimEnd();
  return renderSeatScript(`REPORT_TAG='${SEAT_REPORT_TAG}'\n${filled}`);
}

/** The boot script as user data: gzipped, within EC2's limit. */
export function bootUserData(...args: Parameters<typeof compileBootScript>): Uint8Array {
  const zipped = gzipSync(compileBootScript(...args), { level: 9 });
  if (zipped.length > USER_DATA_MAX_BYTES)
    throw new RangeError(`the boot script is ${zipped.length} bytes gzipped, over EC2's 16 KB`);
  return new Uint8Array(zipped);
}
