import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRecipe } from '../../../layers/core/recipe/compile';
import { baseImageKind, parseRecipe, type RecipeInput } from '../../../layers/core/recipe/schema';
import { loadRecipe } from '../../../local/recipe-files';
import { EXAMPLES, exampleRecipes, issuesOf, pathsOf } from './support';

const minimal = { name: 'intro-course', baseImage: 'ami-0123456789abcdef0' };

function recipe(overrides: Record<string, unknown>): RecipeInput {
  return { ...minimal, ...overrides } as RecipeInput;
}

describe('parseRecipe', () => {
  it('fills in every default of a minimal recipe', () => {
    // Act
    const parsed = parseRecipe(minimal);

    // Assess
    expect(parsed).toEqual({
      name: 'intro-course',
      region: 'us-east-1',
      baseImage: 'ami-0123456789abcdef0',
      builder: { instanceType: 't3.large', rootVolumeGiB: 30, timeoutMinutes: 60 },
      volumes: [],
      tags: {},
      environment: {
        apt: [],
        pip: [],
        r: { cran: [], bioconductor: [], kernel: false, installRepository: false },
        postBuildAs: 'root',
      },
      jupyter: { flavour: 'lab', port: 8888, source: 'pip' },
      user: 'student',
    });
  });

  it("bakes a recipe that names no region in the stack's, and one that names its own there", () => {
    const yaml = 'name: intro-course\nbaseImage: ami-0123456789abcdef0\n';

    expect(parseRecipe(minimal).region).toBe('us-east-1');
    expect(parseRecipe(minimal, { region: 'eu-west-1' }).region).toBe('eu-west-1');
    expect(parseRecipe(yaml, { region: 'eu-west-1' }).region).toBe('eu-west-1');
    expect(parseRecipe({ ...minimal, region: 'ap-south-1' }, { region: 'eu-west-1' }).region).toBe(
      'ap-south-1',
    );
  });

  it('fills in the defaults of a volume', () => {
    // Act
    const parsed = parseRecipe(
      recipe({ volumes: [{ device: '/dev/sdf', sizeGiB: 100, mountPoint: '/scratch' }] }),
    );

    // Assess
    expect(parsed.volumes).toEqual([
      {
        device: '/dev/sdf',
        sizeGiB: 100,
        type: 'gp3',
        encrypted: true,
        mountPoint: '/scratch',
        filesystem: 'ext4',
      },
    ]);
  });

  it('reads YAML text into the same recipe as the equivalent object', () => {
    // Prepare
    const text = [
      'name: intro-course',
      'baseImage: ami-0123456789abcdef0',
      'environment:',
      '  apt: [jq, python3-numpy=1:1.24.2-1]',
      '  pip: ["pandas[excel]>=2,<3"]',
    ].join('\n');

    // Act
    const parsed = parseRecipe(text);

    // Assess
    expect(parsed).toEqual(
      parseRecipe(
        recipe({
          environment: { apt: ['jq', 'python3-numpy=1:1.24.2-1'], pip: ['pandas[excel]>=2,<3'] },
        }),
      ),
    );
  });

  it('parses its own output unchanged, as the bake state machine re-validates it', () => {
    // Prepare
    const parsed = parseRecipe(
      recipe({ volumes: [{ device: '/dev/sdg', sizeGiB: 10, mountPoint: '/data' }] }),
    );

    // Act
    const again = parseRecipe(JSON.parse(JSON.stringify(parsed)));

    // Assess
    expect(again).toEqual(parsed);
  });

  it.each(exampleRecipes)('accepts the example %s', async (example) => {
    // Act
    const parsed = await loadRecipe(join(EXAMPLES, example));

    // Assess
    expect(parsed.name).toBe(example.replace(/\.yaml$/, ''));
  });

  it('reports a YAML syntax error at the path recipe', () => {
    // Act
    const issues = issuesOf(() => parseRecipe('name: [unclosed\nbaseImage: ami-0123456789abcdef0'));

    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      path: 'recipe',
      message: expect.stringContaining('not valid YAML'),
    });
  });

  it('reports YAML that is not a mapping', () => {
    // Act
    const paths = pathsOf(() => parseRecipe('- just\n- a list\n'));

    // Assess
    expect(paths).toEqual(['']);
  });

  it('names every bad field of a recipe in one error', () => {
    // Prepare
    const input = {
      name: 'X',
      region: 'moon-1',
      baseImage: 'ubuntu-latest',
      builder: { instanceType: 'huge', timeoutMinutes: 1 },
      volumes: [{ device: '/dev/sda', sizeGiB: 0, mountPoint: 'scratch' }],
      environment: { apt: ['jq', 'Bad Package'] },
      jupyter: { port: 80 },
    };

    // Act
    const paths = pathsOf(() => parseRecipe(input));

    // Assess
    expect(paths.sort()).toEqual(
      [
        'name',
        'region',
        'baseImage',
        'builder.instanceType',
        'builder.timeoutMinutes',
        'volumes[0].device',
        'volumes[0].sizeGiB',
        'volumes[0].mountPoint',
        'environment.apt[1]',
        'jupyter.port',
      ].sort(),
    );
  });

  it('reports unknown keys instead of ignoring them', () => {
    // Act
    const issues = issuesOf(() => parseRecipe(recipe({ jupyter: { flavor: 'lab' } })));

    // Assess
    expect(issues).toEqual([{ path: 'jupyter', message: expect.stringContaining('flavor') }]);
  });

  it('requires the notebook flavour for the jupyter source apt', () => {
    // Act
    const issues = issuesOf(() =>
      parseRecipe(recipe({ jupyter: { source: 'apt', flavour: 'lab' } })),
    );

    // Assess
    expect(issues).toEqual([
      { path: 'jupyter.flavour', message: expect.stringContaining('notebook') },
    ]);
  });

  it('reports the second use of a device and of a mount point', () => {
    // Prepare
    const volume = { device: '/dev/sdf', sizeGiB: 10, mountPoint: '/data' };

    // Act
    const paths = pathsOf(() => parseRecipe(recipe({ volumes: [volume, { ...volume }] })));

    // Assess
    expect(paths.sort()).toEqual(['volumes[1].device', 'volumes[1].mountPoint']);
  });

  it.each([
    [{ type: 'st1', sizeGiB: 100 }, 'volumes[0].sizeGiB'],
    [{ type: 'io2', sizeGiB: 100 }, 'volumes[0].iops'],
    [{ type: 'gp3', sizeGiB: 100, iops: 3000 }, 'volumes[0].iops'],
    [{ sizeGiB: 20_000 }, 'volumes[0].sizeGiB'],
  ])('refuses a volume EBS would refuse: %o', (overrides, path) => {
    // Prepare
    const volume = { device: '/dev/sdf', mountPoint: '/data', ...overrides };

    // Act
    const paths = pathsOf(() => parseRecipe(recipe({ volumes: [volume] })));

    // Assess
    expect(paths).toEqual([path]);
  });

  it('refuses more than 8 volumes and more than 40 tags', () => {
    // Prepare
    const volumes = 'fghijklmn'.split('').map((letter) => ({
      device: `/dev/sd${letter}`,
      sizeGiB: 1,
      mountPoint: `/data-${letter}`,
    }));
    const tags = Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`key${i}`, 'value']));

    // Act
    const paths = pathsOf(() => parseRecipe(recipe({ volumes, tags })));

    // Assess
    expect(paths.sort()).toEqual(['tags', 'volumes']);
  });

  it('accepts ordinary tags, requirements, R packages and a postBuild', () => {
    // Prepare
    const input = recipe({
      tags: { course: 'Genomics 101', 'cost-centre': 'rc/42', owner: 'grace@example.org' },
      environment: {
        pip: ['numpy', 'scikit-learn==1.5.*', 'jupyterlab-git~=0.50', 'torch!=2.0.0,>=1.13'],
        r: { cran: ['data.table', 'ggplot2'], bioconductor: ['DESeq2'] },
        requirements: 'numpy\n-r other.txt\n',
        postBuild: "echo 'done' > /tmp/marker\n",
      },
    });

    // Act
    const parsed = parseRecipe(input);

    // Assess
    expect(parsed.environment.pip).toHaveLength(4);
    expect(parsed.tags.course).toBe('Genomics 101');
  });
});

