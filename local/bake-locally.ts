import { clock, progressLine } from './progress';
import { loadRecipe } from './recipe-files';
import { runLocal } from './runner';
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
  let started = sim.clock.now();
  const run = await runLocal(
    'bake',
    { recipe },
    {
      timeScale: sim.clock.scale,
      onEvent: (event) => {
        if (event.type === 'ExecutionStarted') started = sim.clock.now();
        const line = progressLine(event, sim.clock.now() - started);
        if (line) console.log(line);
      },
    },
  );
  const simulated = clock(sim.clock.now() - started);
  if (run.status !== 'SUCCEEDED') {
    console.error(`\nThe bake failed: ${run.error}: ${run.cause}`);
    return undefined;
  }
  const output = run.output as BakeResult;
  console.log(
    `\nBaked ${output.imageId} (${output.imageName}): ${simulated} simulated, ` +
      `${(run.wallMs / 1000).toFixed(1)} s wall, ${run.transitions} state transitions\n`,
  );
  return output;
}
