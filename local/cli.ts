/**
 * `npm start`: a whole bake and classroom on the simulated AWS, through the real state machines
 * and handlers. No AWS account is needed or used. `npm start -- --serve [--port 8787]` serves the
 * HTTP API on it instead, as `bakehouse serve` does.
 */
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { bakeLocally } from './bake-locally';
import { classroomLocally } from './classroom-locally';
import { Recorder } from './record';
import { serveUntilStopped } from './serve';
import { startSimulation } from './simulation';

const { values } = parseArgs({
  options: {
    recipe: { type: 'string', default: 'examples/recipes/genomics-workshop.yaml' },
    seats: { type: 'string', default: '3' },
    scale: { type: 'string', default: '600' },
    outbox: { type: 'string', default: 'outbox' },
    /** Write every AWS request the functions send to this file, one JSON line each. */
    record: { type: 'string' },
    serve: { type: 'boolean', default: false },
    port: { type: 'string', default: '8787' },
  },
});

if (values.serve) await serveUntilStopped(Number(values.port));

rmSync(values.outbox, { recursive: true, force: true });
const recorder = values.record ? new Recorder().toFile(values.record) : undefined;
const sim = startSimulation(
  { scale: Number(values.scale), outboxDir: values.outbox },
  { recorder },
);

console.log('bakehouse: local run on the simulated AWS (no AWS account is used)\n');
const baked = await bakeLocally(sim, values.recipe);
if (!baked) process.exit(1);
const seated = await classroomLocally(sim, baked, Number(values.seats), values.outbox);
if (recorder)
  console.log(`\n${recorder.requests.length} AWS requests recorded in ${values.record}`);
process.exit(seated ? 0 : 1);
