/** What every property here asserts of an outcome: a clean acceptance or a bounded, named 400. */
import { expect } from 'vitest';
import { type FieldIssue, ValidationError } from '../../layers/base/errors';

/** Runs per property; the whole property suite stays under 30 s on a shared 2-core machine. */
export const RUNS = { fast: 200, parse: 150, api: 150, shell: 50, files: 25 } as const;

/** A rejection's detail is capped: no path or message longer than this. */
export const MAX_ISSUE_TEXT = 300;

export type Outcome<T> = { accepted: T } | { issues: FieldIssue[] };

/** The result of `act`, or the issues of its ValidationError; any other throw fails the test. */
export function outcomeOf<T>(act: () => T): Outcome<T> {
  try {
    return { accepted: act() };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    expectBoundedIssues(error.issues);
    expect(error.message.length).toBeLessThanOrEqual(8 * 1024);
    return { issues: error.issues };
  }
}

export async function outcomeOfAsync<T>(act: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { accepted: await act() };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    expectBoundedIssues(error.issues);
    return { issues: error.issues };
  }
}

/** At least one issue, at most a page of them, each a short path and message. */
export function expectBoundedIssues(issues: unknown) {
  expect(Array.isArray(issues)).toBe(true);
  const list = issues as FieldIssue[];
  expect(list.length).toBeGreaterThan(0);
  expect(list.length).toBeLessThanOrEqual(50);
  for (const issue of list) {
    expect(typeof issue.path).toBe('string');
    expect(typeof issue.message).toBe('string');
    expect(issue.path.length).toBeLessThanOrEqual(MAX_ISSUE_TEXT);
    expect(issue.message.length).toBeLessThanOrEqual(MAX_ISSUE_TEXT);
  }
}
