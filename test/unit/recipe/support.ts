import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FieldIssue } from '../../../layers/base/errors';
import { ValidationError } from '../../../layers/base/errors';

export const EXAMPLES = join(import.meta.dirname, '../../../examples/recipes');

/** Every example recipe: the YAML files and the repo2docker directories. */
export const exampleRecipes = readdirSync(EXAMPLES, { withFileTypes: true }).map(
  (entry) => entry.name,
);

/** The issues `act` reports, or a failure when it accepts its input. */
export function issuesOf(act: () => unknown): FieldIssue[] {
  try {
    act();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('the input was accepted');
}

export const pathsOf = (act: () => unknown) => issuesOf(act).map((issue) => issue.path);
