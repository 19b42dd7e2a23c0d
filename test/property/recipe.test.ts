import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { compileRecipe } from '../../layers/core/recipe/compile';
import { recipeFromRepo2docker, UNSUPPORTED_FILES } from '../../layers/core/recipe/repo2docker';
import { parseRecipe, type Recipe } from '../../layers/core/recipe/schema';
import { loadRecipe } from '../../local/recipe-files';
import { runFileWrites } from '../unit/recipe/support';
import { FULL_RECIPE } from './fixtures';
import {
  CANARY,
  hostileJson,
  hostileKey,
  hostileString,
  mutated,
  NASTY_PIECES,
  nestedArrays,
  SHELL_PAYLOADS,
  yamlBomb,
} from './hostile';
import { outcomeOf, outcomeOfAsync, RUNS } from './support';

describe('parseRecipe on hostile objects', () => {
  it('accepts or names the bad field, whatever one field is replaced by', () => {
    fc.assert(
      fc.property(mutated(FULL_RECIPE), (input) => {
        const outcome = outcomeOf(() => parseRecipe(input));
        if ('accepted' in outcome) compileRecipe(outcome.accepted);
      }),
      { numRuns: RUNS.fast },
    );
  });

  it('never accepts a value that is not the recipe object', () => {
    fc.assert(
      fc.property(hostileJson(3), (input) => {
        fc.pre(typeof input !== 'string');
        const outcome = outcomeOf(() => parseRecipe(input));
        expect('issues' in outcome).toBe(true);
      }),
      { numRuns: RUNS.fast },
    );
  });
});

describe('parseRecipe on hostile tags', () => {
  it('keeps every tag it accepts, and refuses a tag it would lose', () => {
    const tags = fc.dictionary(
      fc.oneof(hostileKey, fc.constantFrom('course', 'owner')),
      fc.constantFrom('x', 'genomics 101'),
      { maxKeys: 4 },
    );
    fc.assert(
      fc.property(tags, (sent) => {
        const outcome = outcomeOf(() => parseRecipe({ ...FULL_RECIPE, tags: sent }));
        if ('accepted' in outcome) expect(outcome.accepted.tags).toEqual(sent);
      }),
      { numRuns: RUNS.fast },
    );
  });
});

describe('parseRecipe on hostile YAML text', () => {
  const yamlText = fc.oneof(
    mutated(FULL_RECIPE).map((value) => yaml.dump(value)),
    fc
      .array(
        fc.oneof(
          hostileString(),
          fc.constantFrom(
            ': ',
            '- ',
            '&a ',
            '*a',
            '!!js/function ',
            '{',
            '[',
            '? ',
            '<<: *a',
            '%YAML 1.1\n',
            '---\n',
          ),
        ),
        { maxLength: 20 },
      )
      .map((parts) => parts.join('')),
    fc.constantFrom(yamlBomb(), nestedArrays(20_000), `name: ${'x'.repeat(100_000)}`),
  );

  it('accepts or rejects at a named field, in bounded time', () => {
    fc.assert(
      fc.property(yamlText, (text) => {
        const started = performance.now();
        outcomeOf(() => parseRecipe(text));
        expect(performance.now() - started).toBeLessThan(2_000);
      }),
      { numRuns: RUNS.parse },
    );
  });
});

describe('recipeFromRepo2docker on hostile files', () => {
  const names = [
    'apt.txt',
    'requirements.txt',
    'environment.yml',
    'install.R',
    'postBuild',
    'bakehouse.yaml',
    ...Object.keys(UNSUPPORTED_FILES),
  ];
  const files = fc.dictionary(
    fc.constantFrom(...names),
    fc.oneof(
      hostileString(60),
      fc.array(hostileString(20), { maxLength: 6 }).map((lines) => lines.join('\n')),
      fc.constantFrom(
        yamlBomb(),
        'name: ok-name\nbaseImage: ami-0123456789abcdef0\n',
        'install.packages(c("dplyr", "$(touch x)"))',
        'BiocManager::install("DESeq2")',
      ),
    ),
    { maxKeys: 6 },
  );

  it('accepts or names the file and line at fault', () => {
    fc.assert(
      fc.property(files, (repo) => {
        outcomeOf(() =>
          recipeFromRepo2docker(repo, { name: 'from-repo', baseImage: 'ami-0123456789abcdef0' }),
        );
      }),
      { numRuns: RUNS.parse },
    );
  });
});

