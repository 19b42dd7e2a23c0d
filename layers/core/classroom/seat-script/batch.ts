/**
 * One seat script for a whole batch, so a batch of 50 seats costs one SendCommand. Each instance
 * finds its own settings by its instance id; what every instance receives is the same text, and
 * it holds only hashes and digests of high-entropy secrets, never a plaintext credential.
 */
import { z } from 'zod';
import { parseOrThrow } from '../../../base/validate';
import { PasswordHash, TokenDigest } from '../credentials';
import { PortSchema } from '../request/classroom-request';
import { renderSeatScript, SEAT_CONFIG_MARKER } from './seat-script';

const BatchSeatSettings = z
  .array(
    z.object({
      instanceId: z.string().regex(/^i-[0-9a-f]{8,17}$/),
      passwordHash: PasswordHash,
      tokenDigest: TokenDigest,
    }),
  )
  .min(1)
  .max(50);
type BatchSeatSettings = z.infer<typeof BatchSeatSettings>;

/** Which instance am I? cloud-init's record, else IMDSv2 (the only metadata version seats allow). */
const whoAmI = `instance_id=$(cat /var/lib/cloud/data/instance-id 2>/dev/null || true)
if [[ ! "$instance_id" =~ ^i-[0-9a-f]+$ ]]; then
  imds_token=$(curl -fsS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')
  instance_id=$(curl -fsS -H "X-aws-ec2-metadata-token: $imds_token" http://169.254.169.254/latest/meta-data/instance-id)
fi`;

function dispatch(port: number, seats: BatchSeatSettings): string {
  const arms = seats.map((seat) =>
    [
      `${seat.instanceId})`,
      `  ${SEAT_CONFIG_MARKER} ${seat.instanceId}`,
      `  PASSWORD_HASH='${seat.passwordHash}'`,
      `  TOKEN_SHA256='${seat.tokenDigest}'`,
      `  JUPYTER_PORT='${port}'`,
      '  ;;',
    ].join('\n'),
  );
  return [
    whoAmI,
    'case "$instance_id" in',
    ...arms,
    '*)',
    '  echo "bakehouse: instance $instance_id is not a seat of this batch" >&2',
    '  exit 1',
    '  ;;',
    'esac',
  ].join('\n');
}

export function compileBatchSeatScript(port: number, settings: BatchSeatSettings): string {
  const seats = parseOrThrow(BatchSeatSettings, settings, 'batch seat settings');
  const valid = parseOrThrow(PortSchema, port, 'seat port');
  return renderSeatScript(dispatch(valid, seats));
}
