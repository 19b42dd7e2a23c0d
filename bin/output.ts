// What the `bakehouse` command prints: only JSON with --json, otherwise lines for a person.
import type * as z from 'zod';
import type {
  BakeListSchema,
  BakeStatus,
  ClassEstimateAnswerSchema,
  ClassListSchema,
  ClassStatus,
  TeardownReportSchema,
} from '../layers/core/api/schemas';
import { describeEstimate } from '../layers/core/cost/estimate';
import type { CompiledRecipe } from '../layers/core/recipe/compile';
import type { Recipe } from '../layers/core/recipe/schema';
import type { ApiAnswer } from './api-client';

type Issues = { issues?: { path: string; message: string }[]; error?: string; message?: string };

export function printError(json: boolean, message: string, body?: unknown): void {
  if (json) {
    console.log(JSON.stringify(body ?? { error: 'Error', message }));
    return;
  }
  console.error(`bakehouse: ${message}`);
  for (const issue of (body as Issues | undefined)?.issues ?? [])
    console.error(`  ${issue.path || '(root)'}: ${issue.message}`);
}

export function printAnswer(json: boolean, method: string, path: string, answer: ApiAnswer): void {
  if (json) {
    console.log(JSON.stringify(answer.body));
    return;
  }
  const body = answer.body as Record<string, unknown>;
  if (answer.status >= 400) {
    const e = body as Issues;
    const text = e.issues?.length
      ? `${e.error}, ${e.issues.length} bad field${e.issues.length === 1 ? '' : 's'}:`
      : e.error
        ? `${e.error}: ${e.message}`
        : (e.message ?? JSON.stringify(body));
    printError(false, `${method} ${path} answered ${answer.status}: ${text}`, body);
    return;
  }
  const print = PRINTERS[`${answer.status} ${method} ${path}`];
  if (print) {
    print(body as never);
    return;
  }
  if (answer.status === 200 && 'url' in body && 'expiresAt' in body) {
    console.log(`Class page (the link works until ${body.expiresAt}; keep it to yourself):`);
    console.log(`  ${body.url}`);
    return;
  }
  if (answer.status === 200 && 'estimate' in body) {
    const { estimate, plan } = body as z.infer<typeof ClassEstimateAnswerSchema>;
    console.log(`Estimate: ${describeEstimate(estimate)}`);
    console.log(
      `Plan: ${plan.seats} seats (${plan.students} named students), ${plan.startsAt} to ${plan.endsAt}`,
    );
    console.log(
      `  ${plan.batches} batch${plan.batches === 1 ? '' : 'es'} of up to ${plan.largestBatch}, ${plan.waves} wave${plan.waves === 1 ? '' : 's'}`,
    );
    console.log(
      `  launch on: ${plan.placements.map((p) => `${p.instanceType} ${p.market}${p.subnetId ? ` in ${p.subnetId}` : ''}`).join(', then ')}`,
    );
    for (const assumption of estimate.assumptions) console.log(`  - ${assumption}`);
    return;
  }
  if ('seats' in body && 'state' in body) {
    printClass(body as unknown as ClassStatus, answer.status);
    return;
  }
  console.log(`Started ${body.id}`);
}

export function printRecipe(
  json: boolean,
  recipe: Recipe,
  compiled: CompiledRecipe,
  script: boolean,
): void {
  if (json) {
    console.log(
      JSON.stringify({
        name: recipe.name,
        recipeHash: compiled.recipeHash,
        recipe,
        ...(script ? { script: compiled.script } : {}),
      }),
    );
    return;
  }
  if (script) {
    process.stdout.write(compiled.script.endsWith('\n') ? compiled.script : `${compiled.script}\n`);
    return;
  }
  console.log(`Recipe ${recipe.name} is valid (hash ${compiled.recipeHash}).`);
}

const money = (usd: number | null) => (usd === null ? 'none' : `$${usd.toFixed(2)}`);