describe('baseImageKind', () => {
  it.each([
    ['ami-0123abcd', 'ami'],
    ['ami-0123456789abcdef0', 'ami'],
    [
      '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id',
      'ssm-parameter',
    ],
    ['/aws/service/debian/release/12/latest/amd64', 'ssm-parameter'],
  ])('says %s is an %s', (baseImage, kind) => {
    // Act
    const parsed = parseRecipe(recipe({ baseImage }));

    // Assess
    expect(baseImageKind(parsed.baseImage)).toBe(kind);
  });

  it.each(['ami-XYZ', '/aws/other/param', 'https://example.org/image'])(
    'refuses %s as a base image',
    (baseImage) => {
      // Act
      const paths = pathsOf(() => parseRecipe(recipe({ baseImage })));

      // Assess
      expect(paths).toEqual(['baseImage']);
    },
  );
});

describe('recipe regions', () => {
  const base = {
    name: 'stats-workshop',
    baseImage: '/aws/service/debian/release/12/latest/amd64',
  };
  const regionPaths = (regions: unknown) => pathsOf(() => parseRecipe({ ...base, regions }));

  it('accepts other regions and leaves the field out when none is named', () => {
    expect(parseRecipe({ ...base, regions: ['eu-west-1', 'ap-southeast-2'] }).regions).toEqual([
      'eu-west-1',
      'ap-southeast-2',
    ]);
    expect(parseRecipe(base).regions).toBeUndefined();
  });

  it.each([
    ['a name that is not a region', ['Ireland'], ['regions[0]']],
    ['a repeated region', ['eu-west-1', 'eu-west-1'], ['regions[1]']],
    ["the recipe's own region", ['us-east-1'], ['regions[0]']],
    ['an empty list', [], ['regions']],
    [
      'more regions than the copies tag holds',
      ['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'ap-southeast-2'],
      ['regions'],
    ],
  ])('refuses %s, naming the field', (_case, regions, paths) => {
    expect(regionPaths(regions)).toEqual(paths);
  });

  it('changes the recipe hash only for a recipe that names regions', () => {
    const without = compileRecipe(parseRecipe(base)).recipeHash;
    const withRegions = compileRecipe(parseRecipe({ ...base, regions: ['eu-west-1'] })).recipeHash;
    expect(withRegions).not.toBe(without);
  });
});
