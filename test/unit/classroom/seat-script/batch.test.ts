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

const NO_TLS = { mode: 'none' } as const;
const ACME = { mode: 'acme', directory: 'https://acme.example.org/dir' } as const;

describe('compileBatchSeatScript', () => {
  it('gives each instance of the batch its own settings block, and refuses any other instance', () => {
    const script = compileBatchSeatScript(8888, NO_TLS, [seat(1), seat(2)]);

    expect(script).toContain(`${SEAT_CONFIG_MARKER} i-00000001`);
    expect(script).toContain(`${SEAT_CONFIG_MARKER} i-00000002`);
    expect(script).toContain(
      "TOKEN_SHA256='2222222222222222222222222222222222222222222222222222222222222222'",
    );
    expect(script).toMatch(
      /\*\)\n\s+echo "bakehouse: instance \$instance_id is not a seat of this batch" >&2\n\s+exit 1/,
    );
  });

  it('gives each seat its own address with TLS, and the class its CA', () => {
    const script = compileBatchSeatScript(8888, ACME, [
      { ...seat(1), host: '203.0.113.1' },
      { ...seat(2), host: '203.0.113.2' },
    ]);

    expect(script).toContain(
      "  TLS_MODE='acme'\n  ACME_DIRECTORY='https://acme.example.org/dir'\n  SEAT_HOST='203.0.113.1'\n",
    );
    expect(script).toMatch(/i-00000001\)\n[^)]*SEAT_HOST='203\.0\.113\.1'\n\s+;;/);
    expect(script).toMatch(/i-00000002\)\n[^)]*SEAT_HOST='203\.0\.113\.2'\n\s+;;/);
    execFileSync('bash', ['-n'], { input: script });
  });

  it('refuses a TLS seat without an address, and an address that is not an IPv4 address', () => {
    expect(() => compileBatchSeatScript(8888, ACME, [seat(1)])).toThrow(/no address for TLS/);
    expect(() =>
      compileBatchSeatScript(8888, ACME, [{ ...seat(1), host: "1.2.3.4'; reboot; '" }]),
    ).toThrow(/invalid/);
  });

  it.each([
    ['a directory with a quote', "https://x.example/dir'$(reboot)"],
    ['a plain-HTTP directory', 'http://acme.example.org/dir'],
    ['a directory with a brace', 'https://x.example/{dir}'],
  ])('refuses %s', (_case, directory) => {
    expect(() =>
      compileBatchSeatScript(8888, { mode: 'acme', directory }, [
        { ...seat(1), host: '203.0.113.1' },
      ]),
    ).toThrow(/invalid/);
  });

  it("gives every seat the class's idle window, none by default, and refuses a bad one", () => {
    expect(compileBatchSeatScript(8888, NO_TLS, [seat(1)])).toContain("  IDLE_MINUTES='0'");
    expect(
      compileBatchSeatScript(8888, NO_TLS, [seat(1), seat(2)], 45).match(/IDLE_MINUTES='45'/g),
    ).toHaveLength(2);
    expect(() => compileBatchSeatScript(8888, NO_TLS, [seat(1)], -1)).toThrow(/idle/);
  });

  it('is valid bash', () => {
    execFileSync('bash', ['-n'], { input: compileBatchSeatScript(8888, NO_TLS, [seat(1)]) });
  });

  it.each([
    ['an instance id that is not one', [{ ...seat(1), instanceId: 'i-1; reboot' }], 8888],
    ['more than 50 seats', Array.from({ length: 51 }, () => seat(1)), 8888],
    ['no seat at all', [], 8888],
    ['port 22', [seat(1)], 22],
  ])('rejects %s', (_case, seats, port) => {
    expect(() => compileBatchSeatScript(port, NO_TLS, seats)).toThrow(/invalid/);
  });
});
