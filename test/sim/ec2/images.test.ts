import {
  CreateImageCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../../local/sim/kernel/clock';
import { failure, type Harness, harness, launch } from '../harness';

const IMAGE_TAGS = [
  { ResourceType: 'image' as const, Tags: [{ Key: 'bakehouse:bake', Value: 'b-1' }] },
  { ResourceType: 'snapshot' as const, Tags: [{ Key: 'bakehouse:bake', Value: 'b-1' }] },
];

async function builderImage(h: Harness, name = 'bakehouse-datasci-2026-11-02') {
  const [builder] = (await launch(h)) as [string];
  h.advance(MINUTE);
  const { ImageId } = await h.ec2.send(
    new CreateImageCommand({ InstanceId: builder, Name: name, TagSpecifications: IMAGE_TAGS }),
  );
  return { builder, imageId: ImageId as string };
}

const stateOf = async (h: Harness, imageId: string) =>
  (await h.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images?.[0]?.State;

describe('EC2 images', () => {
  it('resolves the public base-image parameters to images DescribeImages knows', async () => {
    // Prepare
    const h = harness();

    // Act
    const { Parameter } = await h.ssm.send(
      new GetParameterCommand({ Name: '/aws/service/debian/release/12/latest/arm64' }),
    );
    const images = await h.ec2.send(
      new DescribeImagesCommand({ ImageIds: [Parameter?.Value as string] }),
    );

    // Assess
    expect(images.Images?.[0]).toMatchObject({
      State: 'available',
      Architecture: 'arm64',
      OwnerId: '136693071363',
    });
  });

  it('makes an image that is pending for minutes, then available, with tagged snapshots', async () => {
    // Prepare
    const h = harness();
    const { imageId, builder } = await builderImage(h);

    // Act
    const first = await stateOf(h, imageId);
    h.advance(HOUR);
    const later = await h.ec2.send(
      new DescribeImagesCommand({
        Owners: ['self'],
        Filters: [{ Name: 'tag:bakehouse:bake', Values: ['b-1'] }],
      }),
    );
    const snapshots = await h.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));

    // Assess
    expect(first).toBe('pending');
    expect(later.Images?.map((i) => [i.ImageId, i.State, i.SourceInstanceId])).toEqual([
      [imageId, 'available', builder],
    ]);
    expect(snapshots.Snapshots?.map((s) => [s.State, s.Progress, s.Tags])).toEqual([
      ['completed', '100%', [{ Key: 'bakehouse:bake', Value: 'b-1' }]],
    ]);
    expect(h.sim.ec2.images()).toEqual([
      expect.objectContaining({ imageId, state: 'available', tags: { 'bakehouse:bake': 'b-1' } }),
    ]);
  });

  it('takes about six minutes for half the images and under an hour for all', async () => {
    // Prepare
    const h = harness({ seed: 11 });
    const builders = await launch(h, { MinCount: 40, MaxCount: 40 });
    h.advance(MINUTE);
    const ids: string[] = [];
    for (const [i, builder] of builders.entries()) {
      const { ImageId } = await h.ec2.send(
        new CreateImageCommand({ InstanceId: builder, Name: `image-${i}` }),
      );
      ids.push(ImageId as string);
    }
    const available = async () => {
      const out = await h.ec2.send(
        new DescribeImagesCommand({
          Owners: ['self'],
          Filters: [{ Name: 'state', Values: ['available'] }],
        }),
      );
      return out.Images?.length ?? 0;
    };

    // Act
    h.advance(3 * MINUTE);
    const early = await available();
    h.advance(9 * MINUTE);
    const mid = await available();
    h.advance(HOUR);
    const all = await available();

    // Assess
    expect(ids).toHaveLength(40);
    expect(early).toBeLessThan(12);
    expect(mid).toBeGreaterThan(18);
    expect(all).toBe(40);
  });

  it('ends the next image in failed under the imageFails fault, with a reason', async () => {
    // Prepare
    const h = harness({ faults: { imageFails: 1 } });
    const failed = await builderImage(h, 'first');
    const fine = await builderImage(h, 'second');

    // Act
    h.advance(2 * HOUR);
    const images = await h.ec2.send(
      new DescribeImagesCommand({ ImageIds: [failed.imageId, fine.imageId] }),
    );

    // Assess
    expect(images.Images?.map((i) => i.State)).toEqual(['failed', 'available']);
    expect(images.Images?.[0]?.StateReason?.Code).toBe('Server.InternalError');
  });

  it('refuses a second image with the same name, and malformed names', async () => {
    // Prepare
    const h = harness();
    const { builder, imageId } = await builderImage(h, 'datasci');

    // Act
    const duplicate = await failure(
      h.ec2.send(new CreateImageCommand({ InstanceId: builder, Name: 'datasci' })),
    );
    const malformed = await failure(
      h.ec2.send(new CreateImageCommand({ InstanceId: builder, Name: 'a:b' })),
    );

    // Assess
    expect(duplicate.name).toBe('InvalidAMIName.Duplicate');
    expect(duplicate.message).toBe(`AMI name datasci is already in use by AMI ${imageId}`);
    expect(malformed.name).toBe('InvalidAMIName.Malformed');
  });

  it('refuses to image a terminated instance', async () => {
    // Prepare
    const h = harness();
    const [builder] = (await launch(h)) as [string];
    await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [builder] }));
    h.advance(5 * MINUTE);

    // Act
    const error = await failure(
      h.ec2.send(new CreateImageCommand({ InstanceId: builder, Name: 'late' })),
    );

    // Assess
    expect(error.name).toBe('IncorrectInstanceState');
  });

  it('refuses to launch from a pending image', async () => {
    // Prepare
    const h = harness();
    const { imageId } = await builderImage(h);

    // Act
    const error = await failure(launch(h, { ImageId: imageId }));

    // Assess
    expect(error.name).toBe('InvalidAMIID.Unavailable');
  });

  it('keeps snapshots of a registered image from deletion, and frees them on deregistration', async () => {
    // Prepare
    const h = harness();
    const { imageId } = await builderImage(h);
    h.advance(HOUR);
    const [snapshotId] = h.sim.ec2.images()[0]?.snapshotIds ?? [];

    // Act
    const inUse = await failure(h.ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId })));
    await h.ec2.send(new DeregisterImageCommand({ ImageId: imageId }));
    await h.ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }));
    const gone = await failure(h.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] })));

    // Assess
    expect(inUse.name).toBe('InvalidSnapshot.InUse');
    expect(gone.name).toBe('InvalidAMIID.NotFound');
    expect(h.sim.ec2.snapshots()).toEqual([]);
    expect(h.sim.ec2.images()).toEqual([
      expect.objectContaining({ imageId, state: 'deregistered' }),
    ]);
  });

  it('does not let the account deregister a public base image', async () => {
    // Prepare
    const h = harness();
    const { Parameter } = await h.ssm.send(
      new GetParameterCommand({
        Name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
      }),
    );

    // Act
    const error = await failure(
      h.ec2.send(new DeregisterImageCommand({ ImageId: Parameter?.Value })),
    );

    // Assess
    expect(error.name).toBe('AuthFailure');
  });

  it('launches from a baked image once available, and counts its first boots as cold', async () => {
    // Prepare
    const h = harness();
    const { imageId } = await builderImage(h);
    h.advance(HOUR);

    // Act
    const ids = await launch(h, { ImageId: imageId, MinCount: 2, MaxCount: 2 });

    // Assess
    expect(ids).toHaveLength(2);
    expect(h.sim.ec2.instances().filter((i) => i.imageId === imageId)).toHaveLength(2);
  });
});
