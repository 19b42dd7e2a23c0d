import { describe, expect, it } from 'vitest';
import { COPIES_TAG, COPY_OF_TAG } from '../../../layers/core/image-copies';
import { TAG } from '../../../layers/core/tags';
import type { Fleet, FleetImage } from '../../../layers/core/teardown/fleet';
import { planTeardown } from '../../../layers/core/teardown/plan';
import { DEV_SETTINGS } from './settings';

const NOW = new Date('2027-01-14T03:00:00Z');
const SETTINGS = DEV_SETTINGS;
const ours = (extra: Record<string, string> = {}) => ({
  [TAG.stack]: 'bakehouse-dev',
  [TAG.kind]: 'image',
  [TAG.name]: 'stats image',
  ...extra,
});

const image = (
  imageId: string,
  createdAt: string,
  tags: Record<string, string> = ours(),
): FleetImage => ({
  imageId,
  state: 'available',
  createdAt,
  snapshotIds: [`snap-${imageId.slice(4)}`],
  tags,
});

/** An old image copied to eu-west-1, and a newer one of the same recipe that is kept. */
function fleet(euInstances: Fleet['instances'] = []): Fleet {
  const old = image(
    'ami-0000000000000000a',
    '2026-10-01T00:00:00Z',
    ours({ [COPIES_TAG]: 'eu-west-1=ami-0000000000000000c' }),
  );
  return {
    instances: [],
    images: [old, image('ami-0000000000000000b', '2026-12-20T00:00:00Z')],
    snapshots: [],
    parameters: [],
    schedules: [],
    securityGroups: [],
    copyRegions: [
      {
        region: 'eu-west-1',
        images: [image('ami-0000000000000000c', '2026-10-01T01:00:00Z')],
        instances: euInstances,
      },
    ],
  };
}

describe('the teardown and the copies of an image', () => {
  it('deletes the copies of an image that goes, in their region, with their snapshots', () => {
    const actions = planTeardown(fleet(), NOW, new Map(), SETTINGS);

    expect(actions.filter((a) => a.kind === 'delete-image')).toEqual([
      expect.objectContaining({
        id: 'ami-0000000000000000a',
        snapshotIds: ['snap-0000000000000000a'],
      }),
      expect.objectContaining({
        id: 'ami-0000000000000000c',
        region: 'eu-west-1',
        snapshotIds: ['snap-0000000000000000c'],
        reason: expect.stringMatching(/^copy in eu-west-1 of ami-0000000000000000a, which goes/),
      }),
    ]);
  });

  it('keeps an image and its copies while an instance in the copy region uses the copy', () => {
    const seat = {
      instanceId: 'i-0000000000000000e',
      state: 'stopped',
      imageId: 'ami-0000000000000000c',
      securityGroupIds: [],
      tags: {},
    };

    const actions = planTeardown(fleet([seat]), NOW, new Map(), SETTINGS);

    expect(actions.filter((a) => a.kind === 'delete-image')).toEqual([]);
  });

  it('lets a terminated instance in the copy region keep nothing', () => {
    const gone = {
      instanceId: 'i-0000000000000000e',
      state: 'terminated',
      imageId: 'ami-0000000000000000c',
      securityGroupIds: [],
      tags: {},
    };

    const actions = planTeardown(fleet([gone]), NOW, new Map(), SETTINGS);

    expect(actions.filter((a) => a.kind === 'delete-image').map((a) => a.id)).toEqual([
      'ami-0000000000000000a',
      'ami-0000000000000000c',
    ]);
  });

  it("keeps a copy whose source exists, and never looks at another stack's copies", () => {
    const other = image(
      'ami-0000000000000000d',
      '2026-10-01T00:00:00Z',
      ours({ [TAG.stack]: 'bakehouse-prod', [COPY_OF_TAG]: 'us-east-1/ami-00000000000000gone' }),
    );
    const f = fleet();
    const copyRegion = f.copyRegions?.[0];
    copyRegion?.images.push(other);

    const actions = planTeardown(f, NOW, new Map(), { ...SETTINGS, keepImagesPerRecipe: 2 });

    expect(actions).toEqual([]);
  });
});

