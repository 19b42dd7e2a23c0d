import { describe, expect, it } from 'vitest';
import { COPIES_TAG } from '../../../layers/core/image-copies';
import { compileImageTest, TESTED_TAG } from '../../../layers/core/image-test/image-test';
import { pickTestedImage, reusableTags } from '../../../layers/core/image-test/reuse';
import { parseRecipe } from '../../../layers/core/recipe/schema';
import { TAG } from '../../../layers/core/tags';

const recipe = parseRecipe({ name: 'course-env', baseImage: 'ami-0123456789abcdef0' });
const phasesOf = (script: string) => [...script.matchAll(/^phase ([a-z-]+) /gm)].map((m) => m[1]);
const CREDENTIAL = "'/var/lib/bakehouse/image-test/credential'";

describe('compileImageTest', () => {
  it('makes the credential on the instance, runs the seat script with it, then checks Jupyter with it', () => {
    const script = compileImageTest(recipe, 8888);

    expect(phasesOf(script)).toEqual(['credential', 'seat', 'jupyter-answers']);
    expect(script).toContain(`readonly CREDENTIAL_DIR=${CREDENTIAL}`);
    expect(script).toContain('od -An -N32 -tx1 /dev/urandom');
    expect(script).toContain('# bakehouse:seat-config');
    expect(script).toContain(`PASSWORD_HASH=$(cat ${CREDENTIAL}/password-hash)`);
    expect(script).toContain(`TOKEN_SHA256=$(cat ${CREDENTIAL}/token-sha256)`);
    expect(script).toContain(`jupyter-answers.py 8888 ${CREDENTIAL}/token`);
    expect(script).toContain("readonly STATE_DIR='/var/lib/bakehouse/image-test'");
  });

  it('carries no credential: no hash, no digest, no token in its text', () => {
    const script = compileImageTest(recipe, 8888);

    expect(script).not.toMatch(/argon2:\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]{11,}/);
    expect(script).not.toMatch(/\b[0-9a-f]{64}\b/);
    expect(script).not.toContain('BAKEHOUSE_TEST_TOKEN');
  });

  it('is the same text for every run of the same recipe: nothing random goes into it', () => {
    expect(compileImageTest(recipe, 8888)).toBe(compileImageTest(recipe, 8888));
  });

  it("adds the recipe's smoke test, run as the Jupyter user in its home", () => {
    const withTest = parseRecipe({
      name: 'course-env',
      baseImage: 'ami-0123456789abcdef0',
      test: { commands: 'python -c "import numpy"\n' },
    });

    const script = compileImageTest(withTest, 8888);

    expect(phasesOf(script)).toEqual(['credential', 'seat', 'jupyter-answers', 'smoke-test']);
    expect(script).toContain(`(cd "$home" && runuser -u 'student' -- env HOME="$home"`);
    expect(script).toContain('python -c "import numpy"\n');
  });

  it('refuses a smoke test that would not fit in one Run Command request', () => {
    const huge = parseRecipe({
      name: 'course-env',
      baseImage: 'ami-0123456789abcdef0',
      test: { commands: '# pad\n'.repeat(10_000) },
    });

    expect(() => compileImageTest(huge, 8888)).toThrow(/image test script is \d+ bytes/);
  });
});

