/**
 * The nastiest inputs found so far, kept as ordinary tests: every counterexample fast-check found
 * (`foundBy`) and a hand-picked set, with the answer each must get.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseClassroomRequest } from '../../layers/core/classroom/request/classroom-request';
import { compileRecipe } from '../../layers/core/recipe/compile';
import { parseRecipe } from '../../layers/core/recipe/schema';
import { expectTruthfulAnswer, type Post, post, type Route, resetApi } from './api-support';
import { LARGE_CASES } from './corpus/large';
import { outcomeOf } from './support';

interface ParseCase {
  case: string;
  input: unknown;
  accepted?: true;
  rejectedAt?: string[];
}

interface ApiCase {
  case: string;
  route: Route;
  body?: string | null;
  bodyBase64?: string;
  contentType: string | null;
  headerName?: string;
  status: number;
  paths?: string[];
}

/** JSON.parse, not import: `__proto__` keys stay own properties, as in a request body. */
const corpus = <T>(name: string): T[] =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'corpus', name), 'utf8'));

const paths = (issues: { path: string }[]) => [
  ...new Set(issues.map((issue) => issue.path || '(root)')),
];

function expectParse(act: () => unknown, entry: ParseCase) {
  const outcome = outcomeOf(act);
  if (entry.accepted) expect('accepted' in outcome, JSON.stringify(outcome)).toBe(true);
  else expect('issues' in outcome ? paths(outcome.issues) : []).toEqual(entry.rejectedAt);
  return outcome;
}

describe('the recipe corpus', () => {
  it.each(corpus<ParseCase>('recipes.json').map((c) => [c.case, c] as const))('%s', (_, entry) => {
    const outcome = expectParse(() => parseRecipe(entry.input), entry);
    if ('accepted' in outcome) compileRecipe(outcome.accepted as never);
  });
});

describe('the classroom request corpus', () => {
  it.each(corpus<ParseCase>('classroom-requests.json').map((c) => [c.case, c] as const))(
    '%s',
    (_, entry) => {
      expectParse(() => parseClassroomRequest(entry.input, new Date()), entry);
    },
  );
});

describe('the API corpus', () => {
  beforeEach(resetApi);

  it.each(corpus<ApiCase>('api.json').map((c) => [c.case, c] as const))('%s', async (_, entry) => {
    const sent: Post = {
      body: entry.bodyBase64 ?? entry.body ?? undefined,
      contentType: entry.contentType ?? undefined,
      isBase64Encoded: entry.bodyBase64 !== undefined,
      ...(entry.headerName ? { headerName: entry.headerName } : {}),
    };

    const answer = await post(entry.route, sent);

    expect(answer.status, answer.text).toBe(entry.status);
    expectTruthfulAnswer(answer, sent);
    if (entry.paths)
      expect(paths(answer.body.issues ?? [])).toEqual(expect.arrayContaining(entry.paths));
  });

  it.each(LARGE_CASES.map((c) => [c.case, c] as const))('%s', async (_, entry) => {
    const sent: Post = { body: entry.body(), contentType: entry.contentType };

    const answer = await post(entry.route, sent);

    expect(answer.status, answer.text.slice(0, 500)).toBe(entry.status);
    expectTruthfulAnswer(answer, sent);
    if (entry.paths) expect(paths(answer.body.issues ?? []).slice(0, 1)).toEqual(entry.paths);
    if (entry.message) expect(answer.body.issues?.[0]?.message).toMatch(entry.message);
  });
});
