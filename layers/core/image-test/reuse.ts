/**
 * Reuse: a bake whose recipe hash (which includes the compiler version) already has an available
 * image of this stack that passed its test, with its copies still available, returns that image
 * instead of baking again.
 */
import { type Copy, copiesOf } from '../image-copies';
import { TAG, type Tags } from '../tags';
import { TESTED_TAG } from './image-test';

export interface ImageSeen {
  imageId: string;
  name?: string;
  state: string;
  creationDate?: string;
  tags: Tags;
}

/** The tags a reusable image carries; the adapter filters by them, this checks them again. */
export const reusableTags = (stackName: string, recipeHash: string): Tags => ({
  [TAG.stack]: stackName,
  [TAG.recipeHash]: recipeHash,
  [TESTED_TAG]: 'true',
});

/** A copy as DescribeImages shows it in its region now; undefined: EC2 does not know it. */
export type CopySeen = { state: string } | undefined;

export type Reuse =
  | { found: true; imageId: string; imageName: string; copies: Copy[] }
  | { found: false; refused?: string[] };

/**
 * The newest available, tested image with exactly these tags, if any, whose copies tag names a
 * copy in each of `copyRegions` (a recipe with regions is reused only once its copies were made)
 * and whose copies still exist and are available there, as `describeCopy` reads each in its
 * region: the tag says what was copied, not what is left (a copy deregistered by hand, or by the
 * teardown as an orphan, stays named in it). An image whose copies are not all there is not
 * reused, and `refused` says why: the bake then bakes the recipe again, which tests and copies a
 * new image on the machine's one path. Copying the old image again would need a second way into
 * the copy states for an image of an earlier bake, whose clean-up finds what to delete by the
 * bake's own tag.
 */
export async function pickTestedImage(
  images: ImageSeen[],
  wanted: Tags,
  copyRegions: string[],
  describeCopy: (copy: Copy) => Promise<CopySeen>,
): Promise<Reuse> {
  const copiesIn = (image: ImageSeen) => {
    const copies = copiesOf(image.tags);
    const picked = copyRegions.map((region) => copies.find((c) => c.region === region));
    return picked.every((c) => c !== undefined) ? picked : undefined;
  };
  const candidates = images
    .filter((image) => image.state === 'available')
    .filter((image) => Object.entries(wanted).every(([key, value]) => image.tags[key] === value))
    .filter((image) => copiesIn(image) !== undefined)
    .sort((a, b) => (b.creationDate ?? '').localeCompare(a.creationDate ?? ''));
  const refused: string[] = [];
  for (const image of candidates) {
    const copies = copiesIn(image) ?? [];
    const missing: string[] = [];
    for (const copy of copies) {
      const seen = await describeCopy(copy);
      if (seen?.state !== 'available')
        missing.push(`${copy.imageId} in ${copy.region} is ${seen ? seen.state : 'gone'}`);
    }
    if (missing.length === 0)
      return {
        found: true,
        imageId: image.imageId,
        imageName: image.name ?? image.imageId,
        copies,
      };
    refused.push(`${image.imageId} not reused: its copy ${missing.join(', its copy ')}`);
  }
  return refused.length ? { found: false, refused } : { found: false };
}
