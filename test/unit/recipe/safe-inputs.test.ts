import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../layers/base/errors';
import { compileRecipe } from '../../../layers/core/recipe/compile';
import { recipeFromRepo2docker } from '../../../layers/core/recipe/repo2docker';
import { parseRecipe } from '../../../layers/core/recipe/schema';
import { MAX_YAML_ALIASES } from '../../../layers/core/recipe/yaml';
import {
  RUN_COMMAND_DOCUMENT_MAX_BYTES,
  RUN_COMMAND_PARAMETERS_MAX_BYTES,
} from '../../../layers/core/run-command';
import { SCRIPT_OBJECT_MAX_BYTES } from '../../../layers/core/script-object/script-object';
import { loadRecipe } from '../../../local/recipe-files';
import { issuesOf } from './support';

const settings = 'name: course-env\nbaseImage: ami-0123456789abcdef0\n';

function repository(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'bakehouse-safe-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

async function loadIssues(root: string) {
  try {
    await loadRecipe(root);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('the repository was accepted');
}

/** A file outside every recipe directory, standing for /etc/passwd or /etc/shadow. */
function secretFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'bakehouse-secret-')), 'shadow');
  writeFileSync(path, 'root:$y$j9T$SECRETHASH:19000:0:99999:7:::\n');
  return path;
}

describe('symbolic links in a recipe directory', () => {
  it.each(['postBuild', 'notebooks/data.csv'])(
    'refuses %s linked outside the directory, naming it and echoing nothing of the target',
    async (name) => {
      // Prepare
      const root = repository({ 'bakehouse.yaml': settings, 'notebooks/a.ipynb': '{}' });
      symlinkSync(secretFile(), join(root, name));

      // Act
      const error = await loadIssues(root);

      // Assess
      expect(error.issues).toEqual([
        { path: name, message: 'is a symbolic link that leaves the recipe directory' },
      ]);
      expect(error.message).not.toContain('SECRETHASH');
      expect(error.message).not.toContain('root:');
    },
  );

  it('refuses a bakehouse.yaml that links to a file outside, without printing its lines', async () => {
    // Prepare
    const root = repository({ 'apt.txt': 'jq\n' });
    symlinkSync(secretFile(), join(root, 'bakehouse.yaml'));

    // Act
    const error = await loadIssues(root);

    // Assess
    expect(error.issues).toEqual([
      { path: 'bakehouse.yaml', message: 'is a symbolic link that leaves the recipe directory' },
    ]);
    expect(JSON.stringify(error)).not.toContain('SECRETHASH');
  });

  it('follows a link that stays inside the directory', async () => {
    // Prepare
    const root = repository({ 'bakehouse.yaml': settings, 'shared/apt.txt': 'jq\n' });
    symlinkSync(join(root, 'shared/apt.txt'), join(root, 'apt.txt'));

    // Act
    const recipe = await loadRecipe(root);

    // Assess
    expect(recipe.environment.apt).toEqual(['jq']);
  });
});

describe('YAML aliases', () => {
  const laughs = [
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    'd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  ].join('\n');

  it('are refused in a recipe file', () => {
    expect(MAX_YAML_ALIASES).toBe(0);
    expect(issuesOf(() => parseRecipe(`${settings}${laughs}\n`))).toEqual([
      { path: 'recipe', message: expect.stringMatching(/^not valid YAML: .*alias.* at line \d+/) },
    ]);
  });

  it('are refused in bakehouse.yaml and in environment.yml', () => {
    const bakehouse = issuesOf(() =>
      recipeFromRepo2docker({ 'bakehouse.yaml': `${settings}${laughs}\n` }),
    );
    const conda = issuesOf(() =>
      parseRecipe({
        name: 'course-env',
        baseImage: 'ami-0123456789abcdef0',
        environment: { conda: `name: x\n${laughs}\n` },
      }),
    );

    expect(bakehouse.map((i) => i.path)).toEqual(['bakehouse.yaml']);
    expect(conda).toEqual([
      { path: 'environment.conda', message: expect.stringContaining('alias') },
    ]);
  });

  it('say where the text is wrong without quoting it', () => {
    const [issue] = issuesOf(() => parseRecipe('name: [oops\nsecret: SECRETHASH\n'));
    expect(issue?.message).toMatch(/at line \d+, column \d+$/);
    expect(issue?.message).not.toContain('SECRETHASH');
  });
});

describe('the compiled script size', () => {
  const big = (bytes: number) =>
    `${'# padding line for the size bound\n'.repeat(Math.ceil(bytes / 34))}`;

  it('is bounded by what one Run Command request carries (64 KB with its parameters)', () => {
    expect(RUN_COMMAND_DOCUMENT_MAX_BYTES).toBe(65_536);
    expect(RUN_COMMAND_PARAMETERS_MAX_BYTES).toBe(61_440);
  });

  it('refuses a recipe whose script would not fit even as an S3 object, naming both sizes', () => {
    // Prepare: three texts each within their field's bound, together far beyond one command
    const recipe = parseRecipe({
      name: 'course-env',
      baseImage: 'ami-0123456789abcdef0',
      environment: { postBuild: big(60_000), requirements: `numpy\n${big(60_000)}` },
    });

    // Act
    const issues = issuesOf(() => compileRecipe(recipe));

    // Assess
    expect(issues).toEqual([
      {
        path: 'recipe',
        message: expect.stringMatching(
          /^the compiled bake script is \d{6} bytes; a script that travels through S3 is at most 114688 bytes/,
        ),
      },
    ]);
  });

  it('sends a script under the bound in the command itself', () => {
    const recipe = parseRecipe({
      name: 'course-env',
      baseImage: 'ami-0123456789abcdef0',
      environment: { postBuild: big(40_000) },
    });

    const { script, travel } = compileRecipe(recipe);

    expect(Buffer.byteLength(script)).toBeLessThan(RUN_COMMAND_PARAMETERS_MAX_BYTES);
    expect(travel).toBe('command');
  });

  it('sends a script over one command but under the S3 bound as an object', () => {
    const recipe = parseRecipe({
      name: 'course-env',
      baseImage: 'ami-0123456789abcdef0',
      environment: { postBuild: big(50_000), requirements: `numpy\n${big(40_000)}` },
    });

    const { script, travel } = compileRecipe(recipe);

    expect(Buffer.byteLength(script)).toBeGreaterThan(RUN_COMMAND_PARAMETERS_MAX_BYTES);
    expect(Buffer.byteLength(script)).toBeLessThanOrEqual(SCRIPT_OBJECT_MAX_BYTES);
    expect(travel).toBe('object');
  });
});
