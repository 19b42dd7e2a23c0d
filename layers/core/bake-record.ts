// The bake record: what the class store keeps of a bake once it has ended, baked or failed.
import * as z from 'zod';

export const BakeRecordSchema = z.object({
  bakeId: z.string().min(1),
  state: z.enum(['baked', 'failed']),
  recipeName: z.string().min(1),
  recipeHash: z.string().min(1),
  region: z.string(),
  imageId: z.string().optional(),
  imageName: z.string().optional(),
  /** The image's available copies in the recipe's other regions, for a baked bake. */
  copies: z.array(z.object({ region: z.string(), imageId: z.string() })).optional(),
  /** The step that failed and its error, for a failed bake. */
  failure: z.string().max(1000).optional(),
  endedAt: z.iso.datetime(),
});
export type BakeRecord = z.infer<typeof BakeRecordSchema>;

export const parseBakeRecord = (item: unknown): BakeRecord => BakeRecordSchema.parse(item);

/**
 * Each region the baked image can be used in, with its id there: its own region first, then
 * the copies (the bake status's `image.regions`). None for a bake without an image.
 */
export function imageRegions(record: BakeRecord): { region: string; id: string }[] {
  if (!record.imageId) return [];
  return [
    { region: record.region, id: record.imageId },
    ...(record.copies ?? []).map((c) => ({ region: c.region, id: c.imageId })),
  ];
}
