// Input validation with zod that reports every bad field by its path, as a ValidationError.
import type * as z from 'zod';
import { type FieldIssue, ValidationError } from './errors';

/** `environment.apt[2]` from zod's `['environment', 'apt', 2]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

/** Parse `data` with `schema`, or throw a ValidationError that names every bad field by path. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  data: unknown,
  what: string,
): z.infer<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw new ValidationError(issuesOf(result.error), what);
  return result.data;
}
