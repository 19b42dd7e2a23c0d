// EC2 adapter for copies of an image in other regions: CopyImage, sent to the destination, and
// the regions of the account a copy may be in.
import { CopyImageCommand, DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import type { CopyRequest } from '../core/bake';
import { ec2Client } from './clients';
import { tagList } from './ec2-tags';

/**
 * CopyImage in `request.region` (the destination: the call is made there) from the source
 * region, always encrypted: every snapshot of the copy is encrypted with the destination's
 * default EBS key, whether the source's were or not. The copy and its snapshots are tagged at
 * creation. The ClientToken makes a retry answer the first copy instead of making a second.
 */
export async function copyImage(request: CopyRequest): Promise<string> {
  const output = await ec2Client(request.region).send(
    new CopyImageCommand({
      SourceRegion: request.sourceRegion,
      SourceImageId: request.sourceImageId,
      Name: request.name,
      Description: request.description,
      ClientToken: request.clientToken,
      Encrypted: true,
      TagSpecifications: [
        { ResourceType: 'image', Tags: tagList(request.tags) },
        { ResourceType: 'snapshot', Tags: tagList(request.tags) },
      ],
    }),
  );
  if (!output.ImageId) throw new Error(`CopyImage to ${request.region} answered no ImageId`);
  return output.ImageId;
}

/** The regions enabled for the account (DescribeRegions without AllRegions), sorted. */
export async function enabledRegions(region: string): Promise<string[]> {
  const output = await ec2Client(region).send(new DescribeRegionsCommand({}));
  return (output.Regions ?? []).flatMap((r) => (r.RegionName ? [r.RegionName] : [])).sort();
}
