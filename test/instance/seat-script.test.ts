/**
 * The seat script, byte for byte as SSM sends it, run as root in a Debian 12 container booted
 * under systemd from the debian-notebook bake (Debian's notebook 6.4.12), checked from the host
 * over the shared network.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeSeat, type SeatProbeResult } from '../../layers/aws/seat-probe';
import { compileBatchSeatScript } from '../../layers/core/classroom/batch-seat-script';
import {
  type Credential,
  generateCredential,
  hashPassword,
  tokenDigest,
} from '../../layers/core/classroom/credentials';
import { compileSeatScript, SEAT_UNIT } from '../../layers/core/classroom/seat-script';
import { bakedRootfsArchive, compileExample } from './support/bake';
import { Container } from './support/container';
import { containerTestsUnavailable, titled } from './support/host';
import { freePort, getStatus, logIn, startKernel } from './support/jupyter-http';
import { removeRootfs, unpackRootfs } from './support/rootfs';
import type { Ran } from './support/run';

const unavailable = containerTestsUnavailable();
const random = (n: number) => new Uint8Array(randomBytes(n));

describe.skipIf(unavailable)(
  titled('seat script on Debian 12 with notebook 6', unavailable),
  () => {
    const seatA = generateCredential(random);
    const seatB = generateCredential(random);
    const stranger = generateCredential(random);
    let root = '';
    let container: Container;
    let port: number;
    let base: string;

    async function seat(credential: Credential, onPort = port): Promise<Ran> {
      const script = compileSeatScript({
        port: onPort,
        passwordHash: await hashPassword(credential.password, random(16)),
        tokenDigest: tokenDigest(credential.token),
      });
      return container.runScript(script, 5 * 60_000);
    }

    const probe = (credential: Credential) => probeSeat({ url: base, ...credential });

    async function inside(script: string): Promise<string> {
      const ran = await container.sh(script);
      if (ran.code !== 0) throw new Error(`${script} exited ${ran.code}: ${ran.stderr}`);
      return ran.stdout.trim();
    }

    beforeAll(async () => {
      root = await unpackRootfs(await bakedRootfsArchive(compileExample('debian-notebook')));
      container = await Container.boot(root);
      port = await freePort();
      base = `http://127.0.0.1:${port}`;
    });

    afterAll(async () => {
      await container?.stop();
      if (root) await removeRootfs(root);
    });

    describe('seated with credential A', () => {
      let ran: Ran;
      beforeAll(async () => {
        ran = await seat(seatA);
      });

      it('exits 0 and reports the seat ready on its port', () => {
        // Assess
        expect(ran.stderr).toBe('');
        expect(ran.code).toBe(0);
        expect(ran.stdout).toContain(`bakehouse: seat ready on port ${port}`);
      });

      it('leaves the unit enabled and active, running as the unprivileged user without new privileges', async () => {
        // Act
        const enabled = await inside(`systemctl is-enabled ${SEAT_UNIT}`);
        const active = await inside(`systemctl is-active ${SEAT_UNIT}`);
        const pid = await inside(`systemctl show --property=MainPID --value ${SEAT_UNIT}`);
        const owner = await inside(`stat -c %U /proc/${pid}`);
        const noNewPrivileges = await inside(`grep ^NoNewPrivs: /proc/${pid}/status`);

        // Assess
        expect([enabled, active, owner]).toEqual(['enabled', 'active', 'student']);
        expect(noNewPrivileges).toMatch(/NoNewPrivs:\s+1/);
      });

      it('keeps the Jupyter config owned by root and readable through the group only', async () => {
        // Act
        const mode = await inside('stat -c "%a %U:%G" /etc/bakehouse/jupyter_config.py');

        // Assess
        expect(mode).toBe('640 root:student');
      });

      it('answers the readiness probe for its own credentials', async () => {
        // Act
        const result = await probe(seatA);

        // Assess
        expect(result).toEqual({ ready: true });
      });

      it('refuses anonymous API calls and a token of another seat, accepts its own', async () => {
        // Act
        const anonymous = await getStatus(`${base}/api/status`);
        const strangerToken = await getStatus(`${base}/api/status`, {
          authorization: `token ${stranger.token}`,
        });
        const ownToken = await getStatus(`${base}/api/status`, {
          authorization: `token ${seatA.token}`,
        });

        // Assess
        expect([anonymous, strangerToken, ownToken]).toEqual([403, 403, 200]);
      });

      it('refuses a wrong password and the password of another seat, logs in with its own', async () => {
        // Act
        const wrong = await logIn(base, `${seatA.password}x`);
        const other = await logIn(base, stranger.password);
        const own = await logIn(base, seatA.password);

        // Assess
        expect(wrong).toBeUndefined();
        expect(other).toBeUndefined();
        expect(own).toBeDefined();
        expect(await getStatus(`${base}/api/status`, { cookie: own ?? '' })).toBe(200);
      });

      it('starts a kernel for the token and not without a credential', async () => {
        // Act
        const withToken = await startKernel(base, { authorization: `token ${seatA.token}` });
        const anonymous = await startKernel(base);

        // Assess
        expect(withToken).toBe(201);
        expect(anonymous).toBe(403);
      });

      it('leaves neither the plaintext password nor the token anywhere on the instance', async () => {
        // Prepare: patterns go on stdin, so they are in no command line either
        const search = (patterns: string[]) =>
          container.exec(
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
        sessionA = await logIn(base, seatA.password);
        ran = await seat(seatB);
      });

      it('exits 0 and reports the seat ready', () => {
        // Assess
        expect(ran.code).toBe(0);
        expect(ran.stdout).toContain(`bakehouse: seat ready on port ${port}`);
      });

      it("stops accepting A's password, token and open session", async () => {
        // Act
        const password = await logIn(base, seatA.password);
        const token = await getStatus(`${base}/api/status`, {
          authorization: `token ${seatA.token}`,
        });
        const session = await getStatus(`${base}/api/status`, { cookie: sessionA ?? '' });

        // Assess
        expect(sessionA).toBeDefined();
        expect(password).toBeUndefined();
        expect([token, session]).toEqual([403, 403]);
      });

      it("accepts B's password and token", async () => {
        // Act
        const result = await probe(seatB);

        // Assess
        expect(result).toEqual({ ready: true });
      });
    });

    describe('after a reboot', () => {
      let result: SeatProbeResult = { ready: false, reason: 'not probed' };
      beforeAll(async () => {
        container = await container.reboot();
        for (let attempt = 0; attempt < 60 && !result.ready; attempt++) {
          result = await probe(seatB);
          if (!result.ready) await sleep(500);
        }
      });

      it('brings Jupyter back with the same credentials', async () => {
        // Act
        const active = await inside(`systemctl is-active ${SEAT_UNIT}`);
        const oldToken = await getStatus(`${base}/api/status`, {
          authorization: `token ${seatA.token}`,
        });

        // Assess
        expect(active).toBe('active');
        expect(result).toEqual({ ready: true });
        expect(oldToken).toBe(403);
      });
    });

    describe('with the jupyter launcher as JUPYTER_COMMAND', () => {
      let ran: Ran;
      beforeAll(async () => {
        await inside(
          'sed -i "s|^JUPYTER_COMMAND=.*|JUPYTER_COMMAND=\'/usr/bin/jupyter\'|" /etc/bakehouse/jupyter.env',
        );
        ran = await seat(seatA);
      });

      it('runs the flavour as a subcommand of the launcher', async () => {
        // Act
        const command = await inside(`systemctl show --property=ExecStart --value ${SEAT_UNIT}`);

        // Assess
        expect(ran.code).toBe(0);
        expect(command).toContain('/usr/bin/jupyter notebook --config=');
        expect(await probe(seatA)).toEqual({ ready: true });
      });
    });

    describe('seated by the batch script that SSM sends to many seats at once', () => {
      const seatC = generateCredential(random);
      const neighbour = generateCredential(random);
      const instanceId = 'i-0123456789abcdef0';
      const batch = async (ids: string[]) =>
        compileBatchSeatScript(
          port,
          await Promise.all(
            ids.map(async (id, i) => {
              const credential = id === instanceId ? seatC : i === 0 ? neighbour : stranger;
              return {
                instanceId: id,
                passwordHash: await hashPassword(credential.password, random(16)),
                tokenDigest: tokenDigest(credential.token),
              };
            }),
          ),
        );
      let ran: Ran;
      beforeAll(async () => {
        await inside(
          `mkdir -p /var/lib/cloud/data && echo ${instanceId} >/var/lib/cloud/data/instance-id`,
        );
        ran = await container.runScript(
          await batch(['i-0aaaaaaaaaaaaaaaa', instanceId, 'i-0bbbbbbbbbbbbbbbb']),
        );
      });

      it("picks this instance's credentials by its instance id", async () => {
        // Act
        const own = await probe(seatC);
        const neighbours = await getStatus(`${base}/api/status`, {
          authorization: `token ${neighbour.token}`,
        });

        // Assess
        expect(ran.code, ran.stderr).toBe(0);
        expect(own).toEqual({ ready: true });
        expect(neighbours).toBe(403);
      });

      it('refuses to run on an instance that is not in the batch', async () => {
        // Act
        const other = await container.runScript(await batch(['i-0aaaaaaaaaaaaaaaa']));

        // Assess
        expect(other.code).toBe(1);
        expect(other.stderr).toContain(`instance ${instanceId} is not a seat of this batch`);
        expect(await probe(seatC)).toEqual({ ready: true });
      });
    });

    describe('failures', () => {
      it('fails within seconds, with the journal, when another program holds the port', async () => {
        // Prepare
        const taken = await freePort();
        const squatter = createServer().listen(taken, '0.0.0.0');
        const started = Date.now();

        // Act
        const ran = await seat(seatA, taken).finally(() => squatter.close());

        // Assess
        expect(ran.code).not.toBe(0);
        expect(ran.stdout).not.toContain('seat ready');
        expect(ran.stderr).toContain('bakehouse: Jupyter exited while starting');
        expect(ran.stderr).toContain(`port ${taken} is not available`);
        expect(Date.now() - started).toBeLessThan(30_000);
      });

      it('refuses an image that was not baked by bakehouse', async () => {
        // Prepare
        await inside('mv /etc/bakehouse/jupyter.env /etc/bakehouse/jupyter.env.away');

        // Act
        const ran = await seat(seatA).finally(() =>
          inside('mv /etc/bakehouse/jupyter.env.away /etc/bakehouse/jupyter.env'),
        );

        // Assess
        expect(ran.code).toBe(1);
        expect(ran.stderr).toContain('/etc/bakehouse/jupyter.env is missing');
      });

      it('refuses to run Jupyter as root', async () => {
        // Prepare
        await inside(
          'sed -i "s|^JUPYTER_USER=.*|JUPYTER_USER=\'root\'|" /etc/bakehouse/jupyter.env',
        );

        // Act
        const ran = await seat(seatA);

        // Assess
        expect(ran.code).toBe(1);
        expect(ran.stderr).toContain('refusing to run Jupyter as root');
      });
    });
  },
);
