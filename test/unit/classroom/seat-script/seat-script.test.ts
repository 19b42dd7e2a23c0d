import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../layers/base/errors';
import { compileBootScript } from '../../../../layers/core/classroom/seat-script/batch';
import { jupyterAuthFiles } from '../../../../layers/core/classroom/seat-script/jupyter-auth/python-package';
import {
  compileSeatScript,
  compileSeatScriptForLocalCredential,
  HEREDOC_END,
  SEAT_CONFIG_MARKER,
  type SeatSettings,
} from '../../../../layers/core/classroom/seat-script/seat-script';

const passwordHash =
  'argon2:$argon2id$v=19$m=19456,t=2,p=1$AAECAwQFBgcICQoLDA0ODw$K5kb+OmnXihtmad5eAxZxdDv+TrQ46PCRQpgWnEKfFE';
const tokenDigest = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const settings: SeatSettings = { port: 8888, passwordHash, tokenDigest, tls: { mode: 'none' } };

function lines(script: string): string[] {
  return script.split('\n');
}

describe('compileSeatScript', () => {
  it('starts with a bash shebang and strict mode, since sh -c runs the file', () => {
    // Act
    const [shebang, ...rest] = lines(compileSeatScript(settings));

    // Assess
    expect(shebang).toBe('#!/bin/bash');
    expect(rest).toContain('set -euo pipefail');
  });

  it('puts the seat values on the three lines right after the marker', () => {
    // Act
    const script = lines(compileSeatScript(settings));

    // Assess
    const at = script.indexOf(SEAT_CONFIG_MARKER);
    expect(SEAT_CONFIG_MARKER).toBe('# bakehouse:seat-config');
    expect(script.slice(at + 1, at + 4)).toEqual([
      `PASSWORD_HASH='${passwordHash}'`,
      `TOKEN_SHA256='${tokenDigest}'`,
      "JUPYTER_PORT='8888'",
    ]);
    expect(script.filter((line) => line === SEAT_CONFIG_MARKER)).toHaveLength(1);
  });

  it('is valid bash', () => {
    // Prepare
    const script = compileSeatScript(settings);

    // Act
    const check = () => execFileSync('bash', ['-n'], { input: script, stdio: 'pipe' });

    // Assess
    expect(check).not.toThrow();
  });

  it('embeds every file of the auth package whole, none able to end its here-document early', () => {
    // Act
    const script = compileSeatScript(settings);

    // Assess
    for (const [name, source] of Object.entries(jupyterAuthFiles)) {
      expect(lines(source)).not.toContain(HEREDOC_END);
      expect(script).toContain(`/${name} <<'${HEREDOC_END}'\n${source}${HEREDOC_END}\n`);
    }
  });

  it('enables and then restarts the unit, so a running server takes new credentials', () => {
    // Act
    const script = compileSeatScript(settings);

    // Assess
    const reload = script.indexOf('systemctl daemon-reload');
    const enable = script.indexOf('systemctl enable --quiet "$UNIT"');
    const restart = script.indexOf('systemctl restart "$UNIT"');
    expect(reload).toBeGreaterThan(0);
    expect(enable).toBeGreaterThan(reload);
    expect(restart).toBeGreaterThan(enable);
    const commands = lines(script).filter((line) => !line.trimStart().startsWith('#'));
    expect(commands.join('\n')).not.toMatch(/enable\s+--now|nohup|screen /);
  });

  it('runs Jupyter as a hardened systemd service of the unprivileged user', () => {
    // Act
    const script = compileSeatScript(settings);

    // Assess
    for (const line of [
      'User=$JUPYTER_USER',
      'WorkingDirectory=~',
      'Restart=on-failure',
      'NoNewPrivileges=yes',
      'ProtectSystem=full',
      'WantedBy=multi-user.target',
    ]) {
      expect(lines(script)).toContain(line);
    }
    expect(script).toContain('--ip=$jupyter_ip --port=$JUPYTER_PORT --port-retries=0 --no-browser');
    expect(script).toContain('fail "refusing to run Jupyter as root"');
  });

  it('puts Jupyter on the loopback address behind Caddy with TLS, on every address without', () => {
    // Act
    const script = compileSeatScript({
      ...settings,
      tls: { mode: 'acme', directory: 'https://acme.example.org/dir', host: '203.0.113.7' },
    });

    // Assess
    expect(lines(script)).toEqual(
      expect.arrayContaining([
        "TLS_MODE='acme'",
        "ACME_DIRECTORY='https://acme.example.org/dir'",
        "SEAT_HOST='203.0.113.7'",
        '  jupyter_ip=127.0.0.1',
        'none) jupyter_ip=0.0.0.0 ;;',
        'https://$SEAT_HOST {',
        '\t\t\tdir $ACME_DIRECTORY',
        '\t\t\tdisable_tlsalpn_challenge',
        '\treverse_proxy 127.0.0.1:$JUPYTER_PORT',
        '\tadmin off',
        '\tdefault_sni $SEAT_HOST',
      ]),
    );
  });

  it('reports readiness and prints the journal when Jupyter does not come up', () => {
    // Act
    const script = compileSeatScript(settings);

    // Assess
    expect(script).toContain('echo "bakehouse: seat ready on port $JUPYTER_PORT"');
    expect(script).toMatch(
      /journalctl --unit="\$UNIT" --since="@\$started" --lines=\d+ --no-pager >&2/,
    );
  });

  it('starts the flavour through the jupyter launcher or runs a flavour executable as it is', () => {
    // Act
    const script = compileSeatScript(settings);

    // Assess
    expect(script).toContain('server="$JUPYTER_COMMAND $JUPYTER_FLAVOUR"');
    expect(script).toContain('ExecStart=$server --config=$CONFIG_FILE');
  });

  it('keeps the Jupyter config readable by root and the Jupyter group only', () => {
    // Act
    const script = compileSeatScript(settings);

    // Assess
    expect(script).toContain('put 0640 "root:$group" "$CONFIG_FILE"');
    expect(script).toContain("password_hash='$PASSWORD_HASH',");
    expect(script).toContain("token_sha256='$TOKEN_SHA256',");
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['the SSH port', { port: 22 }, 'port'],
    ['a privileged port', { port: 443 }, 'port'],
    ['a port above 65535', { port: 65_536 }, 'port'],
    ['a fractional port', { port: 8888.5 }, 'port'],
    ['a port given as text', { port: "8888'; reboot; '" }, 'port'],
    [
      'a hash that breaks out of its quotes',
      { passwordHash: `${passwordHash}'; reboot; '` },
      'passwordHash',
    ],
    [
      'a digest with a command substitution',
      { tokenDigest: `$(reboot)${'a'.repeat(55)}` },
      'tokenDigest',
    ],
    [
      'a plaintext token in place of its digest',
      { tokenDigest: 'id99neBrcYfKejAY2c7PMdskQjhZDrqR4MvWwcPaPe4' },
      'tokenDigest',
    ],
    ['an unknown field', { token: 'plaintext' }, ''],
  ])('rejects %s, naming the field', (_, override, path) => {
    // Prepare
    const bad = { ...settings, ...override } as SeatSettings;

    // Act
    const compile = () => compileSeatScript(bad);

    // Assess
    expect(compile).toThrow(ValidationError);
    try {
      compile();
    } catch (error) {
      expect((error as ValidationError).issues.map((issue) => issue.path)).toContain(path);
    }
  });
});

describe('every way of compiling the seat script', () => {
  const SETTINGS = [
    'PASSWORD_HASH',
    'TOKEN_SHA256',
    'JUPYTER_PORT',
    'IDLE_MINUTES',
    'TLS_MODE',
    'ACME_DIRECTORY',
    'SEAT_HOST',
  ];
  const compiled = {
    'one seat': compileSeatScript(settings),
    'a boot script': compileBootScript(8888, { mode: 'none' }, [{ passwordHash, tokenDigest }]),
    'the image test': compileSeatScriptForLocalCredential(8888, '/root/bakehouse-image-test'),
  };

  it.each(Object.entries(compiled))('%s sets every setting the script reads', (_, script) => {
    for (const name of SETTINGS) expect(script, name).toMatch(new RegExp(`^\\s*${name}=`, 'm'));
  });
});
