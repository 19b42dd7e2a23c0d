/**
 * Reuse: a bake whose recipe hash (which includes the compiler version) already has an available
 * image of this stack that passed its test returns that image instead of baking again.
 */
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

/** The newest available, tested image with exactly these tags, if any. */
export function pickTestedImage(images: ImageSeen[], wanted: Tags) {
  const candidates = images
    .filter((image) => image.state === 'available')
    .filter((image) => Object.entries(wanted).every(([key, value]) => image.tags[key] === value))
    .sort((a, b) => (b.creationDate ?? '').localeCompare(a.creationDate ?? ''));
  const [image] = candidates;
  return image
    ? { found: true, imageId: image.imageId, imageName: image.name ?? image.imageId }
    : { found: false };
}
