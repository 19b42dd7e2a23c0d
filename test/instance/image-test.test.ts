/**
 * The image test, byte for byte as SSM sends it, run as root in a Debian 12 container booted
 * from the debian-notebook bake: the throwaway credential made on the instance, the real seat
 * script, the check that Jupyter answers with that token, and the recipe's smoke test; then the
 * check again with a token the seat does not know, which must fail.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { generateCredential } from '../../layers/core/classroom/credentials';
import {
  compileImageTest,
  IMAGE_TEST_CREDENTIAL_DIR,
} from '../../layers/core/image-test/image-test';
import { bakedRootfsArchive, compileExample, loadExample } from './support/bake';
import { Container } from './support/container';
import { containerTestsUnavailable, titled } from './support/host';
import { freePort } from './support/jupyter-http';
import { mountRootfs, releaseRootfs } from './support/rootfs';
import { random } from './support/seat';

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

  it('seats Jupyter with a credential made on the instance, checks it answers, runs the smoke test', async () => {
    // Prepare
    const machine = await boot();
    const port = await freePort();
    const recipe = {
      ...loadExample('debian-notebook'),
      test: { commands: 'set -e\ntest "$(id -un)" = student\npython3 -c "import numpy"\n' },
    };
    const script = compileImageTest(recipe, port);

    // Act
    const ran = await machine.runScript(script);

    // Assess
    expect(ran.code, `${ran.stdout}\n${ran.stderr}`).toBe(0);
    for (const phase of ['credential', 'seat', 'jupyter-answers', 'smoke-test']) {
      expect(ran.stdout).toContain(`bakehouse: phase ${phase} done`);
    }
    const log = await machine.query('cat /var/log/bakehouse/image-test/jupyter-answers.log');
    expect(log).toContain('Jupyter answers with the token and refuses without it');
    const token = (await machine.query(`cat ${IMAGE_TEST_CREDENTIAL_DIR}/token`)).trim();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(await machine.query(`stat -c %a:%U ${IMAGE_TEST_CREDENTIAL_DIR}/token`)).toContain(
      '600:root',
    );
    expect(script).not.toContain(token);
    expect(`${ran.stdout}${ran.stderr}`).not.toContain(token);
  });

  it('fails the Jupyter check with a token the seat was not given', async () => {
    // Prepare
    const machine = await boot();
    const port = await freePort();
    const ran = await machine.runScript(compileImageTest(loadExample('debian-notebook'), port));
    expect(ran.code, `${ran.stdout}\n${ran.stderr}`).toBe(0);
    const other = generateCredential(random).token;
    await machine.query(`printf %s '${other}' > ${IMAGE_TEST_CREDENTIAL_DIR}/token`);

    // Act
    const check = await machine.query(
      `. /etc/bakehouse/jupyter.env; "$JUPYTER_PYTHON" /var/lib/bakehouse/image-test/jupyter-answers.py ${port} ${IMAGE_TEST_CREDENTIAL_DIR}/token; echo "exit=$?"`,
    );

    // Assess
    expect(check).toContain('Jupyter did not answer with the test token: HTTP 403');
    expect(check).toContain('exit=1');
  });
});