describe('the teardown and copies whose source is gone', () => {
  /** A copy in eu-west-1 of a source in the teardown's region (us-east-1). */
  const copy = (imageId: string, sourceId: string, state = 'available') => ({
    ...image(imageId, '2026-12-01T00:00:00Z', ours({ [COPY_OF_TAG]: `us-east-1/${sourceId}` })),
    state,
  });
  const orphans = (
    images: FleetImage[],
    instances: Fleet['instances'] = [],
    home: FleetImage[] = [image('ami-0000000000000000b', '2026-12-20T00:00:00Z')],
  ): Fleet => ({
    instances: [],
    images: home,
    snapshots: [],
    parameters: [],
    schedules: [],
    securityGroups: [],
    copyRegions: [{ region: 'eu-west-1', images, instances }],
  });

  it('deregisters a copy whose source no longer exists, in its region, with its snapshots', () => {
    const actions = planTeardown(
      orphans([copy('ami-00000000000000e01', 'ami-00000000000000gone')]),
      NOW,
      new Map(),
      SETTINGS,
    );

    expect(actions).toEqual([
      {
        kind: 'delete-image',
        id: 'ami-00000000000000e01',
        snapshotIds: ['snap-00000000000000e01'],
        region: 'eu-west-1',
        reason:
          'copy in eu-west-1 of ami-00000000000000gone (us-east-1), which no longer exists; no instance uses it',
      },
    ]);
  });

  it('keeps an orphan copy that an instance uses, one still pending, and one whose source is there', () => {
    const used = copy('ami-00000000000000e01', 'ami-00000000000000gone');
    const pending = copy('ami-00000000000000e02', 'ami-00000000000000gone', 'pending');
    const sourced = copy('ami-00000000000000e03', 'ami-0000000000000000b');
    const seat = {
      instanceId: 'i-0000000000000000e',
      state: 'stopped',
      imageId: used.imageId,
      securityGroupIds: [],
      tags: {},
    };

    const actions = planTeardown(
      orphans([used, pending, sourced], [seat]),
      NOW,
      new Map(),
      SETTINGS,
    );

    expect(actions).toEqual([]);
  });

  it('keeps a copy whose source region was not listed: nothing can be told of its source', () => {
    const elsewhere = {
      ...copy('ami-00000000000000e01', 'x'),
      tags: ours({ [COPY_OF_TAG]: 'ap-south-2/ami-00000000000000gone' }),
    };

    expect(planTeardown(orphans([elsewhere]), NOW, new Map(), SETTINGS)).toEqual([]);
  });

  it("deregisters a copy in the teardown's own region whose source, in a copy region, is gone", () => {
    const here = image(
      'ami-00000000000000h01',
      '2026-12-01T00:00:00Z',
      ours({ [COPY_OF_TAG]: 'eu-west-1/ami-00000000000000gone', [TAG.name]: 'genomics image' }),
    );

    const actions = planTeardown(orphans([], [], [here]), NOW, new Map(), SETTINGS);

    expect(actions).toEqual([
      expect.objectContaining({
        kind: 'delete-image',
        id: here.imageId,
        snapshotIds: here.snapshotIds,
      }),
    ]);
    expect(actions[0]).not.toHaveProperty('region');
  });

  it('names a copy once when retention removes it too', () => {
    // An old image of the teardown's region, past retention, and itself a copy of a gone source
    const old = image(
      'ami-00000000000000h01',
      '2026-10-01T00:00:00Z',
      ours({ [COPY_OF_TAG]: 'eu-west-1/ami-00000000000000gone' }),
    );
    const newer = image('ami-0000000000000000b', '2026-12-20T00:00:00Z');

    const actions = planTeardown(orphans([], [], [old, newer]), NOW, new Map(), SETTINGS);

    expect(actions).toEqual([
      expect.objectContaining({
        id: old.imageId,
        reason: expect.stringMatching(/^older than 30 days/),
      }),
    ]);
  });
});
