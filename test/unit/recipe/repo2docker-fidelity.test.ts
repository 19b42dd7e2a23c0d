/**
 * One test per row of the README's repo2docker table: each compiles a repository fixture under
 * test/fixtures/repo2docker/<row>/ and checks the recipe and the script it gives.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../layers/base/errors';
import { compileRecipe } from '../../../layers/core/recipe/compile';
import type { Recipe } from '../../../layers/core/recipe/schema';
import { loadRecipe } from '../../../local/recipe-files';

const FIXTURES = join(import.meta.dirname, '../../fixtures/repo2docker');

async function baked(row: string): Promise<{ recipe: Recipe; script: string; phases: string[] }> {
  const recipe = await loadRecipe(join(FIXTURES, row));
  const { script } = compileRecipe(recipe);
  const phases = [...script.matchAll(/^phase ([a-z-]+) /gm)].map((m) => m[1] ?? '');
  return { recipe, script, phases };
}

async function refused(row: string) {
  try {
    await loadRecipe(join(FIXTURES, row));
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error(`${row} was accepted`);
}

/** The body of one phase function in the script. */
const body = (script: string, phase: string) =>
  script.split(`phase_${phase.replaceAll('-', '_')}() {`)[1]?.split('\n}\n\n')[0] ?? '';

describe('repo2docker files, row by row', () => {
  it('binder/: configuration is read there and the root copy is ignored', async () => {
    const { recipe } = await baked('binder-dir');

    expect(recipe.environment.apt).toEqual(['jq']);
    expect(recipe.repository?.configDir).toBe('binder');
    expect(Object.keys(recipe.repository?.files ?? {})).toContain('notebook.ipynb');
  });

  it('.binder/: configuration is read there, and requirements.txt is installed from it', async () => {
    const { recipe, script } = await baked('dot-binder');

    expect(recipe.environment.requirements).toBe('numpy\n');
    expect(body(script, 'pip')).toContain(`-r '.binder/requirements.txt'`);
  });

  it('binder/ and .binder/ together are refused, as repo2docker does', async () => {
    expect(await refused('both-binders')).toEqual([
      { path: 'binder', message: expect.stringContaining("both 'binder' and '.binder'") },
    ]);
  });

  it('environment.yml: the environment Jupyter runs in; requirements.txt is then not read', async () => {
    const { recipe, script, phases } = await baked('environment-yml');

    expect(recipe.jupyter.source).toBe('conda');
    expect(recipe.environment.requirements).toBeUndefined();
    expect(phases).not.toContain('pip');
    expect(phases).not.toContain('conda');
    expect(body(script, 'jupyter')).toContain(
      'conda_environment /opt/conda /opt/conda/envs/bakehouse',
    );
    expect(body(script, 'jupyter-info')).toContain(
      "JUPYTER_COMMAND='/opt/conda/envs/bakehouse/bin/jupyter'",
    );
  });

  it('environment.yaml: read when there is no environment.yml', async () => {
    const { recipe } = await baked('environment-yaml');

    expect(recipe.environment.conda).toBe('dependencies:\n  - pandas\n');
    expect(recipe.jupyter.source).toBe('conda');
  });

  it('requirements.txt: installed with the repository in place, so -r other files resolve', async () => {
    const { script, phases } = await baked('requirements-include');

    expect(phases.indexOf('repository')).toBeLessThan(phases.indexOf('pip'));
    expect(body(script, 'repository')).toContain(`"$home"/'requirements/extra.txt'`);
    expect(body(script, 'pip')).toContain(
      `(cd "$home" && /opt/bakehouse/venv/bin/python -m pip install -r 'requirements.txt')`,
    );
  });

  it('requirements.txt: a -r file missing from the repository is refused before launch', async () => {
    expect(await refused('requirements-missing-include')).toEqual([
      {
        path: 'requirements.txt',
        message: 'line 2: refers to "other.txt", which is not a file of the repository',
      },
    ]);
  });

  it('runtime.txt python-X.Y: a conda environment with that Python, requirements.txt in it', async () => {
    const { recipe, script } = await baked('runtime-python');

    expect(recipe.environment.conda).toContain('python=3.11');
    expect(recipe.jupyter.source).toBe('conda');
    expect(body(script, 'pip')).toContain('/opt/conda/envs/bakehouse/bin/python -m pip install');
  });

  it('runtime.txt r-…: R is requested, so install.R is read and R is a kernel', async () => {
    const { recipe, phases } = await baked('runtime-r');

    expect(recipe.environment.r).toMatchObject({ cran: ['ggplot2'], kernel: true });
    expect(phases).toContain('r');
  });

  it('install.R without runtime.txt r-… or DESCRIPTION: not read, no R', async () => {
    const { recipe, phases } = await baked('install-r-without-r');

    expect(recipe.environment.r.cran).toEqual([]);
    expect(phases).not.toContain('r');
  });

  it('DESCRIPTION: R is requested and the repository is installed as an R package', async () => {
    const { recipe, script } = await baked('description');

    expect(recipe.environment.r.installRepository).toBe(true);
    expect(body(script, 'r')).toContain(`remotes::install_local(".", upgrade = "never")`);
    expect(body(script, 'r')).toContain('r-cran-remotes');
  });

  it('apt.txt: one package a line, comments dropped, installed as root first', async () => {
    const { recipe, phases } = await baked('apt-txt');

    expect(recipe.environment.apt).toEqual(['jq', 'graphviz']);
    expect(phases[0]).toBe('apt');
  });

  it('postBuild: run as the user, in the home that holds the repository', async () => {
    const { recipe, script } = await baked('post-build');

    expect(recipe.environment.postBuildAs).toBe('user');
    expect(body(script, 'post-build')).toMatch(
      /\(cd "\$home" && runuser -u 'student' -- env HOME="\$home" USER='student' PATH="\$home"\/\.local\/bin:/,
    );
  });

  it('start: wraps the server command, which the seats then run', async () => {
    const { recipe, script } = await baked('start');

    expect(recipe.jupyter.start).toBe('start');
    expect(body(script, 'jupyter-info')).toContain(
      `exec "$home"/'start' '/opt/bakehouse/venv/bin/jupyter' 'lab' "$@"`,
    );
    expect(body(script, 'jupyter-info')).toContain(
      "JUPYTER_COMMAND='/opt/bakehouse/bin/jupyter-start'",
    );
  });

  it('Project.toml (Julia): refused by name before launch', async () => {
    expect(await refused('julia')).toEqual([
      { path: 'Project.toml', message: expect.stringContaining('Julia') },
    ]);
  });

  it('the repository itself: every file lands in the home, owned by the user', async () => {
    const { recipe, script } = await baked('content');

    expect(Object.keys(recipe.repository?.files ?? {})).toEqual([
      'bakehouse.yaml',
      'data/measurements.csv',
      'notebooks/01-intro.ipynb',
      'notes with spaces.md',
    ]);
    const repository = body(script, 'repository');
    expect(repository).toContain(
      `install -d -o 'student' -g 'student' -m 0755 "$home"/'notebooks'`,
    );
    expect(repository).toContain(`chown 'student': "$home"/'notes with spaces.md'`);
  });
});