describe('pickTestedImage', () => {
  const wanted = reusableTags('bakehouse-dev', 'abc123');
  const image = (
    imageId: string,
    over: Partial<{ state: string; creationDate: string; tags: Record<string, string> }> = {},
  ) => ({
    imageId,
    name: `course-${imageId}`,
    state: 'available',
    creationDate: '2026-11-01T10:00:00.000Z',
    tags: { ...wanted },
    ...over,
  });

  /** Copies as DescribeImages shows them in their regions: every one available unless named. */
  const copiesSeen =
    (states: Record<string, string | undefined> = {}) =>
    async (copy: { imageId: string }) =>
      copy.imageId in states
        ? states[copy.imageId] === undefined
          ? undefined
          : { state: states[copy.imageId] as string }
        : { state: 'available' };

  it('takes the newest available image with the recipe hash that passed its test', async () => {
    const picked = await pickTestedImage(
      [
        image('ami-0000000000000000a'),
        image('ami-0000000000000000b', { creationDate: '2026-11-02T10:00:00.000Z' }),
        image('ami-0000000000000000c', {
          state: 'pending',
          creationDate: '2026-11-03T10:00:00.000Z',
        }),
      ],
      wanted,
      [],
      copiesSeen(),
    );

    expect(picked).toEqual({
      found: true,
      imageId: 'ami-0000000000000000b',
      imageName: 'course-ami-0000000000000000b',
      copies: [],
    });
  });

  it('takes an image of a recipe with regions only once its copies tag names each, returning them', async () => {
    const copied = image('ami-0000000000000000a', {
      tags: { ...wanted, [COPIES_TAG]: 'eu-west-1=ami-0000000000000000e' },
    });
    const uncopied = image('ami-0000000000000000b', { creationDate: '2026-11-02T10:00:00.000Z' });

    const picked = await pickTestedImage([copied, uncopied], wanted, ['eu-west-1'], copiesSeen());
    const none = await pickTestedImage(
      [copied, uncopied],
      wanted,
      ['eu-west-1', 'us-west-2'],
      copiesSeen(),
    );

    expect(picked).toMatchObject({
      found: true,
      imageId: 'ami-0000000000000000a',
      copies: [{ region: 'eu-west-1', imageId: 'ami-0000000000000000e' }],
    });
    expect(none).toEqual({ found: false });
  });

  it.each([
    ['untested', { [TESTED_TAG]: 'false' }],
    ['of another recipe hash', { [TAG.recipeHash]: 'def456' }],
    ['of another stack', { [TAG.stack]: 'bakehouse-prod' }],
  ])('finds nothing when the only image is %s', async (_what, tags) => {
    const picked = await pickTestedImage(
      [image('ami-0000000000000000a', { tags: { ...wanted, ...tags } })],
      wanted,
      [],
      copiesSeen(),
    );

    expect(picked).toEqual({ found: false });
  });

  it('does not reuse an image whose copy is gone or not available, and says why', async () => {
    const tagged = (imageId: string, copy: string, creationDate: string) =>
      image(imageId, { creationDate, tags: { ...wanted, [COPIES_TAG]: `eu-west-1=${copy}` } });
    const newer = tagged(
      'ami-0000000000000000b',
      'ami-00000000000000e0b',
      '2026-11-02T10:00:00.000Z',
    );
    const older = tagged(
      'ami-0000000000000000a',
      'ami-00000000000000e0a',
      '2026-11-01T10:00:00.000Z',
    );
    const looked: string[] = [];
    const seen =
      (states: Record<string, string | undefined>) =>
      async (copy: { imageId: string; region: string }) => {
        looked.push(`${copy.region} ${copy.imageId}`);
        return copiesSeen(states)(copy);
      };

    const gone = await pickTestedImage(
      [older, newer],
      wanted,
      ['eu-west-1'],
      seen({ 'ami-00000000000000e0b': undefined }),
    );
    const none = await pickTestedImage(
      [newer],
      wanted,
      ['eu-west-1'],
      seen({ 'ami-00000000000000e0b': 'deregistered' }),
    );

    // The newest whose copies are all there is taken; with none, nothing is reused.
    expect(gone).toMatchObject({ found: true, imageId: 'ami-0000000000000000a' });
    expect(looked.slice(0, 2)).toEqual([
      'eu-west-1 ami-00000000000000e0b',
      'eu-west-1 ami-00000000000000e0a',
    ]);
    expect(none).toEqual({
      found: false,
      refused: [
        'ami-0000000000000000b not reused: its copy ami-00000000000000e0b in eu-west-1 is deregistered',
      ],
    });
  });
});
