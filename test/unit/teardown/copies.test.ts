import { describe, expect, it } from 'vitest';
import { COPIES_TAG, regionsCopiedTo } from '../../../layers/core/image-copies';
import { TAG } from '../../../layers/core/tags';
import type { Fleet, FleetImage } from '../../../layers/core/teardown/fleet';
import { planTeardown, type TeardownSettings } from '../../../layers/core/teardown/plan';

const NOW = new Date('2027-01-14T03:00:00Z');
const SETTINGS: TeardownSettings = {
  stackName: 'bakehouse-dev',
  parameterPrefix: '/bakehouse/dev',
  schedulerRoleArn: 'arn:aws:iam::123456789012:role/bakehouse-dev-scheduler',
  keepImagesPerRecipe: 1,
  imageRetentionDays: 30,
};
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

  it("lists the regions the stack's images were copied to, not other stacks'", () => {
    const other = image('ami-0000000000000000d', '2026-10-01T00:00:00Z', {
      [TAG.stack]: 'other',
      [COPIES_TAG]: 'us-west-2=ami-0000000000000000f',
    });

    expect(regionsCopiedTo([...fleet().images, other], { [TAG.stack]: 'bakehouse-dev' })).toEqual([
      'eu-west-1',
    ]);
  });
});
