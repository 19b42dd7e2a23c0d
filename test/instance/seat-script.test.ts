/**
 * The seat script, byte for byte as SSM sends it, run as root in a Debian 12 container booted
 * under systemd from the debian-notebook bake (Debian's notebook 6.4.12), checked from the host
 * over the shared network: first seating, seating again with new credentials, a reboot.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeatProbeResult } from '../../layers/aws/seat-probe';
import { generateCredential, tokenDigest } from '../../layers/core/classroom/credentials';
import { SEAT_UNIT } from '../../layers/core/classroom/seat-script/seat-script';
import { containerTestsUnavailable, titled } from './support/host';
import { getStatus, logIn, startKernel } from './support/jupyter-http';
import type { Ran } from './support/run';
import { random, SeatMachine } from './support/seat';

const unavailable = containerTestsUnavailable();
const seatA = generateCredential(random);
const seatB = generateCredential(random);
const stranger = generateCredential(random);
const token = (credential: { token: string }) => ({ authorization: `token ${credential.token}` });

describe.skipIf(unavailable)(titled('seat script with notebook 6', unavailable), () => {
  let machine: SeatMachine;
  let status: (headers?: Record<string, string>) => Promise<number>;

  beforeAll(async () => {
    machine = await SeatMachine.boot();
    status = (headers) => getStatus(`${machine.base}/api/status`, headers);
  });

  afterAll(async () => {
    await machine?.dispose();
  });

  describe('seated with credential A', () => {
    let ran: Ran;
    beforeAll(async () => {
      ran = await machine.seat(seatA);
    });

    it('exits 0 and reports the seat ready on its port', () => {
      // Assess
      expect(ran.stderr).toBe('');
      expect(ran.code).toBe(0);
      expect(ran.stdout).toContain(`bakehouse: seat ready on port ${machine.port}`);
    });

    it('leaves the unit enabled and active, as the unprivileged user without new privileges', async () => {
      // Act
      const enabled = await machine.query(`systemctl is-enabled ${SEAT_UNIT}`);
      const active = await machine.query(`systemctl is-active ${SEAT_UNIT}`);
      const pid = await machine.query(`systemctl show --property=MainPID --value ${SEAT_UNIT}`);
      const owner = await machine.query(`stat -c %U /proc/${pid}`);
      const noNewPrivileges = await machine.query(`grep ^NoNewPrivs: /proc/${pid}/status`);

      // Assess
      expect([enabled, active, owner]).toEqual(['enabled', 'active', 'student']);
      expect(noNewPrivileges).toMatch(/NoNewPrivs:\s+1/);
    });

    it('keeps the Jupyter config owned by root and readable through the group only', async () => {
      // Act
      const mode = await machine.query('stat -c "%a %U:%G" /etc/bakehouse/jupyter_config.py');

      // Assess
      expect(mode).toBe('640 root:student');
    });

    it('answers the readiness probe for its own credentials', async () => {
      // Act
      const result = await machine.probe(seatA);

      // Assess
      expect(result).toEqual({ ready: true });
    });

    it('refuses anonymous API calls and a token of another seat, accepts its own', async () => {
      // Act
      const codes = [await status(), await status(token(stranger)), await status(token(seatA))];

      // Assess
      expect(codes).toEqual([403, 403, 200]);
    });

    it('refuses a wrong password and the password of another seat, logs in with its own', async () => {
      // Act
      const wrong = await logIn(machine.base, `${seatA.password}x`);
      const other = await logIn(machine.base, stranger.password);
      const own = await logIn(machine.base, seatA.password);

      // Assess
      expect(wrong).toBeUndefined();
      expect(other).toBeUndefined();
      expect(own).toBeDefined();
      expect(await status({ cookie: own ?? '' })).toBe(200);
    });

    it('starts a kernel for the token and not without a credential', async () => {
      // Act
      const withToken = await startKernel(machine.base, token(seatA));
      const anonymous = await startKernel(machine.base);

      // Assess
      expect([withToken, anonymous]).toEqual([201, 403]);
    });

    it('leaves neither the plaintext password nor the token anywhere on the instance', async () => {
      // Prepare: patterns go on stdin, so they are in no command line either
      const search = (patterns: string[]) =>
        machine.container.exec(
          ['grep', '-rlsF', '-D', 'skip', '-f', '-', '/'].concat(
            ['proc', 'sys', 'dev'].map((dir) => `--exclude-dir=${dir}`),
          ),
          { input: `${patterns.join('\n')}\n` },
        );

      // Act
      const plaintext = await search([seatA.password, seatA.token]);
      const digest = await search([tokenDigest(seatA.token)]);

      // Assess
      expect(plaintext.stdout).toBe('');
      expect(plaintext.code).toBe(1);
      expect(digest.stdout).toContain('/etc/bakehouse/jupyter_config.py');
    });
  });

  describe('seated again with credential B', () => {
    let sessionA: string | undefined;
    let ran: Ran;
    beforeAll(async () => {
      sessionA = await logIn(machine.base, seatA.password);
      ran = await machine.seat(seatB);
    });

    it('exits 0 and reports the seat ready', () => {
      // Assess
      expect(ran.code).toBe(0);
      expect(ran.stdout).toContain(`bakehouse: seat ready on port ${machine.port}`);
    });

    it("stops accepting A's password, token and open session", async () => {
      // Act
      const password = await logIn(machine.base, seatA.password);
      const codes = [await status(token(seatA)), await status({ cookie: sessionA ?? '' })];

      // Assess
      expect(sessionA).toBeDefined();
      expect(password).toBeUndefined();
      expect(codes).toEqual([403, 403]);
    });

    it("accepts B's password and token", async () => {
      // Act
      const result = await machine.probe(seatB);

      // Assess
      expect(result).toEqual({ ready: true });
    });
  });

  describe('after a reboot', () => {
    let result: SeatProbeResult = { ready: false, reason: 'not probed' };
    beforeAll(async () => {
      await machine.reboot();
      for (let attempt = 0; attempt < 60 && !result.ready; attempt++) {
        result = await machine.probe(seatB);
        if (!result.ready) await sleep(500);
      }
    });

    it('brings Jupyter back with the same credentials', async () => {
      // Act
      const active = await machine.query(`systemctl is-active ${SEAT_UNIT}`);
      const oldToken = await status(token(seatA));

      // Assess
      expect(active).toBe('active');
      expect(result).toEqual({ ready: true });
      expect(oldToken).toBe(403);
    });
  });
});