function printBake(s: BakeStatus): void {
  console.log(
    `Bake ${s.id}: ${s.state}${s.phase ? `, ${s.phase}` : ''} (${Math.round(s.progress * 100)}%)`,
  );
  if (s.image)
    console.log(
      `  image ${s.image.id}${s.image.tested ? ', tested' : ''}${s.reused ? ', reused' : ''} in ${s.image.regions.map((r) => (r.id === s.image?.id ? r.region : `${r.region} (${r.id})`)).join(', ')}`,
    );
  if (s.failure) console.log(`  failed: ${s.failure}`);
  if (s.outputTail) {
    console.log('  output (tail):');
    for (const line of s.outputTail.trimEnd().split('\n').slice(-10)) console.log(`    ${line}`);
  }
}

/** A class status for a person: its state, schedule, costs and each seat. */
function printClass(s: ClassStatus, httpStatus = 200): void {
  const under = httpStatus === 202 ? ' (the change is under way)' : '';
  console.log(`Class ${s.id} (${s.name}): ${s.state}${under}`);
  for (const session of s.sessions) console.log(`  session ${session.start} to ${session.end}`);
  if (s.failure) console.log(`  failed: ${s.failure}`);
  if (s.next) console.log(`  next: ${s.next.step} at ${s.next.at}`);
  console.log(
    `  cost so far ${money(s.costSoFarUSD)} of an estimated ${money(s.estimateUSD)}, budget ${money(s.budgetUSD)}`,
  );
  for (const seat of s.seats)
    console.log(
      `  ${seat.seat}  ${(seat.student ?? '(no student)').padEnd(18)} ${seat.state.padEnd(10)} ${seat.url ?? ''}`,
    );
}

function printReport(r: z.infer<typeof TeardownReportSchema>): void {
  console.log(
    `Teardown of ${r.stackName} at ${r.at}${r.dryRun ? ' (dry run: nothing was changed)' : ''}: ${r.done.length} done, ${r.wouldDo.length} would do, ${r.couldNot.length} could not`,
  );
  const rows: [string, typeof r.done][] = [
    ['done', r.done],
    ['would', r.wouldDo],
    ['could not', r.couldNot],
  ];
  for (const [label, entries] of rows)
    for (const e of entries)
      console.log(`  ${label}: ${e.kind} ${e.id} (${e.reason})${e.error ? `: ${e.error}` : ''}`);
}

const PRINTERS: Record<string, (body: never) => void> = {
  '200 GET /bakes': ({ bakes }: z.infer<typeof BakeListSchema>) => {
    if (!bakes.length) console.log('No bakes.');
    for (const b of bakes)
      console.log(
        `${b.id}  ${b.state.padEnd(9)} ${b.startedAt}${b.endedAt ? ` to ${b.endedAt}` : ''}`,
      );
  },
  '200 GET /bakes/{id}': printBake,
  '200 GET /classrooms': ({ classrooms }: z.infer<typeof ClassListSchema>) => {
    if (!classrooms.length) console.log('No classes.');
    for (const c of classrooms)
      console.log(
        `${c.id}  ${c.name.padEnd(18)} ${c.state.padEnd(9)} ${c.startsAt} to ${c.endsAt}`,
      );
  },
  '200 GET /classrooms/{id}': printClass,
  '200 POST /teardown': printReport,
  '202 POST /teardown': ({ name, at }: { name: string; at: string }) =>
    console.log(`The teardown runs at ${at} (schedule ${name}); its report goes to the operator.`),
};

/** What `local advance` answers: the simulated time reached and what ran on the way. */
export function printAdvanced(json: boolean, answer: ApiAnswer): void {
  if (json || answer.status !== 200) {
    if (answer.status !== 200 && !json) {
      const e = answer.body as Issues;
      printError(false, `local advance answered ${answer.status}: ${e.message ?? ''}`, e);
      return;
    }
    console.log(JSON.stringify(answer.body));
    return;
  }
  const { now, ran } = answer.body as {
    now: string;
    ran: { name: string; machine: string; status: string; step?: string }[];
  };
  console.log(`Simulated time is now ${now}.`);
  if (!ran.length) console.log('Nothing was due.');
  for (const r of ran)
    console.log(`  ${r.name}: ${r.machine}${r.step ? ` ${r.step}` : ''} ${r.status}`);
}
