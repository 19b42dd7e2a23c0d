/**
 * `npm run bench`: the bake and classrooms of 40, 200 and 1000 seats on the simulated AWS, and the
 * size of every function's bundle. Prints one JSON document.
 */
import { parseArgs } from 'node:util';
import { loadRecipe } from '../local/recipe-files';
import { Recorder } from '../local/record';
import { bundleSizes } from './bundles';
import { BENCH_SCALE, classroomRequest, debianImage, simulator, timed } from './scenarios';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    /** Write every AWS request the functions send to this file, one JSON line each. */
    record: { type: 'string' },
  },
});
const seatCounts = positionals.map(Number).filter(Boolean);
const sizes = seatCounts.length ? seatCounts : [40, 200, 1000];
const recorder = values.record ? new Recorder().toFile(values.record) : undefined;

const bakeSim = simulator({}, recorder);
const bake = await timed(
  bakeSim,
  'bake',
  { recipe: await loadRecipe('examples/recipes/genomics-workshop.yaml') },
  'bench-bake',
);

const classrooms: Record<string, unknown> = {};
for (const seats of sizes) {
  const sim = simulator({}, recorder);
  classrooms[seats] = await timed(
    sim,
    'classroom',
    { request: classroomRequest(seats, await debianImage(), sim.clock.now()) },
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
