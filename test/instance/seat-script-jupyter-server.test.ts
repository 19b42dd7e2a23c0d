/**
 * The seat script against jupyter_server 1 (the server under JupyterLab 3), which Debian 12
 * packages without JupyterLab itself: the debian-notebook bake plus python3-jupyter-server, with
 * jupyter.env pointed at a `jupyter-server` executable as a lab image's points at `jupyter-lab`.
 * Debian ships the module without that executable, so the test adds a two-line one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeSeat } from '../../layers/aws/seat-probe';
import { generateCredential } from '../../layers/core/classroom/credentials';
import { compileSeatScript, SEAT_UNIT } from '../../layers/core/classroom/seat-script/seat-script';
import { compileRecipe } from '../../layers/core/recipe/compile';
import { bakedRootfsArchive, loadExample } from './support/bake';
import { Container } from './support/container';
import { containerTestsUnavailable, titled } from './support/host';
import { freePort, getStatus, logIn, startKernel } from './support/jupyter-http';
import { mountRootfs, releaseRootfs } from './support/rootfs';
import type { Ran } from './support/run';
import { random, sealed } from './support/seat';

const unavailable = containerTestsUnavailable();

describe.skipIf(unavailable)(
  titled('seat script on Debian 12 with jupyter_server 1', unavailable),
  () => {
    const seat = generateCredential(random);
    const stranger = generateCredential(random);
    let root = '';
    let container: Container;
    let base: string;
    let ran: Ran;

    beforeAll(async () => {
      const notebook = loadExample('debian-notebook');
      const recipe = compileRecipe({
        ...notebook,
        environment: {
          ...notebook.environment,
          apt: [...notebook.environment.apt, 'python3-jupyter-server'],
        },
      });
      root = await mountRootfs(await bakedRootfsArchive(recipe));
      container = await Container.boot(root);
      const prepared = await container.sh(`
        printf '#!/bin/sh\\nexec /usr/bin/python3 -m jupyter_server "$@"\\n' >/usr/local/bin/jupyter-server
        chmod 0755 /usr/local/bin/jupyter-server
        sed -i -e "s|^JUPYTER_FLAVOUR=.*|JUPYTER_FLAVOUR='lab'|" \\
          -e "s|^JUPYTER_COMMAND=.*|JUPYTER_COMMAND='/usr/local/bin/jupyter-server'|" \\
          /etc/bakehouse/jupyter.env`);
      expect(prepared.code, prepared.stderr).toBe(0);
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      ran = await container.runScript(
        compileSeatScript({ port, tls: { mode: 'none' }, ...(await sealed(seat)) }),
      );
    });

    afterAll(async () => {
      await container?.stop();
      if (root) await releaseRootfs(root);
    });

    it('serves ServerApp 1.x under the unit', async () => {
      // Act
      const journal = await container.sh(`journalctl --unit=${SEAT_UNIT} --no-pager`);

      // Assess
      expect(ran.code, ran.stderr).toBe(0);
      expect(journal.stdout).toMatch(/ServerApp\].*Jupyter Server 1\.\d+\.\d+ is running/);
    });

    it('answers the readiness probe for its own credentials', async () => {
      // Act
      const result = await probeSeat({ url: base, ...seat });

      // Assess
      expect(result).toEqual({ ready: true });
    });

    it('refuses anonymous calls, a stranger token and a stranger password', async () => {
      // Act
      const anonymous = await getStatus(`${base}/api/status`);
      const strangerToken = await getStatus(`${base}/api/status`, {
        authorization: `token ${stranger.token}`,
      });
      const strangerLogin = await logIn(base, stranger.password);

      // Assess
      expect([anonymous, strangerToken]).toEqual([403, 403]);
      expect(strangerLogin).toBeUndefined();
    });

    it('starts a kernel for the token and not without a credential', async () => {
      // Act
      const withToken = await startKernel(base, { authorization: `token ${seat.token}` });
      const anonymous = await startKernel(base);

      // Assess
      expect([withToken, anonymous]).toEqual([201, 403]);
    });
  },
);
