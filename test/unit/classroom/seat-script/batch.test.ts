import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compileBatchSeatScript } from '../../../../layers/core/classroom/seat-script/batch';
import { SEAT_CONFIG_MARKER } from '../../../../layers/core/classroom/seat-script/seat-script';

const HASH =
  'argon2:$argon2id$v=19$m=4096,t=1,p=1$AAECAwQFBgcICQoLDA0ODw$K5kb+OmnXihtmad5eAxZxdDv+TrQ46PCRQpgWnEKfFE';
const seat = (n: number) => ({
  instanceId: `i-0000000${n}`,
  passwordHash: HASH,
  tokenDigest: String(n).repeat(64).slice(0, 64),
});

describe('compileBatchSeatScript', () => {
  it('gives each instance of the batch its own settings block, and refuses any other instance', () => {
    const script = compileBatchSeatScript(8888, [seat(1), seat(2)]);

    expect(script).toContain(`${SEAT_CONFIG_MARKER} i-00000001`);
    expect(script).toContain(`${SEAT_CONFIG_MARKER} i-00000002`);
    expect(script).toContain(
      "TOKEN_SHA256='2222222222222222222222222222222222222222222222222222222222222222'",
    );
    expect(script).toMatch(
      /\*\)\n\s+echo "bakehouse: instance \$instance_id is not a seat of this batch" >&2\n\s+exit 1/,
    );
  });

  it('is valid bash', () => {
    execFileSync('bash', ['-n'], { input: compileBatchSeatScript(8888, [seat(1)]) });
  });

  it.each([
    ['an instance id that is not one', [{ ...seat(1), instanceId: 'i-1; reboot' }], 8888],
    ['more than 50 seats', Array.from({ length: 51 }, () => seat(1)), 8888],
    ['no seat at all', [], 8888],
    ['port 22', [seat(1)], 22],
  ])('rejects %s', (_case, seats, port) => {
    expect(() => compileBatchSeatScript(port, seats)).toThrow(/invalid/);
  });
});
