import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  bootUserData,
  compileBootScript,
  USER_DATA_MAX_BYTES,
} from '../../../../layers/core/classroom/seat-script/batch';
import { SEAT_CONFIG_MARKER } from '../../../../layers/core/classroom/seat-script/seat-script';

const HASH =
  'argon2:$argon2id$v=19$m=4096,t=1,p=1$AAECAwQFBgcICQoLDA0ODw$K5kb+OmnXihtmad5eAxZxdDv+TrQ46PCRQpgWnEKfFE';
const seat = (n: number) => ({
  passwordHash: HASH,
  tokenDigest: String(n).repeat(64).slice(0, 64),
});

const NO_TLS = { mode: 'none' } as const;
const ACME = { mode: 'acme', directory: 'https://acme.example.org/dir' } as const;

describe('compileBootScript', () => {
  it('gives each instance of the launch its own settings block by launch index, and refuses any other', () => {
    const script = compileBootScript(8888, NO_TLS, [seat(1), seat(2)]);

    expect(script).toContain(`${SEAT_CONFIG_MARKER} 0`);
    expect(script).toContain(`${SEAT_CONFIG_MARKER} 1`);
    expect(script).toContain('meta-data/ami-launch-index');
    expect(script).toContain("REPORT_TAG='bakehouse:seat-report'");
    expect(script).toContain(
      "TOKEN_SHA256='2222222222222222222222222222222222222222222222222222222222222222'",
    );
    expect(script).toMatch(
      /\*\)\n\s+echo "bakehouse: launch index \$launch_index is not a seat of this launch" >&2\n\s+exit 1/,
    );
  });

  it('gives each seat its own address with TLS, and the class its CA', () => {
    const script = compileBootScript(8888, ACME, [
      { ...seat(1), host: '203.0.113.1' },
      { ...seat(2), host: '203.0.113.2' },
    ]);

    expect(script).toContain(
      "  TLS_MODE='acme'\n  ACME_DIRECTORY='https://acme.example.org/dir'\n  SEAT_HOST='203.0.113.1'\n",
    );
    expect(script).toMatch(/\n0\)\n[^)]*SEAT_HOST='203\.0\.113\.1'\n\s+;;/);
    expect(script).toMatch(/\n1\)\n[^)]*SEAT_HOST='203\.0\.113\.2'\n\s+;;/);
    execFileSync('bash', ['-n'], { input: script });
  });

  it('refuses a TLS seat without an address, and an address that is not an IPv4 address', () => {
    expect(() => compileBootScript(8888, ACME, [seat(1)])).toThrow(/no address for TLS/);
    expect(() =>
      compileBootScript(8888, ACME, [{ ...seat(1), host: "1.2.3.4'; reboot; '" }]),
    ).toThrow(/invalid/);
  });

  it.each([
    ['a directory with a quote', "https://x.example/dir'$(reboot)"],
    ['a plain-HTTP directory', 'http://acme.example.org/dir'],
    ['a directory with a brace', 'https://x.example/{dir}'],
  ])('refuses %s', (_case, directory) => {
    expect(() =>
      compileBootScript(8888, { mode: 'acme', directory }, [{ ...seat(1), host: '203.0.113.1' }]),
    ).toThrow(/invalid/);
  });

  it("gives every seat the class's idle window, none by default, and refuses a bad one", () => {
    expect(compileBootScript(8888, NO_TLS, [seat(1)])).toContain("  IDLE_MINUTES='0'");
    expect(
      compileBootScript(8888, NO_TLS, [seat(1), seat(2)], 45).match(/IDLE_MINUTES='45'/g),
    ).toHaveLength(2);
    expect(() => compileBootScript(8888, NO_TLS, [seat(1)], -1)).toThrow(/idle/);
  });

  it('is valid bash', () => {
    execFileSync('bash', ['-n'], { input: compileBootScript(8888, NO_TLS, [seat(1)]) });
  });

  it.each([
    ['a token digest that is not one', [{ ...seat(1), tokenDigest: "x'; reboot; '" }], 8888],
    ['more than 50 seats', Array.from({ length: 51 }, () => seat(1)), 8888],
    ['no seat at all', [], 8888],
    ['port 22', [seat(1)], 22],
  ])('rejects %s', (_case, seats, port) => {
    expect(() => compileBootScript(port, NO_TLS, seats)).toThrow(/invalid/);
  });

  it("fits 50 TLS seats in EC2's 16 KB of user data, gzipped as cloud-init reads it", () => {
    const seats = Array.from({ length: 50 }, (_, i) => ({ ...seat(i), host: `203.0.113.${i}` }));
    const userData = bootUserData(8888, ACME, seats);

    expect(userData.length).toBeLessThanOrEqual(USER_DATA_MAX_BYTES);
    expect(gunzipSync(userData).toString('utf8')).toBe(compileBootScript(8888, ACME, seats));
  });
});
