/**
 * Reuse: a bake whose recipe hash (which includes the compiler version) already has an available
 * image of this stack that passed its test returns that image instead of baking again.
 */
import { copiesOf } from '../image-copies';
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

/**
 * The newest available, tested image with exactly these tags, if any, whose copies tag names a
 * copy in each of `copyRegions` (a recipe with regions is reused only once its copies were made).
 */
export function pickTestedImage(images: ImageSeen[], wanted: Tags, copyRegions: string[] = []) {
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
  const [image] = candidates;
  return image
    ? {
        found: true,
        imageId: image.imageId,
        imageName: image.name ?? image.imageId,
        copies: copiesIn(image) ?? [],
      }
    : { found: false };
}
