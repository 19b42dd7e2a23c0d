/**
 * `bakehouse`: the organizer's command. A client of the HTTP API (the route table's schemas check
 * what it answers); `serve` runs the local stack, `recipe check` reads a recipe on this machine.
 *
 *   bakehouse serve [--port 8787]
 *   bakehouse [--endpoint URL] [--json] bake RECIPE [--force]
 *   bakehouse recipe check RECIPE [--script]
 *   bakehouse [--endpoint URL] [--json] estimate REQUEST.json
 *   bakehouse [--endpoint URL] [--json] classroom create REQUEST.json [--dry-run]
 *   bakehouse [--endpoint URL] [--json] classroom page ID [--days N]
 *   bakehouse [--endpoint URL] [--json] classroom stop ID | start ID | extend ID --end ISO | delete ID
 *   bakehouse [--endpoint URL] [--json] classroom add-seats ID STUDENTS.json | replace-seat ID SEAT | resend ID SEAT
 */
import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ValidationError } from '../layers/base/errors';
import { ROUTES } from '../layers/core/api/routes';
import {
  type ApiAnswer,
  callApi,
  EXIT,
  exitCodeOf,
  resolveEndpoint,
  UsageError,
} from './api-client';
import { printAnswer, printError, printRecipe } from './output';

const USAGE = `usage:
  bakehouse serve [--port 8787]
  bakehouse [--endpoint URL] [--json] bake RECIPE [--force]
  bakehouse [--json] recipe check RECIPE [--script]
  bakehouse [--endpoint URL] [--json] estimate REQUEST.json
  bakehouse [--endpoint URL] [--json] classroom create REQUEST.json [--dry-run]
  bakehouse [--endpoint URL] [--json] classroom page ID [--days N]
  bakehouse [--endpoint URL] [--json] classroom stop ID | start ID | extend ID --end ISO | delete ID
  bakehouse [--endpoint URL] [--json] classroom add-seats ID STUDENTS.json
  bakehouse [--endpoint URL] [--json] classroom replace-seat ID SEAT
  bakehouse [--endpoint URL] [--json] classroom resend ID SEAT`;

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        endpoint: { type: 'string' },
        json: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        script: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        end: { type: 'string' },
        port: { type: 'string', default: '8787' },
        days: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    console.error(`bakehouse: ${(error as Error).message}\n${USAGE}`);
    process.exit(EXIT.badInput);
  }
})();

const route = (method: string, path: string) => {
  const found = ROUTES.find((r) => r.method === method && r.path === path);
  if (!found) throw new Error(`no route ${method} ${path}`);
  return found;
};

/**
 * Sends a request to the API and prints its answer, checked against the route's schema. `path`
 * is the route's, its `{name}` parts filled in from `params`.
 */
async function request(
  method: string,
  path: string,
  body: { text: string; contentType: string } | undefined,
  query: Record<string, string> = {},
  params: Record<string, string> = {},
): Promise<number> {
  const endpoint = resolveEndpoint(values.endpoint);
  const answer: ApiAnswer = await callApi(endpoint, {
    method,
    path: path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? '')),
    query,
    body: body?.text,
    contentType: body?.contentType,
  });
  const schema = route(method, path).answers[answer.status]?.schema;
  const checked = schema?.safeParse(answer.body);
  if (checked && !checked.success) {
    printError(
      values.json,
      `unexpected ${answer.status} answer: ${checked.error.message}`,
      answer.body,
    );
    return EXIT.failed;
  }
  printAnswer(values.json, method, path, answer);
  return exitCodeOf(answer.status);
}

async function readRequestFile(path: string | undefined) {
  if (!path) throw new UsageError(`give a request file\n${USAGE}`);
  return { text: await readLocal(path), contentType: 'application/json' };
}

/**
 * The seats to add, from a file: a body as the API takes it (`{"students": […]}`, `{"seats": N}`,
 * with an optional `key`), a bare list of students, or a bare number of seats.
 */
