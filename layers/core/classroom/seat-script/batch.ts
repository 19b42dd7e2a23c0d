/**
 * One seat script for a whole batch, so a batch of 50 seats costs one SendCommand. Each instance
 * finds its own settings by its instance id; what every instance receives is the same text, and
 * it holds only hashes and digests of high-entropy secrets, never a plaintext credential.
 * batch.sh finds the instance id and holds the case the arms go into.
 */
import * as z from 'zod';
import { parseOrThrow } from '../../../base/validate';
import { fillSlots } from '../../shell';
import { PasswordHash, TokenDigest } from '../credentials';
import { PortSchema } from '../request/classroom-request';
import { SeatHostSchema, type Tls, TlsSchema } from '../request/tls';
import dispatch from './batch.sh';
import { renderSeatScript, SEAT_CONFIG_MARKER, tlsAssignments } from './seat-script';

const BatchSeatSettings = z
  .array(
    z.object({
      instanceId: z.string().regex(/^i-[0-9a-f]{8,17}$/),
      passwordHash: PasswordHash,
      tokenDigest: TokenDigest,
      /** The seat's public address, named by its certificate (with TLS). */
      host: SeatHostSchema.optional(),
    }),
  )
  .min(1)
  .max(50);
type BatchSeatSettings = z.infer<typeof BatchSeatSettings>;

/** One case arm per seat: its instance id, the settings marker and its values. */
function arms(port: number, tls: Tls, seats: BatchSeatSettings): string {
  return seats
    .map((seat) =>
      [
        `${seat.instanceId})`,
        `  ${SEAT_CONFIG_MARKER} ${seat.instanceId}`,
        `  PASSWORD_HASH='${seat.passwordHash}'`,
        `  TOKEN_SHA256='${seat.tokenDigest}'`,
        `  JUPYTER_PORT='${port}'`,
        ...tlsAssignments(tls, seat.host).map((line) => `  ${line}`),
        '  ;;',
      ].join('\n'),
    )
    .join('\n');
}

export function compileBatchSeatScript(
  port: number,
  tlsInput: z.input<typeof TlsSchema>,
  settings: BatchSeatSettings,
): string {
  const seats = parseOrThrow(BatchSeatSettings, settings, 'batch seat settings');
  const valid = parseOrThrow(PortSchema, port, 'seat port');
  const tls = parseOrThrow(TlsSchema, tlsInput, 'seat TLS');
  const acme = tls.mode === 'acme';
  const unaddressed = seats.find((seat) => acme && seat.host === undefined);
  if (unaddressed) throw new RangeError(`seat ${unaddressed.instanceId} has no address for TLS`);
  return renderSeatScript(fillSlots(dispatch, { seats: arms(valid, tls, seats) }).trimEnd());
}
