/**
 * `npm run bench`: the bake and classrooms of 40, 200 and 1000 seats on the simulated AWS, and the
 * size of every function's bundle. Prints one JSON document.
 */
import { loadRecipe } from '../local/recipe-files';
import { bundleSizes } from './bundles';
import { BENCH_SCALE, classroomRequest, debianImage, simulator, timed } from './scenarios';

const seatCounts = process.argv.slice(2).map(Number).filter(Boolean);
const sizes = seatCounts.length ? seatCounts : [40, 200, 1000];

const bakeSim = simulator();
const bake = await timed(
  bakeSim,
  'bake',
  { recipe: await loadRecipe('examples/recipes/genomics-workshop.yaml') },
  'bench-bake',
);

const classrooms: Record<string, unknown> = {};
for (const seats of sizes) {
  const sim = simulator();
  classrooms[seats] = await timed(
    sim,
    'classroom',
    { request: classroomRequest(seats, await debianImage()) },
    `bench-${seats}`,
  );
}

console.log(
  JSON.stringify(
    { scale: BENCH_SCALE, bake, classrooms, bundlesKiB: await bundleSizes() },
    null,
    2,
  ),
);
