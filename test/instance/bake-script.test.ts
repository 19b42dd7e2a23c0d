/**
 * The compiled bake script of the debian-notebook example, byte for byte as SSM sends it, run as
 * root in fresh Debian 12 containers booted under systemd.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CompiledRecipe, compileRecipe } from '../../layers/core/recipe/compile';
import { loadRecipe } from '../../local/recipe-files';
import { bakedArchivePath, bakedRootfsArchive, compileExample, loadExample } from './support/bake';
import { Container } from './support/container';
import { containerTestsUnavailable, titled } from './support/host';
import { baseRootfsArchive, mountRootfs, packRootfs, releaseRootfs } from './support/rootfs';
import type { Ran } from './support/run';

const unavailable = containerTestsUnavailable();
const PHASES = ['apt', 'jupyter', 'post-build', 'jupyter-info', 'image-prep'];
const PACKAGES = ['python3-numpy', 'jq', 'jupyter-notebook'];
/** What a bake leaves behind; a second run must not touch any of it. */
const WATCHED = [
  '/etc/bakehouse/jupyter.env',
  '/opt/course/README.txt',
  '/var/lib/dpkg/status',
  '/home/student',
  '/etc/passwd',
];

async function inFreshContainer<T>(use: (container: Container) => Promise<T>): Promise<T> {
  const root = await mountRootfs(await baseRootfsArchive());
  try {
    const container = await Container.boot(root);
    try {
      return await use(container);
    } finally {
      await container.stop();
    }
  } finally {
    await releaseRootfs(root);
  }
}

