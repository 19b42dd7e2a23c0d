import { runShowingProgress } from './progress';
import { loadRecipe } from './recipe-files';
import type { SimulatedAws } from './sim';

export interface BakeResult {
  imageId: string;
  imageName: string;
  recipeHash: string;
  region: string;
  jupyterPort: number;
}

/** Bakes `recipePath` on the simulator, printing each step; the bake's output, or undefined. */
export async function bakeLocally(
  sim: SimulatedAws,
  recipePath: string,
): Promise<BakeResult | undefined> {
  const recipe = await loadRecipe(recipePath);
  console.log(`Bake "${recipe.name}" from ${recipePath}`);
  const { run, summary } = await runShowingProgress(sim, 'bake', { recipe });
  if (run.status !== 'SUCCEEDED') {
    console.error(`\nThe bake failed: ${run.error}: ${run.cause}`);
    return undefined;
  }
  const output = run.output as BakeResult;
  console.log(`\nBaked ${output.imageId} (${output.imageName}): ${summary}\n`);
  return output;
}