async function seatsBody(path: string | undefined) {
  if (!path) throw new UsageError(`give a file of students or a number of seats\n${USAGE}`);
  const text = await readLocal(path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not JSON`);
  }
  const body = Array.isArray(parsed)
    ? { students: parsed }
    : typeof parsed === 'number'
      ? { seats: parsed }
      : parsed;
  return { text: JSON.stringify(body), contentType: 'application/json' };
}

/** `ID SEAT` of a seat operation, both required. */
function seatOf(id: string | undefined, seat: string | undefined) {
  if (!id || !seat) throw new UsageError(`give a class id and a seat (e.g. seat-003)\n${USAGE}`);
  return { id, seat };
}

const NO_BODY = { text: '{}', contentType: 'application/json' };

async function readLocal(path: string): Promise<string> {
  return readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new NotThere(`no file at ${path}`);
    throw error;
  });
}

class NotThere extends Error {
  override readonly name = 'NotFoundError';
}

/** A recipe file is sent as written (YAML or JSON); a repo2docker directory as its recipe. */
async function recipeBody(path: string | undefined) {
  if (!path) throw new UsageError(`give a recipe file or directory\n${USAGE}`);
  const kind = await stat(path).catch(() => {
    throw new NotThere(`no recipe at ${path}`);
  });
  if (kind.isDirectory()) {
    const { loadRecipe } = await import('../local/recipe-files');
    return { text: JSON.stringify(await loadRecipe(path)), contentType: 'application/json' };
  }
  const json = path.endsWith('.json');
  return {
    text: await readLocal(path),
    contentType: json ? 'application/json' : 'application/yaml',
  };
}

async function serve(): Promise<number> {
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port ${values.port} is not a port`);
  const { serveUntilStopped } = await import('../local/serve');
  return serveUntilStopped(port);
}

async function recipeCheck(path: string | undefined): Promise<number> {
  if (!path) throw new UsageError(`give a recipe file or directory\n${USAGE}`);
  const { loadRecipe } = await import('../local/recipe-files');
  const { compileRecipe } = await import('../layers/core/recipe/compile');
  const recipe = await loadRecipe(path);
  printRecipe(values.json, recipe, compileRecipe(recipe), values.script);
  return EXIT.ok;
}

/** `classroom stop|start|extend|delete ID`: the route each one calls. */
const OPERATIONS: Record<string, { method: string; path: string }> = {
  stop: { method: 'POST', path: '/classrooms/{id}/stop' },
  start: { method: 'POST', path: '/classrooms/{id}/start' },
  extend: { method: 'POST', path: '/classrooms/{id}/extend' },
  delete: { method: 'DELETE', path: '/classrooms/{id}' },
};

async function classOperation(op: string, id: string | undefined): Promise<number> {
  const target = OPERATIONS[op];
  if (!target || !id) throw new UsageError(`give a class id: classroom ${op} ID\n${USAGE}`);
  if (op === 'extend' && !values.end)
    throw new UsageError(`give the new end: classroom extend ID --end 2026-12-01T15:00:00Z`);
  if (op !== 'extend' && values.end) throw new UsageError(`--end is for classroom extend only`);
  const body =
    op === 'extend'
      ? { text: JSON.stringify({ end: values.end }), contentType: 'application/json' }
      : undefined;
  return request(target.method, target.path, body, {}, { id });
}

async function main(): Promise<number> {
  const [command, sub, arg, extra] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? EXIT.ok : EXIT.badInput;
  }
  if (command === 'serve') return serve();
  if (command === 'bake')
    return request('POST', '/bakes', await recipeBody(sub), values.force ? { force: 'true' } : {});
  if (command === 'recipe' && sub === 'check') return recipeCheck(arg);
  if (command === 'estimate')
    return request('POST', '/classrooms', await readRequestFile(sub), { dryRun: 'true' });
  if (command === 'classroom' && sub === 'create')
    return request(
      'POST',
      '/classrooms',
      await readRequestFile(arg),
      values['dry-run'] ? { dryRun: 'true' } : {},
    );
  if (command === 'classroom' && sub === 'page') {
    if (!arg) throw new UsageError(`give a class id\n${USAGE}`);
    const query: Record<string, string> = values.days === undefined ? {} : { days: values.days };
    const none = { text: '', contentType: 'application/json' };
    return request('POST', '/classrooms/{id}/page', none, query, { id: arg });
  }
  if (command === 'classroom' && sub && sub in OPERATIONS) return classOperation(sub, arg);
  if (command === 'classroom' && sub === 'add-seats') {
    if (!arg) throw new UsageError(`give a class id\n${USAGE}`);
    return request('POST', '/classrooms/{id}/seats', await seatsBody(extra), {}, { id: arg });
  }
  if (command === 'classroom' && sub === 'replace-seat')
    return request(
      'POST',
      '/classrooms/{id}/seats/{seat}/replace',
      NO_BODY,
      {},
      seatOf(arg, extra),
    );
  if (command === 'classroom' && sub === 'resend')
    return request('POST', '/classrooms/{id}/seats/{seat}/resend', NO_BODY, {}, seatOf(arg, extra));
  throw new UsageError(`unknown command: ${positionals.join(' ')}\n${USAGE}`);
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    const issues = error instanceof ValidationError ? { issues: error.issues } : {};
    printError(values.json, error.message, {
      error: error.name,
      message: error.message,
      ...issues,
    });
    if (error instanceof UsageError || error instanceof ValidationError)
      process.exit(EXIT.badInput);
    if (error.name === 'NotFoundError') process.exit(EXIT.notFound);
    process.exit(EXIT.failed);
  },
);
