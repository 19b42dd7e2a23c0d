/**
 * shellcheck on what the TS side generates: every example recipe's bake script and one with every
 * phase, a seat script, a batch seat script and the builder's user data. `npm run lint` checks the `.sh` files as they
 * are; this checks them as they are sent, with the settings and files put in.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileBootScript } from '../../layers/core/classroom/seat-script/batch';
import { compileSeatScript } from '../../layers/core/classroom/seat-script/seat-script';
import { compileImageTest } from '../../layers/core/image-test/image-test';
import { builderUserData, compileRecipe } from '../../layers/core/recipe/compile';
import { parseRecipe } from '../../layers/core/recipe/schema';
import { fetchScriptCommand } from '../../layers/core/script-object/script-object';
import { loadRecipe } from '../../local/recipe-files';
import { EXAMPLES, exampleRecipes } from './recipe/support';

const HASH =
  'argon2:$argon2id$v=19$m=19456,t=2,p=1$AAECAwQFBgcICQoLDA0ODw$K5kb+OmnXihtmad5eAxZxdDv+TrQ46PCRQpgWnEKfFE';
const DIGEST = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

const installed = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' }).status === 0;
const missing = installed ? undefined : 'shellcheck is not installed (apt-get install shellcheck)';
if (missing && process.env.CI)
  throw new Error(`generated scripts cannot be checked on CI: ${missing}`);
if (missing) console.warn(`shellcheck of generated scripts skipped: ${missing}`);

function shellcheck(script: string) {
  return spawnSync('shellcheck', ['--format=gcc', '-'], { input: script, encoding: 'utf8' });
}

const generated: [string, () => Promise<string> | string][] = [
  ...exampleRecipes.map((example): [string, () => Promise<string>] => [
    `the bake script of ${example}`,
    async () => compileRecipe(await loadRecipe(join(EXAMPLES, example))).script,
  ]),
  ...['description', 'environment-yml', 'post-build', 'requirements-include', 'start'].map(
    (row): [string, () => Promise<string>] => [
      `the bake script of the repo2docker fixture ${row}`,
      async () =>
        compileRecipe(await loadRecipe(join(EXAMPLES, '../../test/fixtures/repo2docker', row)))
          .script,
    ],
  ),
  [
    'an image test with a smoke test',
    () =>
      compileImageTest(
        parseRecipe({
          name: 'tested',
          baseImage: 'ami-0123456789abcdef0',
          test: { commands: 'python -c "import numpy"\n' },
        }),
        8888,
      ),
  ],
  [
    'the command that fetches a bake script from S3',
    () =>
      fetchScriptCommand({
        region: 'us-east-1',
        bucket: 'bakehouse-dev-scripts-123456789012-us-east-1',
        key: 'bakes/b-1/arn:aws:ec2:us-east-1:123456789012:instance/i-1/build.sh',
        sha256: DIGEST,
      }),
  ],
  [
    'the bake script of a recipe with every phase',
    () =>
      compileRecipe(
        parseRecipe({
          name: 'every-phase',
          baseImage: 'ami-0123456789abcdef0',
          volumes: [{ device: '/dev/sdf', sizeGiB: 10, mountPoint: '/scratch' }],
          environment: {
            apt: ['jq'],
            pip: ['numpy'],
            requirements: 'pandas\n',
            conda: 'dependencies:\n  - python=3.12\n',
            r: { cran: ['ggplot2'], bioconductor: ['DESeq2'] },
            postBuild: 'echo hello\n',
          },
        }),
      ).script,
  ],
  [
    'a seat script',
    () =>
      compileSeatScript({
        port: 8888,
        passwordHash: HASH,
        tokenDigest: DIGEST,
        tls: { mode: 'none' },
      }),
  ],
  [
    'a boot script (user data)',
    () =>
      compileBootScript(8888, { mode: 'acme' }, [
        { passwordHash: HASH, tokenDigest: DIGEST, host: '203.0.113.1' },
        {
          passwordHash: HASH,
          tokenDigest: DIGEST.replace('b', 'c'),
          host: '203.0.113.2',
        },
      ]),
  ],
  // cloud-init runs the boothook without its first line, #cloud-boothook.
  ['the builder user data', () => builderUserData(180).split('\n').slice(1).join('\n')],
];

describe.skipIf(missing)(`shellcheck${missing ? ` [skipped: ${missing}]` : ''}`, () => {
  it.each(generated)('finds nothing in %s', async (_name, generate) => {
    // Act
    const check = shellcheck(await generate());

    // Assess
    expect(check.stdout).toBe('');
    expect(check.status).toBe(0);
  });
});
