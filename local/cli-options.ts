/**
 * The options of `npm start`, checked before anything runs: a bad one is a UsageError with a
 * message that names it, and the command exits 2 without starting the simulator.
 */
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { issuesOf } from '../layers/base/validate';
import { MAX_SEATS } from '../layers/core/classroom/request/classroom-request';
import { type Faults, FaultsSchema } from './sim/kernel/options';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `usage: npm start -- [--recipe FILE|DIR] [--seats 1–${MAX_SEATS}] [--scale N] [--outbox DIR] [--record FILE] [--faults JSON]
       npm start -- --serve [--port 8787]   the HTTP API on the simulated AWS, as bakehouse serve
  --recipe  a recipe YAML file or a repo2docker directory (default examples/recipes/genomics-workshop.yaml)
  --seats   students in the classroom (default 3)
  --scale   simulated seconds per wall second (default 600)
  --outbox  where the emails and the roster are written (default outbox)
  --record  write every AWS request the functions send to this file, one JSON line each
  --faults  faults for the simulator to inject, as JSON, e.g. '{"commandFails":{}}' fails the build script`;

export interface CliOptions {
  recipe: string;
  seats: number;
  scale: number;
  outbox: string;
  record?: string | undefined;
  faults: Faults;
}

const whole = (text: string) => (/^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN);

const OptionsSchema = z.object({
  recipe: z.string().min(1, 'must name a recipe file or directory'),
  seats: z
    .string()
    .transform(whole)
    .pipe(
      z
        .number({ error: 'must be a number' })
        .int('must be a whole number')
        .min(1, 'must be at least 1: a classroom needs a seat')
        .max(MAX_SEATS, `must be at most ${MAX_SEATS}`),
    ),
  scale: z
    .string()
    .transform(whole)
    .pipe(z.number({ error: 'must be a number' }).positive('must be more than 0').max(1_000_000)),
  outbox: z.string().min(1, 'must name a directory'),
  record: z.string().min(1, 'must name a file').optional(),
  faults: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON, e.g. {"commandFails":{}}' });
        return z.NEVER;
      }
    })
    .pipe(FaultsSchema),
});

/** `argv` (without node and the script) as checked options, or a UsageError naming the bad one. */
export function parseCliOptions(argv: string[]): CliOptions {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        recipe: { type: 'string', default: 'examples/recipes/genomics-workshop.yaml' },
        seats: { type: 'string', default: '3' },
        scale: { type: 'string', default: '600' },
        outbox: { type: 'string', default: 'outbox' },
        record: { type: 'string' },
        faults: { type: 'string', default: '{}' },
      },
    }).values as Record<string, string | undefined>;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const parsed = OptionsSchema.safeParse(values);
  if (!parsed.success) {
    const problems = issuesOf(parsed.error).map((issue) => `--${issue.path}: ${issue.message}`);
    throw new UsageError(problems.join('\n'));
  }
  return parsed.data;
}
