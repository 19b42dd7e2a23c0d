import {
  CopyImageCommand,
  type CopyImageCommandInput,
  CreateImageCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../../local/sim/kernel/clock';
import { clientsIn, failure, type Harness, harness, launch } from '../harness';

const TAGS = [
  { ResourceType: 'image' as const, Tags: [{ Key: 'bakehouse:bake', Value: 'b-1' }] },
  { ResourceType: 'snapshot' as const, Tags: [{ Key: 'bakehouse:bake', Value: 'b-1' }] },
];

/** The EC2 client of `region` on the harness's simulated account. */
const clientIn = (h: Harness, region: string) => clientsIn(h, region).ec2;

/** An available image of the account in us-east-1, from an instance with unencrypted volumes. */
async function sourceImage(h: Harness) {
  const [instance] = (await launch(h)) as [string];
  h.advance(MINUTE);
  const { ImageId } = await h.ec2.send(
    new CreateImageCommand({
      InstanceId: instance,
      Name: 'stats-abc-b-1',
      TagSpecifications: TAGS,
    }),
  );
  h.advance(2 * HOUR);
  return ImageId as string;
}

const copyInput = (sourceImageId: string, over: Partial<CopyImageCommandInput> = {}) => ({
  SourceRegion: 'us-east-1',
  SourceImageId: sourceImageId,
  Name: 'stats-abc-b-1',
  ClientToken: 'bh-copy-1',
  Encrypted: true,
  TagSpecifications: TAGS,
  ...over,
});

describe('EC2 CopyImage', () => {
  it('makes an encrypted copy in the region it is asked in, pending and then available there only', async () => {
    const h = harness();
    const source = await sourceImage(h);
    const eu = clientIn(h, 'eu-west-1');

    const { ImageId } = await eu.send(new CopyImageCommand(copyInput(source)));
    const first = (await eu.send(new DescribeImagesCommand({ ImageIds: [ImageId as string] })))
      .Images?.[0];
    h.advance(2 * HOUR);
    const later = (await eu.send(new DescribeImagesCommand({ ImageIds: [ImageId as string] })))
      .Images?.[0];
    const home = clientIn(h, 'us-east-1');
    const fromHome = await failure(
      home.send(new DescribeImagesCommand({ ImageIds: [ImageId as string] })),
    );
    const snapshots = await eu.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));

    expect(first?.State).toBe('pending');
    expect(later?.State).toBe('available');
    expect(later?.BlockDeviceMappings?.every((b) => b.Ebs?.Encrypted === true)).toBe(true);
    expect(later?.Tags).toEqual([{ Key: 'bakehouse:bake', Value: 'b-1' }]);
    expect(fromHome.name).toBe('InvalidAMIID.NotFound');
    const copied = new Set(later?.BlockDeviceMappings?.map((b) => b.Ebs?.SnapshotId));
    expect(snapshots.Snapshots?.filter((s) => copied.has(s.SnapshotId))).toHaveLength(copied.size);
    const homeSnapshots = await home.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
    expect(homeSnapshots.Snapshots?.filter((s) => copied.has(s.SnapshotId))).toEqual([]);
  });

  it('answers a repeated ClientToken with the first copy, and other parameters with IdempotentParameterMismatch', async () => {
    const h = harness();
    const source = await sourceImage(h);
    const eu = clientIn(h, 'eu-west-1');

    const first = await eu.send(new CopyImageCommand(copyInput(source)));
    const again = await eu.send(new CopyImageCommand(copyInput(source)));
    const other = await failure(
      eu.send(new CopyImageCommand(copyInput(source, { Description: 'another' }))),
    );
    const elsewhere = await clientIn(h, 'ap-southeast-2').send(
      new CopyImageCommand(copyInput(source)),
    );

    expect(again.ImageId).toBe(first.ImageId);
    expect(other.name).toBe('IdempotentParameterMismatch');
    expect(elsewhere.ImageId).not.toBe(first.ImageId);
  });

  it.each([
    ['no SourceRegion', { SourceRegion: undefined }, 'MissingParameter'],
    [
      'an unknown source image',
      { SourceImageId: 'ami-0fffffffffffffff0' },
      'InvalidAMIID.NotFound',
    ],
    ['a source region the image is not in', { SourceRegion: 'us-west-2' }, 'InvalidAMIID.NotFound'],
    [
      'a KMS key without Encrypted',
      { Encrypted: false, KmsKeyId: 'alias/x' },
      'InvalidParameterCombination',
    ],
  ])('refuses %s', async (_case, over, code) => {
    const h = harness();
    const source = await sourceImage(h);

    const error = await failure(
      clientIn(h, 'eu-west-1').send(new CopyImageCommand(copyInput(source, over))),
    );

    expect(error.name).toBe(code);
  });

  it('refuses to copy an image that is still pending', async () => {
    const h = harness();
    const [instance] = (await launch(h)) as [string];
    h.advance(MINUTE);
    const { ImageId } = await h.ec2.send(
      new CreateImageCommand({ InstanceId: instance, Name: 'stats-abc-b-2' }),
    );

    const error = await failure(
      clientIn(h, 'eu-west-1').send(new CopyImageCommand(copyInput(ImageId as string))),
    );

    expect(error.name).toBe('InvalidAMIID.Unavailable');
  });

  it('fails a copy when asked to, and deregisters a copy only from its own region', async () => {
    const h = harness({ faults: { copyFails: 1 } });
    const source = await sourceImage(h);
    const eu = clientIn(h, 'eu-west-1');
    const { ImageId } = await eu.send(new CopyImageCommand(copyInput(source)));
    h.advance(2 * HOUR);

    const state = (await eu.send(new DescribeImagesCommand({ ImageIds: [ImageId as string] })))
      .Images?.[0]?.State;
    const wrongRegion = await failure(
      clientIn(h, 'us-east-1').send(new DeregisterImageCommand({ ImageId })),
    );
    await eu.send(new DeregisterImageCommand({ ImageId }));

    expect(state).toBe('failed');
    expect(wrongRegion.name).toBe('InvalidAMIID.NotFound');
    expect(h.sim.ec2.images().find((i) => i.imageId === ImageId)?.state).toBe('deregistered');
  });
});
