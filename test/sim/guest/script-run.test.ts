import { describe, expect, it } from 'vitest';
import { compileBootScript } from '../../../layers/core/classroom/seat-script/batch';
import { compileSeatScript } from '../../../layers/core/classroom/seat-script/seat-script';
import { renderScript } from '../../../layers/core/recipe/script';
import { runScript, seatConfigOf, streamText, truncate } from '../../../local/sim/guest/script-run';
import { Random } from '../../../local/sim/kernel/random';

const stdout = (script: string, fail?: { match?: string }) =>
  streamText(runScript(script, new Random(1), fail), 'stdout');

describe('simulated script runs', () => {
  it('prints start and done for each phase of a rendered bake script, and nothing from inside functions', () => {
    // Prepare
    const script = renderScript(
      ['bake datasci'],
      [
        { name: 'apt', body: 'echo "installing"\napt_install r-base' },
        { name: 'python', body: 'pip install numpy' },
      ],
    );

    // Act
    const out = stdout(script);

    // Assess
    expect(out).toBe(
      [
        'bakehouse: phase apt start',
        'bakehouse: phase apt done',
        'bakehouse: phase python start',
        'bakehouse: phase python done',
        '',
      ].join('\n'),
    );
  });

  it('fails in the phase running the matching line and stops there', () => {
    // Prepare
    const script = renderScript(
      [],
      [
        { name: 'apt', body: 'apt_install r-base' },
        { name: 'cran', body: 'Rscript -e "install.packages(\'Seurat\')"' },
        { name: 'jupyter', body: 'pip install jupyterlab' },
      ],
    );

    // Act
    const run = runScript(script, new Random(1), { match: 'phase_cran' });

    // Assess
    expect(run.exitCode).toBe(1);
    expect(streamText(run, 'stdout').trimEnd().split('\n')).toEqual([
      'bakehouse: phase apt start',
      'bakehouse: phase apt done',
      'bakehouse: phase cran start',
      'bakehouse: last lines of /var/log/bakehouse/cran.log:',
      'simulated failure (faults.commandFails)',
      'bakehouse: phase cran FAILED (exit 1)',
    ]);
  });

  it('fails before any phase when the match precedes them, and in the last phase without a match', () => {
    // Prepare
    const script = 'set -eu\nmkdir -p /var/lib/bakehouse\nphase a 1 fa\nphase b 2 fb';

    // Act
    const early = stdout(script, { match: 'mkdir' });
    const late = stdout(script, {});

    // Assess
    expect(early.trimEnd().split('\n').at(-1)).toBe('bakehouse: phase prepare FAILED (exit 1)');
    expect(late).toContain('bakehouse: phase a done');
    expect(late.trimEnd().split('\n').at(-1)).toBe('bakehouse: phase b FAILED (exit 1)');
  });

  it('expands simple top-level variables in echo lines and sends >&2 to stderr', () => {
    // Prepare
    const script = 'PORT=\'8888\'\necho "ready on $PORT"\necho \'oops\' >&2\necho "$UNKNOWN"';

    // Act
    const run = runScript(script, new Random(1), undefined);

    // Assess
    expect(streamText(run, 'stdout')).toBe('ready on 8888\n');
    expect(streamText(run, 'stderr')).toBe('oops\n');
  });

  it('prints nothing from the body of a heredoc: it is a file the script writes, not run', () => {
    // Prepare
    const script = [
      "HOST=''",
      "cat > /opt/seat.sh <<'SEAT'",
      'echo "seat ready at https://$HOST/"',
      'SEAT',
      'echo "written"',
    ].join('\n');

    // Act
    const run = runScript(script, new Random(1), undefined);

    // Assess
    expect(streamText(run, 'stdout')).toBe('written\n');
  });

  it('reads the settings of a compiled seat script', () => {
    // Prepare
    const settings = {
      port: 8888,
      passwordHash: `argon2:$argon2id$v=19$m=19456,t=2,p=1$${'A'.repeat(22)}$${'B'.repeat(43)}`,
      tokenDigest: 'c'.repeat(64),
      tls: { mode: 'none' } as const,
      idleMinutes: 25,
    };

    // Act
    const config = seatConfigOf(compileSeatScript(settings));

    // Assess
    expect(config).toEqual({
      PASSWORD_HASH: settings.passwordHash,
      TOKEN_SHA256: settings.tokenDigest,
      JUPYTER_PORT: 8888,
      TLS_MODE: 'none',
      SEAT_HOST: '',
      DEFAULT_URL: '/tree',
      IDLE_MINUTES: 25,
    });
  });

  it('reads, from a compiled boot script, the settings of the instance at its launch index', () => {
    // Prepare
    const hash = (c: string) =>
      `argon2:$argon2id$v=19$m=19456,t=2,p=1$${c.repeat(22)}$${c.repeat(43)}`;
    const script = compileBootScript(8888, { mode: 'none' }, [
      { passwordHash: hash('A'), tokenDigest: 'a'.repeat(64) },
      { passwordHash: hash('B'), tokenDigest: 'b'.repeat(64) },
    ]);

    // Act
    const second = seatConfigOf(script, '1');
    const stranger = runScript(script, new Random(1), undefined, '2');

    // Assess
    expect(second).toMatchObject({
      PASSWORD_HASH: hash('B'),
      TOKEN_SHA256: 'b'.repeat(64),
      JUPYTER_PORT: 8888,
    });
    expect(stranger.exitCode).toBe(1);
    expect(streamText(stranger, 'stderr')).toContain('is not a seat of this batch');
  });

  it('fails a seat script whose settings are incomplete', () => {
    // Prepare
    const script = "#!/bin/bash\n# bakehouse:seat-config\nJUPYTER_PORT='8888'\n";

    // Act
    const run = runScript(script, new Random(1), undefined);

    // Assess
    expect(run.exitCode).toBe(1);
    expect(streamText(run, 'stderr')).toContain('PASSWORD_HASH');
  });

  it('runs a seat script for 10 to 40 seconds', () => {
    // Prepare
    const script = "# bakehouse:seat-config\nPASSWORD_HASH='x'\n";
    const random = new Random(9);

    // Act
    const durations = Array.from(
      { length: 50 },
      () => runScript(script, random, undefined).duration,
    );

    // Assess
    expect(Math.min(...durations)).toBeGreaterThanOrEqual(10_000);
    expect(Math.max(...durations)).toBeLessThanOrEqual(40_000);
  });

  it('truncates to the limit including its marker', () => {
    // Act / Assess
    expect(truncate('abc', 5)).toBe('abc');
    expect(truncate('x'.repeat(100), 40)).toHaveLength(40);
    expect(truncate('x'.repeat(100), 40).endsWith('---Output truncated---')).toBe(true);
  });
});
