import { describe, expect, it } from 'vitest';
import { BakeStatusSchema } from '../../layers/core/api/schemas';
import { imageRegions, parseBakeRecord } from '../../layers/core/bake-record';

describe('imageRegions', () => {
  it("lists the bake's own region first, then each copy, with its image id there", () => {
    const record = parseBakeRecord({
      bakeId: 'bake-1',
      state: 'baked',
      recipeName: 'stats',
      recipeHash: 'abc',
      region: 'us-east-1',
      imageId: 'ami-0123456789abcdef0',
      copies: [{ region: 'eu-west-1', imageId: 'ami-0aaaaaaaaaaaaaaaa' }],
      endedAt: '2026-12-01T10:00:00.000Z',
    });

    const regions = imageRegions(record);

    expect(regions).toEqual([
      { region: 'us-east-1', id: 'ami-0123456789abcdef0' },
      { region: 'eu-west-1', id: 'ami-0aaaaaaaaaaaaaaaa' },
    ]);
    const status = { id: 'bake-1', state: 'succeeded', phase: null, reused: false };
    expect(
      BakeStatusSchema.safeParse({
        ...status,
        image: { id: record.imageId, tested: true, regions },
      }).success,
    ).toBe(true);
  });

  it('lists nothing for a failed bake without an image', () => {
    const failed = parseBakeRecord({
      bakeId: 'bake-2',
      state: 'failed',
      recipeName: 'stats',
      recipeHash: 'abc',
      region: 'us-east-1',
      failure: 'CopyImage failed: …',
      endedAt: '2026-12-01T10:00:00.000Z',
    });
    expect(imageRegions(failed)).toEqual([]);
  });
});
