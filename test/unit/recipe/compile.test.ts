import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builderUserData, compileRecipe } from '../../../layers/core/recipe/compile';
import { parseRecipe, type Recipe } from '../../../layers/core/recipe/schema';
import { indent } from '../../../layers/core/recipe/script';
import { shQuote, writeFile } from '../../../layers/core/shell';
import { loadRecipe } from '../../../local/recipe-files';
import { EXAMPLES, exampleRecipes, pathsOf } from './support';

const minimal = parseRecipe({ name: 'intro-course', baseImage: 'ami-0123456789abcdef0' });

function withEnvironment(
  environment: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Recipe {
  return parseRecipe({
    name: 'intro-course',
    baseImage: 'ami-0123456789abcdef0',
    environment,
    ...extra,
  });
}

/** The phase names of the run list at the end of a script, in order. */
function runList(script: string): string[] {
  return [...script.matchAll(/^phase (\S+) [0-9a-f]{16} phase_\S+$/gm)].map(
    (match) => match[1] ?? '',
  );
}

function bashSyntaxCheck(script: string) {
  return spawnSync('/bin/bash', ['-n'], { input: script, encoding: 'utf8' });
}

describe('compileRecipe', () => {
  it('compiles the same recipe to the same bytes and hash every time', () => {
    // Act
    const first = compileRecipe(minimal);
    const second = compileRecipe(parseRecipe(JSON.parse(JSON.stringify(minimal))));

    // Assess
    expect(second.script).toBe(first.script);
    expect(second.recipeHash).toBe(first.recipeHash);
    expect(first.recipeHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('hashes the recipe after defaults, whatever the order of its keys', () => {
    // Prepare
    const explicit = parseRecipe({
      user: 'student',
      jupyter: { port: 8888, source: 'pip', flavour: 'lab' },
      baseImage: 'ami-0123456789abcdef0',
      name: 'intro-course',
      region: 'us-east-1',
    });

    // Act
    const { recipeHash } = compileRecipe(explicit);

    // Assess
    expect(recipeHash).toBe(compileRecipe(minimal).recipeHash);
  });

  it.each([
    ['an apt package', withEnvironment({ apt: ['jq'] })],
    ['the Jupyter port', parseRecipe({ ...minimal, jupyter: { port: 8890 } })],
    ['a tag', parseRecipe({ ...minimal, tags: { course: 'x' } })],
    [
      'the builder instance type',
      parseRecipe({ ...minimal, builder: { instanceType: 't3.xlarge' } }),
    ],
  ])('gives another hash when %s changes', (_what, changed) => {
    // Act
    const { recipeHash } = compileRecipe(changed);

    // Assess
    expect(recipeHash).not.toBe(compileRecipe(minimal).recipeHash);
  });

  it.each(exampleRecipes)('compiles the example %s to a script bash accepts', async (example) => {
    // Prepare
    const recipe = await loadRecipe(join(EXAMPLES, example));

    // Act
    const { script } = compileRecipe(recipe);
    const check = bashSyntaxCheck(script);

    // Assess
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('starts in bash strict mode before any phase', () => {
    // Act
    const { script } = compileRecipe(minimal);

    // Assess
    expect(script.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(script.indexOf('set -euo pipefail')).toBeGreaterThan(0);
    expect(script.indexOf('set -euo pipefail')).toBeLessThan(script.indexOf('phase_jupyter()'));
  });

  it('runs only the phases a minimal recipe needs', () => {
    // Act
    const { script } = compileRecipe(minimal);

    // Assess
    expect(runList(script)).toEqual(['jupyter', 'https', 'jupyter-info', 'image-prep']);
    expect(script).not.toContain('setup_volume');
  });

  it('runs every phase a full recipe asks for, in order', () => {
    // Prepare
    const recipe = withEnvironment(
      {
        apt: ['jq'],
        pip: ['numpy'],
        requirements: 'pandas\n',
        conda: 'dependencies:\n  - python=3.12\n',
        r: { cran: ['ggplot2'] },
        postBuild: 'echo hello\n',
      },
      { volumes: [{ device: '/dev/sdf', sizeGiB: 10, mountPoint: '/scratch' }] },
    );

    // Act
    const { script } = compileRecipe(recipe);

    // Assess
    expect(runList(script)).toEqual([
      'volumes',
      'apt',
      'jupyter',
      'https',
      'pip',
      'conda',
      'r',
      'post-build',
      'jupyter-info',
      'image-prep',
    ]);
  });

  it('quotes every package of the genomics example as one shell word', async () => {
    // Prepare
    const recipe = await loadRecipe(join(EXAMPLES, 'genomics-workshop.yaml'));

    // Act
    const { script } = compileRecipe(recipe);

    // Assess
    for (const name of [...recipe.environment.apt, ...recipe.environment.pip]) {
      expect(script).toContain(` ${shQuote(name)}`);
    }
    for (const name of recipe.environment.r.bioconductor) expect(script).toContain(`"${name}"`);
  });

  it('mounts volumes by device, filesystem and mount point, parents first', () => {
    // Prepare
    const recipe = parseRecipe({
      ...minimal,
      volumes: [
        { device: '/dev/sdg', sizeGiB: 5, mountPoint: '/data/inner', filesystem: 'xfs' },
        { device: '/dev/sdf', sizeGiB: 10, mountPoint: '/data' },
      ],
    });

    // Act
    const { script } = compileRecipe(recipe);

    // Assess
    const outer = script.indexOf("setup_volume '/dev/sdf' 'ext4' '/data'");
    const inner = script.indexOf("setup_volume '/dev/sdg' 'xfs' '/data/inner'");
    expect(outer).toBeGreaterThan(0);
    expect(inner).toBeGreaterThan(outer);
    expect(script).toContain('apt_install e2fsprogs xfsprogs');
  });

  it("keeps a postBuild with quotes, substitutions and the heredoc's own delimiter verbatim", () => {
    // Prepare
    const postBuild =
      "echo 'it''s' \"$(id -u)\" `date` $HOME\nBAKEHOUSE_EOF\ncat <<'EOF'\nEOF\nno newline at the end";
    const recipe = withEnvironment({ postBuild });

    // Act
    const { script } = compileRecipe(recipe);

    // Assess
    expect(script).toContain(indent(writeFile('/var/lib/bakehouse/postBuild', postBuild)));
    expect(script).toContain(`\n${postBuild}\nBAKEHOUSE_EOF_2\n`);
    expect(bashSyntaxCheck(script).status).toBe(0);
  });

  it('writes exactly the five Jupyter settings the seat script reads', () => {
    // Prepare
    const recipe = parseRecipe({
      ...minimal,
      user: 'learner',
      jupyter: { source: 'apt', flavour: 'notebook', port: 9000 },
    });

    // Act
    const { script } = compileRecipe(recipe);

    // Assess
    expect(script).toContain(
      [
        "cat >'/etc/bakehouse/jupyter.env.new' <<'BAKEHOUSE_EOF'",
        "JUPYTER_FLAVOUR='notebook'",
        "JUPYTER_PORT='9000'",
        "JUPYTER_USER='learner'",
        "JUPYTER_COMMAND='/usr/bin/jupyter-notebook'",
        "JUPYTER_PYTHON='/usr/bin/python3'",
        'BAKEHOUSE_EOF',
      ].join('\n'),
    );
    expect(script).toContain("useradd --create-home --shell /bin/bash 'learner'");
  });

  it('puts a pip Jupyter and its packages in the venv', () => {
    // Act
    const { script } = compileRecipe(
      withEnvironment({ pip: ['numpy'] }, { jupyter: { flavour: 'notebook' } }),
    );

    // Assess
    expect(script).toContain("/opt/bakehouse/venv/bin/python -m pip install 'notebook'");
    expect(script).toContain("/opt/bakehouse/venv/bin/python -m pip install 'numpy'");
    expect(script).toContain("JUPYTER_COMMAND='/opt/bakehouse/venv/bin/jupyter'");
  });

  it("installs PyPI packages for Debian's Jupyter where its python finds them", () => {
    // Act
    const { script } = compileRecipe(
      withEnvironment({ pip: ['numpy'] }, { jupyter: { source: 'apt', flavour: 'notebook' } }),
    );

    // Assess
    expect(script).toContain("/usr/bin/python3 -m pip install --break-system-packages 'numpy'");
    expect(script).not.toContain('/opt/bakehouse/venv');
  });

  it('validates a hand-built recipe again before any value reaches the script', () => {
    // Prepare
    const forged = { ...minimal, environment: { ...minimal.environment, apt: ['jq; reboot'] } };

    // Act
    const paths = pathsOf(() => compileRecipe(forged));

    // Assess
    expect(paths).toEqual(['environment.apt[0]']);
  });
});

describe('builderUserData', () => {
  it('arms a power-off timer of the given minutes in a valid shell script', () => {
    // Act
    const userData = builderUserData(180);
    const check = spawnSync('/bin/sh', ['-n'], {
      input: userData.split('\n').slice(1).join('\n'),
      encoding: 'utf8',
    });

    // Assess
    expect(userData).toMatch(/--on-active=180min/);
    expect(userData).toMatch(/shutdown -P \+180/);
    expect(check.status).toBe(0);
  });

  it.each([0, -5, 1.5, 7 * 24 * 60 + 1])('refuses a lifetime of %s minutes', (ttl) => {
    // Act
    const paths = pathsOf(() => builderUserData(ttl));

    // Assess
    expect(paths).toEqual(['ttlMinutes']);
  });
});
