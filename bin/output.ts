// What the `bakehouse` command prints: only JSON with --json, otherwise lines for a person.
import type * as z from 'zod';
import type { ClassEstimateAnswerSchema, ClassStatus } from '../layers/core/api/schemas';
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
    printStatus(body as unknown as ClassStatus, answer.status);
    return;
  }
  console.log(`Started ${body.name}`);
  console.log(`  execution ${body.executionArn}`);
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

/** A class status for a person: its state, schedule, costs and each seat. */
function printStatus(status: ClassStatus, httpStatus: number): void {
  const money = (usd: number | null) => (usd === null ? 'none' : `$${usd.toFixed(2)}`);
  const under = httpStatus === 202 ? ' (the change is under way)' : '';
  console.log(`Class ${status.id} (${status.name}): ${status.state}${under}`);
  for (const [i, s] of status.sessions.entries())
    console.log(`  session ${i + 1}: ${s.start} to ${s.end}`);
  console.log(
    `  cost so far ${money(status.costSoFarUSD)} of estimate ${money(status.estimateUSD)}, budget ${money(status.budgetUSD)}`,
  );
  for (const seat of status.seats)
    console.log(
      `  ${seat.seat} ${seat.state}${seat.student ? ` ${seat.student}` : ''}${seat.url ? ` ${seat.url}` : ''}`,
    );
}
