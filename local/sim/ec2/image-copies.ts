/**
 * CopyImage: a copy of an available image of the account, made in the region of the client that
 * asks (the destination), pending for a while and then available (or failed), with new snapshots.
 * Like AWS: SourceRegion, SourceImageId and Name are required; an unknown or unavailable source is
 * refused (a pending one with InvalidAMIID.Unavailable, as EC2 answers image operations on a
 * pending AMI); `Encrypted` encrypts every snapshot of the copy (unencrypted sources included) with the
 * region's default EBS key unless KmsKeyId names another; a ClientToken repeated with the same
 * parameters answers the first copy, with other parameters IdempotentParameterMismatch.
 */
import type { CopyImageRequest, CopyImageResult } from '@aws-sdk/client-ec2';
import { MINUTE } from '../kernel/clock';
import { ec2Fault } from '../kernel/errors';
import { operation } from '../kernel/transport';
import type { Ec2Context } from './context';
import { required, tagsFor } from './filters';
import { AMI_NAME, findImage, imageState } from './images';
import { canonical, checkClientToken } from './launch-checks';
import type { SimSnapshot } from './model';

const TAGGABLE = ['image', 'snapshot'];

export function imageCopyOperations(ctx: Ec2Context) {
  const { world } = ctx;
  /** `<region> <token>` → the copy it made and the parameters it was made with. */
  const byToken = new Map<string, { fingerprint: string; imageId: string }>();

  return {
    CopyImage: operation((input: CopyImageRequest, call): CopyImageResult => {
      const now = world.now();
      const region = call.region ?? world.region;
      checkClientToken(input.ClientToken);
      const { ClientToken: token, DryRun: _dryRun, ...asked } = input;
      const key = token === undefined ? undefined : `${region} ${token}`;
      const earlier = key === undefined ? undefined : byToken.get(key);
      if (earlier) {
        if (earlier.fingerprint !== canonical(asked))
          throw ec2Fault(
            'IdempotentParameterMismatch',
            'Arguments on this idempotent request are inconsistent with arguments used in previous request(s).',
          );
        return { ImageId: earlier.imageId };
      }
      const sourceRegion = required(input.SourceRegion, 'SourceRegion');
      const name = required(input.Name, 'Name');
      const source = findImage(world, required(input.SourceImageId, 'SourceImageId'), sourceRegion);
      if (source.region === undefined && sourceRegion !== world.region)
        throw ec2Fault(
          'InvalidAMIID.NotFound',
          `The image id '[${source.imageId}]' does not exist in ${sourceRegion}`,
        );
      if (imageState(source, now) !== 'available')
        throw ec2Fault(
          'InvalidAMIID.Unavailable',
          `The AMI ID '${source.imageId}' is currently ${imageState(source, now)} and may not be used for this operation`,
        );
      if (!AMI_NAME.test(name))
        throw ec2Fault(
          'InvalidAMIName.Malformed',
          "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'",
        );
      const clash = [...world.images.values()].find(
        (i) =>
          i.name === name && i.ownerId === world.account && (i.region ?? world.region) === region,
      );
      if (clash)
        throw ec2Fault(
          'InvalidAMIName.Duplicate',
          `AMI name ${name} is already in use by AMI ${clash.imageId}`,
        );
      if (input.KmsKeyId !== undefined && !input.Encrypted)
        throw ec2Fault(
          'InvalidParameterCombination',
          'KmsKeyId may only be specified together with Encrypted set to true',
        );
      const imageTags = tagsFor(input.TagSpecifications, 'image', TAGGABLE);
      const snapshotTags = tagsFor(input.TagSpecifications, 'snapshot', TAGGABLE);
      if (input.CopyImageTags)
        for (const [k, v] of source.tags) if (!imageTags.has(k)) imageTags.set(k, v);
      const imageId = world.newId('ami');
      const readyAt = now + world.random.latency(10 * MINUTE, 30 * MINUTE, 90 * MINUTE);
      const failed = ctx.faults.takeCopyFailure();
      const devices = source.devices.map((device) => {
        const snapshot: SimSnapshot = {
          snapshotId: world.newId('snap'),
          volumeId: 'vol-ffffffff',
          sizeGb: device.sizeGb,
          encrypted: device.encrypted || input.Encrypted === true,
          description: `Copied for DestinationAmi ${imageId} from SourceAmi ${source.imageId} for SourceSnapshot ${device.snapshotId}`,
          startedAt: now,
          readyAt,
          outcome: failed ? 'error' : 'completed',
          tags: new Map(snapshotTags),
          region,
        };
        world.snapshots.set(snapshot.snapshotId, snapshot);
        return { ...device, snapshotId: snapshot.snapshotId, encrypted: snapshot.encrypted };
      });
      world.images.set(imageId, {
        ...source,
        imageId,
        name,
        description: input.Description,
        ownerId: world.account,
        ownerAlias: undefined,
        createdAt: now,
        readyAt,
        outcome: failed ? 'failed' : 'available',
        tags: imageTags,
        devices,
        isPublic: false,
        booted: false,
        sourceInstanceId: undefined,
        region,
      });
      if (key !== undefined) byToken.set(key, { fingerprint: canonical(asked), imageId });
      world.events.record(
        'EC2',
        `image ${imageId} (${name}) pending in ${region}, copied from ${source.imageId}`,
      );
      return { ImageId: imageId };
    }),
  };
}
