import type { Recipe } from '../layers/core/recipe/schema';
import { failureText, runShowingProgress } from './progress';
import type { SimulatedAws } from './sim';

export interface BakeResult {
  imageId: string;
  imageName: string;
  recipeHash: string;
  region: string;
  jupyterPort: number;
}

/**
 * Bakes `recipe` (read from `recipePath`) on the simulator, printing each step; the bake's
 * output, or undefined when it failed (the failing step and its cause are printed).
 */
export async function bakeLocally(
  sim: SimulatedAws,
  recipe: Recipe,
  recipePath: string,
): Promise<BakeResult | undefined> {
  console.log(`Bake "${recipe.name}" from ${recipePath}`);
  const { run, summary } = await runShowingProgress(sim, 'bake', { recipe });
  if (run.status !== 'SUCCEEDED') {
    console.error(`\nThe bake failed: ${failureText(run)}`);
    return undefined;
  }
  const output = run.output as BakeResult;
  console.log(`\nBaked ${output.imageId} (${output.imageName}): ${summary}\n`);
  return output;
}
