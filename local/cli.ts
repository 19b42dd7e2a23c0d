/**
 * `npm start`: a whole bake and classroom on the simulated AWS, through the real state machines
 * and handlers. No AWS account is needed or used. Exits 0 when both succeed, 1 when a run fails
 * (after printing the failing step and its cause), 2 for a bad option or recipe.
 * `npm start -- --serve [--port 8787]` serves the HTTP API on the simulated AWS instead, as
 * `bakehouse serve` does.
 */
import { rmSync } from 'node:fs';
import { describeError, NotFoundError, ValidationError } from '../layers/base/errors';
import { parseCliOptions, USAGE, UsageError } from './cli-options';
import { loadRecipe } from './recipe-files';

/** Why the command cannot start, or undefined for an error it does not know. */
function refusal(error: unknown): string | undefined {
  if (error instanceof UsageError) return `${error.message}\n\n${USAGE}`;
  if (error instanceof ValidationError) {
    return [
      'the recipe is not valid:',
      ...error.issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`),
      ...(error.omitted ? [`  …and ${error.omitted} more`] : []),
    ].join('\n');
  }
  if (error instanceof NotFoundError) return error.message;
  return undefined;
}

/** `--serve [--port N]`: the local stack's HTTP API until stopped. */
async function serve(argv: string[]): Promise<number> {
  const port =
    argv.length === 0
      ? 8787
      : argv[0] === '--port' && argv.length === 2
        ? Number(argv[1])
        : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(
      '--serve takes only --port, a port number (npm start -- --serve --port 8787)',
    );
  const { serveUntilStopped } = await import('./serve');
  return serveUntilStopped(port);
}

export async function main(argv: string[]): Promise<number> {
  let options: ReturnType<typeof parseCliOptions>;
  let recipe: Awaited<ReturnType<typeof loadRecipe>>;
  try {
    if (argv[0] === '--serve') return await serve(argv.slice(1));
    options = parseCliOptions(argv);
    recipe = await loadRecipe(options.recipe);
  } catch (error) {
    const why = refusal(error);
    if (why === undefined) throw error;
    console.error(`bakehouse: ${why}`);
    return 2;
  }

  // Loaded only once the options and recipe are known good: a refusal comes without the wait.
  const [{ bakeLocally }, { classroomLocally }, { Recorder }, { startSimulation }] =
    await Promise.all([
      import('./bake-locally'),
      import('./classroom-locally'),
      import('./record'),
      import('./simulation'),
    ]);
  rmSync(options.outbox, { recursive: true, force: true });
  const recorder = options.record ? new Recorder().toFile(options.record) : undefined;
  const sim = startSimulation(
    { clock: 'exact', scale: options.scale, outboxDir: options.outbox, faults: options.faults },
    { recorder },
  );

  console.log('bakehouse: local run on the simulated AWS (no AWS account is used)\n');
  const baked = await bakeLocally(sim, recipe, options.recipe);
  if (!baked) return 1;
  const seated = await classroomLocally(sim, baked, options.seats, options.outbox);
  if (recorder)
    console.log(`\n${recorder.requests.length} AWS requests recorded in ${options.record}`);
  return seated ? 0 : 1;
}

try {
  process.exit(await main(process.argv.slice(2)));
} catch (error) {
  console.error(`bakehouse: the local run stopped on an unexpected error: ${describeError(error)}`);
  if (error instanceof Error && error.stack) console.error(error.stack);
  process.exit(1);
}
