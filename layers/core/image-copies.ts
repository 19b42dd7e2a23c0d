/**
 * Copies of a tested image in the recipe's other regions: how a poll of the copies reads, the tag
 * on the source image that names every copy (how a reused image and the teardown find them), the
 * tag on each copy that names its source (how the teardown tells a copy whose source is gone), and
 * which image a region uses. What each CopyImage asks for is in bake.ts (`copyRequests`). Pure.
 */
import * as z from 'zod';
import { ImageFailedError } from '../base/errors';
import type { Tags } from './tags';

/** On the source image: `<region>=<image id>` of each copy, comma-separated (≤ 256 chars). */
export const COPIES_TAG = 'bakehouse:copies';
const TAG_VALUE_MAX = 256;

/** On each copy, from its creation: `<source region>/<source image id>`. */
export const COPY_OF_TAG = 'bakehouse:copy-of';

export const copyOfTagValue = (source: Copy) => `${source.region}/${source.imageId}`;

/** The source a copy's tags name; undefined on an image that is not a copy (or a malformed tag). */
export function sourceOf(tags: Tags): Copy | undefined {
  const [region, imageId, ...rest] = (tags[COPY_OF_TAG] ?? '').split('/');
  return region && imageId && rest.length === 0 ? { region, imageId } : undefined;
}

/** Regions a tested image is copied to, at most: every copy's entry fits the copies tag. */
export const MAX_COPY_REGIONS = 5;

export const CopySchema = z.object({ region: z.string().min(1), imageId: z.string().min(1) });
export type Copy = z.infer<typeof CopySchema>;

const FAILED = new Set(['failed', 'error', 'invalid', 'deregistered']);

/**
 * Checks during which a copy DescribeImages does not know yet counts as pending: a new AMI id can
 * be unknown to DescribeImages for a while after CopyImage answered it (EC2 is eventually
 * consistent), not for many minutes.
 */
export const UNSEEN_COPY_CHECKS = 3;

/**
 * Where the copies stand after one look at each. A copy that failed, or is still unknown after
 * UNSEEN_COPY_CHECKS checks, throws ImageFailedError naming its region; all available is `done`.
 */
export function copiesProgress(
  seen: { copy: Copy; image: { state: string; reason?: string } | undefined }[],
  checks: number,
) {
  for (const { copy, image } of seen) {
    if (!image && checks < UNSEEN_COPY_CHECKS) continue;
    if (!image)
      throw new ImageFailedError(
        `the copy ${copy.imageId} in ${copy.region} is unknown to DescribeImages`,
      );
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
