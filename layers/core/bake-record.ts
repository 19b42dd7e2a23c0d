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
  /** The step that failed and its error, for a failed bake. */
  failure: z.string().max(1000).optional(),
  endedAt: z.iso.datetime(),
});
export type BakeRecord = z.infer<typeof BakeRecordSchema>;

export const parseBakeRecord = (item: unknown): BakeRecord => BakeRecordSchema.parse(item);