describe.skipIf(unavailable)(titled('bake script on Debian 12', unavailable), () => {
  describe('the debian-notebook recipe', () => {
    let recipe: CompiledRecipe;
    let root = '';
    let container: Container;
    let first: Ran;

    const inside = (script: string) => container.query(script);

    const snapshot = () =>
      inside(
        `dpkg-query -W -f='\${Package} \${Version} \${Status}\\n'; stat -c '%n %Y %s %a %U' ${WATCHED.join(' ')}`,
      );

    beforeAll(async () => {
      recipe = compileExample('debian-notebook');
      root = await mountRootfs(await baseRootfsArchive());
      container = await Container.boot(root);
      first = await container.runScript(recipe.script);
    });

    afterAll(async () => {
      await container?.stop();
      const reusable = root && first?.code === 0 && !existsSync(bakedArchivePath(recipe));
      if (reusable) await packRootfs(root, bakedArchivePath(recipe));
      if (root) await releaseRootfs(root);
    });

    it('runs every phase and exits 0', () => {
      // Assess
      expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(0);
      for (const phase of PHASES) {
        expect(first.stdout).toContain(`bakehouse: phase ${phase} start`);
        expect(first.stdout).toContain(`bakehouse: phase ${phase} done`);
      }
    });

    it('installs the Debian packages of the recipe and Jupyter', async () => {
      // Act
      const status = await inside(
        `dpkg-query -W -f='\${Package}: \${Status}\\n' ${PACKAGES.join(' ')}`,
      );

      // Assess
      expect(status.split('\n').sort()).toEqual(
        PACKAGES.map((name) => `${name}: install ok installed`).sort(),
      );
    });

    it('runs the postBuild step', async () => {
      // Act
      const readme = await inside('cat /opt/course/README.txt');

      // Assess
      expect(readme).toBe('Welcome to the Debian notebook workshop.');
    });

    it('describes the Jupyter it installed in /etc/bakehouse/jupyter.env', async () => {
      // Act
      const env = await inside(
        '. /etc/bakehouse/jupyter.env && echo "$JUPYTER_FLAVOUR $JUPYTER_PORT $JUPYTER_USER $JUPYTER_COMMAND $JUPYTER_PYTHON" && id -u "$JUPYTER_USER"',
      );

      // Assess
      const [values, uid] = env.split('\n');
      expect(values).toMatch(
        /^notebook 8888 student \/usr\/bin\/jupyter(-notebook)? \/usr\/bin\/python3$/,
      );
      expect(Number(uid)).toBeGreaterThanOrEqual(1000);
    });

    it('leaves a Jupyter that runs for the unprivileged user', async () => {
      // Act
      const version = await inside(
        '. /etc/bakehouse/jupyter.env && runuser -u "$JUPYTER_USER" -- "$JUPYTER_COMMAND" --version',
      );
      const modules = await inside(
        '. /etc/bakehouse/jupyter.env && runuser -u "$JUPYTER_USER" -- "$JUPYTER_PYTHON" -c "import notebook, numpy; print(notebook.__version__)"',
      );

      // Assess
      expect(version).toMatch(/^6\.4\.\d+/);
      expect(modules).toMatch(/^6\.4\.\d+$/);
    });

    it('skips every phase when run again, and changes nothing', async () => {
      // Prepare
      const before = await snapshot();

      // Act
      const again = await container.runScript(recipe.script);

      // Assess
      expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0);
      for (const phase of PHASES) {
        expect(again.stdout).toContain(`bakehouse: phase ${phase} skipped`);
      }
      expect(again.stdout).not.toMatch(/phase \S+ start/);
      expect(await snapshot()).toBe(before);
    });
  });

  it('fails in the apt phase, and says so, when a package does not exist', async () => {
    // Prepare
    const base = loadExample('debian-notebook');
    const broken = compileRecipe({
      ...base,
      environment: { ...base.environment, apt: ['bakehouse-no-such-package'] },
    });

    // Act
    const ran = await inFreshContainer((container) => container.runScript(broken.script));

    // Assess
    expect(ran.code).not.toBe(0);
    expect(ran.stdout).toContain('bakehouse: phase apt start');
    expect(ran.stdout).toContain('bakehouse: phase apt FAILED');
    expect(`${ran.stdout}${ran.stderr}`).toContain(
      'Unable to locate package bakehouse-no-such-package',
    );
    expect(ran.stdout).not.toContain('bakehouse: phase jupyter start');
  });

  describe('a repo2docker repository (test/fixtures/repo2docker/debian-home)', () => {
    const fixture = join(import.meta.dirname, '../fixtures/repo2docker/debian-home');
    let root = '';
    let container: Container;
    let ran: Ran;

    const inside = (script: string) => container.query(script);

    beforeAll(async () => {
      // From the baked debian-notebook rootfs, so Jupyter is already in place.
      root = await mountRootfs(await bakedRootfsArchive(compileExample('debian-notebook')));
      container = await Container.boot(root);
      ran = await container.runScript(compileRecipe(await loadRecipe(fixture)).script);
    });

    afterAll(async () => {
      await container?.stop();
      if (root) await releaseRootfs(root);
    });

    it('runs every phase, the repository before postBuild', () => {
      expect(ran.code, `${ran.stdout}\n${ran.stderr}`).toBe(0);
      const started = [...ran.stdout.matchAll(/phase (\S+) start/g)].map((m) => m[1]);
      expect(started.indexOf('repository')).toBeLessThan(started.indexOf('post-build'));
    });

    it("puts the repository's files in the user's home, owned by the user, byte for byte", async () => {
      // Act
      const owners = await inside(
        "stat -c '%n %U %a' /home/student/notebooks/01-intro.ipynb /home/student/data/measurements.csv /home/student/postBuild",
      );
      const notebook = await inside('cat /home/student/notebooks/01-intro.ipynb');

      // Assess
      expect(owners.split('\n')).toEqual([
        '/home/student/notebooks/01-intro.ipynb student 644',
        '/home/student/data/measurements.csv student 644',
        '/home/student/postBuild student 755',
      ]);
      expect(`${notebook}\n`).toBe(readFileSync(join(fixture, 'notebooks/01-intro.ipynb'), 'utf8'));
    });

    it('runs postBuild as the user, in the home that holds the repository', async () => {
      expect(await inside('cat /home/student/built-by.txt')).toBe(
        'student /home/student /home/student',
      );
    });

    it("starts Jupyter through the repository's start script", async () => {
      // Act
      const version = await inside(
        '. /etc/bakehouse/jupyter.env && runuser -u "$JUPYTER_USER" -- "$JUPYTER_COMMAND" --version',
      );
      const command = await inside('. /etc/bakehouse/jupyter.env && echo "$JUPYTER_COMMAND"');

      // Assess
      expect(command).toBe('/opt/bakehouse/bin/jupyter-start');
      expect(version).toMatch(/^6\.4\.\d+/);
    });
  });
});
