import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycles, importsOf, layeringViolations } from './layering';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Every .ts file under the given top-level folders, by repository path. */
function sources(...folders: string[]): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) files.set(path, readFileSync(join(ROOT, path), 'utf8'));
    }
  };
  for (const folder of folders) walk(folder);
  return files;
}

const files = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe('importsOf', () => {
  it('finds imports, re-exports, dynamic imports and tells import type apart', () => {
    const found = importsOf(
      'a.ts',
      [
        "import type { A } from './a-type';",
        "import { type B } from './b-inline';",
        "import { c } from './c';",
        "export { d } from './d';",
        "export type { E } from './e';",
        "const f = await import('./f');",
        "import './g';",
      ].join('\n'),
    );
    expect(found).toEqual([
      { specifier: './a-type', typeOnly: true },
      { specifier: './b-inline', typeOnly: false },
      { specifier: './c', typeOnly: false },
      { specifier: './d', typeOnly: false },
      { specifier: './e', typeOnly: true },
      { specifier: './f', typeOnly: false },
      { specifier: './g', typeOnly: false },
    ]);
  });
});

describe('layeringViolations', () => {
  const clean = {
    'layers/base/errors.ts': 'export class E extends Error {}',
    'layers/core/plan.ts': "import { E } from '../base/errors';\nexport type Plan = {};",
    'layers/runtime/config.ts': "import { E } from '../base/errors';",
    'layers/aws/ec2.ts':
      "import { EC2Client } from '@aws-sdk/client-ec2';\nimport type { Plan } from '../core/plan';\nimport { config } from '../runtime/config';",
    'functions/launch.ts':
      "import { Plan } from '../layers/core/plan';\nimport { x } from '../layers/aws/ec2';",
  };

  it('accepts a tree that keeps the layering', () => {
    expect(layeringViolations(files(clean))).toEqual([]);
  });

  it.each([
    ['base imports core', 'layers/base/validate.ts', "import { p } from '../core/plan';"],
    ['core imports runtime', 'layers/core/cost.ts', "import { c } from '../runtime/config';"],
    ['core imports aws', 'layers/core/cost.ts', "import type { x } from '../aws/ec2';"],
    ['runtime imports core', 'layers/runtime/middleware.ts', "import { p } from '../core/plan';"],
    ['aws imports a value of core', 'layers/aws/ssm.ts', "import { p } from '../core/plan';"],
    [
      'aws imports core with inline type modifiers only',
      'layers/aws/ssm.ts',
      "import { type Plan } from '../core/plan';",
    ],
    ['layers import functions', 'layers/core/x.ts', "import { h } from '../../functions/launch';"],
    ['layers import local', 'layers/runtime/x.ts', "import { s } from '../../local/sim';"],
    ['layers import test', 'layers/aws/x.ts', "import { f } from '../../test/fixtures';"],
    ['a function imports another', 'functions/other.ts', "import { h } from './launch';"],
    ['core names the SDK', 'layers/core/x.ts', "import { EC2Client } from '@aws-sdk/client-ec2';"],
    ['a function names the SDK', 'functions/x.ts', "import type { S } from '@smithy/types';"],
  ])('reports it when %s', (_case, path, source) => {
    const violations = layeringViolations(files({ ...clean, [path]: source }));
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(new RegExp(`^${path.replaceAll('.', '\\.')}: `));
  });

  it('reports files that import each other in a circle, also through type imports', () => {
    const violations = layeringViolations(
      files({
        'layers/core/a.ts': "import { b } from './b';",
        'layers/core/b.ts': "import type { C } from './c';",
        'layers/core/c.ts': "import { a } from './a';",
        'layers/core/d.ts': "import { a } from './a';",
      }),
    );
    expect(violations).toEqual([
      'import cycle among layers/core/a.ts, layers/core/b.ts, layers/core/c.ts',
    ]);
  });
});

describe('cycles', () => {
  it('finds a file that imports itself and leaves a chain alone', () => {
    const found = cycles(
      new Map([
        ['a', ['a']],
        ['b', ['c']],
        ['c', []],
      ]),
    );
    expect(found).toEqual([['a']]);
  });
});

describe('the layering of layers/ and functions/', () => {
  const tree = sources('layers', 'functions');

  it('holds for every file', () => {
    expect(tree.size).toBeGreaterThan(60);
    expect(layeringViolations(tree)).toEqual([]);
  });
});
