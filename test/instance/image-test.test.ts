/**
 * The image test, byte for byte as SSM sends it, run as root in a Debian 12 container booted
 * from the debian-notebook bake: the real seat script, the check that Jupyter answers with the
 * throwaway token, and the recipe's smoke test; then the same with a token the seat does not
 * know, which must fail in the check.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { generateCredential } from '../../layers/core/classroom/credentials';
import { compileImageTest } from '../../layers/core/image-test/image-test';
import { bakedRootfsArchive, compileExample, loadExample } from './support/bake';
import { Container } from './support/container';
import { containerTestsUnavailable, titled } from './support/host';
import { freePort } from './support/jupyter-http';
import { mountRootfs, releaseRootfs } from './support/rootfs';
import { random, sealed } from './support/seat';

const unavailable = containerTestsUnavailable();

describe.skipIf(unavailable)(titled('image test on Debian 12', unavailable), () => {
  let root = '';
  let container: Container | undefined;

  async function boot() {
    root = await mountRootfs(await bakedRootfsArchive(compileExample('debian-notebook')));
    container = await Container.boot(root);
    return container;
  }

  afterEach(async () => {
    await container?.stop();
    if (root) await releaseRootfs(root);
    container = undefined;
    root = '';
  });

  it('seats Jupyter with a throwaway credential, checks it answers, runs the smoke test', async () => {
    // Prepare
    const machine = await boot();
    const credential = generateCredential(random);
    const port = await freePort();
    const recipe = {
      ...loadExample('debian-notebook'),
      test: { commands: 'set -e\ntest "$(id -un)" = student\npython3 -c "import numpy"\n' },
    };
    const script = compileImageTest(
      recipe,
      { port, ...(await sealed(credential)) },
      credential.token,
    );

    // Act
    const ran = await machine.runScript(script);

    // Assess
    expect(ran.code, `${ran.stdout}\n${ran.stderr}`).toBe(0);
    for (const phase of ['seat', 'jupyter-answers', 'smoke-test']) {
      expect(ran.stdout).toContain(`bakehouse: phase ${phase} done`);
    }
    const log = await machine.query('cat /var/log/bakehouse/image-test/jupyter-answers.log');
    expect(log).toContain('Jupyter answers with the token and refuses without it');
  });

  it('fails in the Jupyter check when the seat was given another token', async () => {
    // Prepare
    const machine = await boot();
    const seated = generateCredential(random);
    const other = generateCredential(random);
    const port = await freePort();
    const script = compileImageTest(
      loadExample('debian-notebook'),
      { port, ...(await sealed(seated)) },
      other.token,
    );

    // Act
    const ran = await machine.runScript(script);

    // Assess
    expect(ran.code).not.toBe(0);
    expect(ran.stdout).toContain('bakehouse: phase seat done');
    expect(ran.stdout).toContain('bakehouse: phase jupyter-answers FAILED');
    expect(ran.stdout).toContain('Jupyter did not answer with the test token: HTTP 403');
  });
});
