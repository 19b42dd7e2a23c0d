import { describe, expect, it } from 'vitest';
import { ImageFailedError } from '../../layers/base/errors';
import { copyRequests, planBake } from '../../layers/core/bake';
import {
  COPIES_TAG,
  COPY_OF_TAG,
  copiesOf,
  copiesProgress,
  copiesTagValue,
  imageIn,
  MAX_COPY_REGIONS,
  sourceOf,
  UNSEEN_COPY_CHECKS,
} from '../../layers/core/image-copies';
import { compileRecipe } from '../../layers/core/recipe/compile';
import { parseRecipe } from '../../layers/core/recipe/schema';
import { TAG } from '../../layers/core/tags';

const recipe = parseRecipe({
  name: 'stats-workshop',
  baseImage: '/aws/service/debian/release/12/latest/amd64',
  regions: ['eu-west-1', 'ap-southeast-2'],
});
const bake = planBake(recipe, compileRecipe(recipe).recipeHash, 'bake-1');
const context = { executionId: 'arn:aws:states:us-east-1:1:execution:bake:bake-1', stackName: 's' };

describe('copyRequests', () => {
  it('asks for one copy per region from the bake region, tagged like the image', () => {
    const requests = copyRequests(bake, 'ami-0123456789abcdef0', context);

    expect(requests.map((r) => [r.region, r.sourceRegion, r.sourceImageId])).toEqual([
      ['eu-west-1', 'us-east-1', 'ami-0123456789abcdef0'],
      ['ap-southeast-2', 'us-east-1', 'ami-0123456789abcdef0'],
    ]);
    expect(requests[0]?.tags).toMatchObject({
      [TAG.bake]: 'bake-1',
      [TAG.kind]: 'image',
      [COPY_OF_TAG]: 'us-east-1/ami-0123456789abcdef0',
    });
    expect(sourceOf(requests[1]?.tags ?? {})).toEqual({
      region: 'us-east-1',
      imageId: 'ami-0123456789abcdef0',
    });
    expect(sourceOf({ [COPY_OF_TAG]: 'us-east-1' })).toBeUndefined();
    expect(sourceOf({})).toBeUndefined();
  });

  it('gives each region its own ClientToken, the same on every retry of the execution', () => {
    const [eu, ap] = copyRequests(bake, 'ami-0123456789abcdef0', context);
    const [again] = copyRequests(bake, 'ami-0123456789abcdef0', context);
    const [otherRun] = copyRequests(bake, 'ami-0123456789abcdef0', {
      ...context,
      executionId: `${context.executionId}-2`,
    });

    expect(eu?.clientToken).toBe(again?.clientToken);
    expect(eu?.clientToken).not.toBe(ap?.clientToken);
    expect(eu?.clientToken).not.toBe(otherRun?.clientToken);
    expect(eu?.clientToken.length).toBeLessThanOrEqual(64);
  });

  it('asks for nothing when the recipe names no regions', () => {
    const alone = parseRecipe({ name: 'a-b', baseImage: 'ami-0123456789abcdef0' });
    expect(copyRequests(planBake(alone, 'h', 'bake-2'), 'ami-0123456789abcdef0', context)).toEqual(
      [],
    );
  });
});

describe('copiesProgress', () => {
  const eu = { region: 'eu-west-1', imageId: 'ami-0aaaaaaaaaaaaaaaa' };
  const ap = { region: 'ap-southeast-2', imageId: 'ami-0bbbbbbbbbbbbbbbb' };

  it('is done once every copy is available, and names the regions still pending', () => {
    expect(
      copiesProgress(
        [
          { copy: eu, image: { state: 'available' } },
          { copy: ap, image: { state: 'pending' } },
        ],
        3,
      ),
    ).toEqual({ images: [eu, ap], done: false, pending: ['ap-southeast-2'], checks: 4 });
    expect(copiesProgress([{ copy: eu, image: { state: 'available' } }], 4)).toMatchObject({
      done: true,
      pending: [],
    });
  });

  it('fails naming the region of a copy that failed, with its reason', () => {
    expect(() =>
      copiesProgress([{ copy: ap, image: { state: 'failed', reason: 'snapshot error' } }], 0),
    ).toThrow(
      new ImageFailedError(
        'the copy ami-0bbbbbbbbbbbbbbbb in ap-southeast-2 is failed: snapshot error',
      ),
    );
    expect(() => copiesProgress([{ copy: eu, image: undefined }], UNSEEN_COPY_CHECKS)).toThrow(
      /in eu-west-1 is unknown to DescribeImages/,
    );
  });

  it('counts a copy DescribeImages does not know yet as pending for its first checks', () => {
    expect(copiesProgress([{ copy: eu, image: undefined }], 0)).toMatchObject({
      done: false,
      pending: ['eu-west-1'],
    });
  });
});

describe('the copies tag', () => {
  it('reads back what it wrote', () => {
    const copies = [
      { region: 'eu-west-1', imageId: 'ami-0aaaaaaaaaaaaaaaa' },
      { region: 'ap-southeast-2', imageId: 'ami-0bbbbbbbbbbbbbbbb' },
    ];
    expect(copiesOf({ [COPIES_TAG]: copiesTagValue(copies) })).toEqual(copies);
    expect(copiesOf({})).toEqual([]);
    expect(copiesOf({ [COPIES_TAG]: 'eu-west-1,=ami-1,a=b=c' })).toEqual([]);
  });

  it('holds the most regions a recipe may name, at the longest region name it accepts', () => {
    const copies = Array.from({ length: MAX_COPY_REGIONS }, (_, i) => ({
      region: `ap-southeastern-${i}`.padEnd(20, 'x').slice(0, 20),
      imageId: 'ami-0123456789abcdef0',
    }));
    expect(copiesTagValue(copies).length).toBeLessThanOrEqual(256);
  });
});

describe('imageIn', () => {
  const baked = {
    imageId: 'ami-0123456789abcdef0',
    region: 'us-east-1',
    copies: [{ region: 'eu-west-1', imageId: 'ami-0aaaaaaaaaaaaaaaa' }],
  };

  it('is the image in its own region, the copy in a copied one, nothing elsewhere', () => {
    expect(imageIn(baked, 'us-east-1')).toBe('ami-0123456789abcdef0');
    expect(imageIn(baked, 'eu-west-1')).toBe('ami-0aaaaaaaaaaaaaaaa');
    expect(imageIn(baked, 'us-west-2')).toBeUndefined();
  });
});
