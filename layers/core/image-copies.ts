/**
 * Copies of a tested image in the recipe's other regions: what each CopyImage asks for, how a
 * poll of the copies reads, and the tag on the source image that names every copy (how a reused
 * image and the teardown find them). Pure: the handlers feed it what the adapters saw.
 */
import { z } from 'zod';
import { ImageFailedError } from '../base/errors';
import { type Bake, bakeImageName, bakeTags } from './bake';
import { idempotencyToken, type Tags } from './tags';

/** On the source image: `<region>=<image id>` of each copy, comma-separated (≤ 256 chars). */
export const COPIES_TAG = 'bakehouse:copies';
const TAG_VALUE_MAX = 256;

export const CopySchema = z.object({ region: z.string().min(1), imageId: z.string().min(1) });
export type Copy = z.infer<typeof CopySchema>;

export interface CopyRequest {
  /** The destination: CopyImage is sent to this region's endpoint. */
  region: string;
  sourceRegion: string;
  sourceImageId: string;
  name: string;
  description: string;
  /** One per bake and destination: a retried copy answers the first one's image. */
  clientToken: string;
  tags: Tags;
}

/** One CopyImage per region: encrypted (the adapter insists), tagged like the image itself. */
export function copyRequests(
  bake: Bake,
  sourceImageId: string,
  context: { executionId: string; stackName: string },
): CopyRequest[] {
  return bake.copyRegions.map((region) => ({
    region,
    sourceRegion: bake.region,
    sourceImageId,
    name: bakeImageName(bake),
    description: `bakehouse ${bake.recipe.name} (recipe ${bake.recipeHash}), copy of ${sourceImageId} from ${bake.region}`,
    clientToken: idempotencyToken('copy', context.executionId, region),
    tags: bakeTags(bake, context.stackName, 'image'),
  }));
}

const FAILED = new Set(['failed', 'error', 'invalid', 'deregistered']);

/**
 * Where the copies stand after one look at each. A copy that failed, or is gone, throws
 * ImageFailedError naming its region; all of them available is `done`.
 */
export function copiesProgress(
  seen: { copy: Copy; image: { state: string; reason?: string } | undefined }[],
  checks: number,
) {
  for (const { copy, image } of seen) {
    if (!image)
      throw new ImageFailedError(`the copy ${copy.imageId} in ${copy.region} disappeared`);
    if (FAILED.has(image.state))
      throw new ImageFailedError(
        `the copy ${copy.imageId} in ${copy.region} is ${image.state}${image.reason ? `: ${image.reason}` : ''}`,
      );
  }
  const pending = seen.filter((s) => s.image?.state !== 'available').map((s) => s.copy.region);
  return {
    images: seen.map((s) => s.copy),
    done: pending.length === 0,
    pending,
    checks: checks + 1,
  };
}

/** The copies tag's value; refuses what would not fit a tag (the recipe bounds the count). */
export function copiesTagValue(copies: readonly Copy[]): string {
  const value = copies.map((c) => `${c.region}=${c.imageId}`).join(',');
  if (value.length > TAG_VALUE_MAX)
    throw new RangeError(`${copies.length} copies do not fit the ${COPIES_TAG} tag`);
  return value;
}

/** The copies an image's tags name; none without the tag, and malformed entries are skipped. */
export function copiesOf(tags: Tags): Copy[] {
  const value = tags[COPIES_TAG];
  if (!value) return [];
  return value.split(',').flatMap((entry) => {
    const [region, imageId, ...rest] = entry.split('=');
    return region && imageId && rest.length === 0 ? [{ region, imageId }] : [];
  });
}

/** The image in `region`: the source there, a copy elsewhere, or undefined where there is none. */
export function imageIn(
  image: { imageId: string; region?: string; copies?: readonly Copy[] },
  region: string,
): string | undefined {
  if (image.region === undefined || image.region === region) return image.imageId;
  return image.copies?.find((c) => c.region === region)?.imageId;
}