/** Text fields that travel into the script verbatim, each with a shell payload inside. */
const freeText = fc
  .tuple(
    fc.constantFrom(...SHELL_PAYLOADS),
    fc.array(fc.constantFrom(...NASTY_PIECES), { maxLength: 4 }),
  )
  .map(([payload, extra]) => [payload, ...extra].join(''));

function recipeWithText(field: 'postBuild' | 'requirements' | 'conda', text: string): unknown {
  const value = field === 'conda' ? `${yaml.dump({ name: text })}dependencies: [python]\n` : text;
  return {
    ...FULL_RECIPE,
    environment: { ...FULL_RECIPE.environment, [field]: value },
  };
}

describe('an accepted recipe never runs a value it carries', () => {
  it('writes postBuild, requirements and conda text byte for byte, with no payload running', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.constantFrom('postBuild', 'requirements', 'conda') as fc.Arbitrary<
          'postBuild' | 'requirements' | 'conda'
        >,
        freeText,
        (field, text) => {
          const input = recipeWithText(field, text);
          const outcome = outcomeOf(() => parseRecipe(input));
          if (!('accepted' in outcome)) return;
          const recipe: Recipe = outcome.accepted;
          accepted += 1;
          const { script } = compileRecipe(recipe);
          const syntax = spawnSync('/bin/bash', ['-n'], { input: script, encoding: 'utf8' });
          expect(syntax.status, syntax.stderr).toBe(0);

          const dir = mkdtempSync(join(tmpdir(), 'bakehouse-hostile-'));
          try {
            const written = [...runFileWrites(script, dir).values()];
            expect(written).toContain(recipe.environment[field]);
            expect(existsSync(join(dir, CANARY))).toBe(false);
            expect(readdirSync(dir).filter((name) => !/^\d+$/.test(name))).toEqual([]);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: RUNS.shell },
    );
    expect(accepted).toBeGreaterThan(RUNS.shell / 2);
  });
});

describe('loadRecipe on hostile files on disk', () => {
  const content = fc.oneof(
    hostileString(60).map((text) => Buffer.from(text)),
    fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
    fc.constantFrom(Buffer.from([0x6a, 0x71, 0x0a, 0xff, 0xfe]), Buffer.from('jq\n')),
  );
  const files = fc.dictionary(
    fc.constantFrom('apt.txt', 'requirements.txt', 'postBuild', 'postBuild', 'install.R'),
    content,
    { minKeys: 1, maxKeys: 4 },
  );

  it('accepts or names the file at fault, and keeps postBuild byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(files, fc.boolean(), async (repo, inBinder) => {
        const root = mkdtempSync(join(tmpdir(), 'bakehouse-repo-'));
        const dir = inBinder ? join(root, 'binder') : root;
        mkdirSync(dir, { recursive: true });
        try {
          const settings = Buffer.from('baseImage: ami-0123456789abcdef0\n');
          const all = { 'bakehouse.yaml': settings, ...repo };
          for (const [name, bytes] of Object.entries(all)) writeFileSync(join(dir, name), bytes);
          const outcome = await outcomeOfAsync(() => loadRecipe(root));
          const { postBuild } = 'accepted' in outcome ? outcome.accepted.environment : {};
          if (postBuild !== undefined && repo.postBuild) {
            expect(Buffer.from(postBuild).equals(repo.postBuild)).toBe(true);
          }
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: RUNS.files * 2 },
    );
  });
});
