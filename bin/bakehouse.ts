/**
 * `bakehouse`: the organizer's command. A client of the HTTP API (the route table's schemas check
 * what it answers); `serve` runs the local stack, `recipe check` reads a recipe on this machine.
 * The commands are in USAGE below.
 * Exit codes: 0 ok, 1 failed, 2 bad input, 3 not found, 4 conflict.
 */
import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ValidationError } from '../layers/base/errors';
import { ROUTES } from '../layers/core/api/routes';
import type { BakeStatus, ClassStatus } from '../layers/core/api/schemas';
import {
  type ApiAnswer,
  callApi,
  EXIT,
  exitCodeOf,
  isLocal,
  resolveEndpoint,
  UsageError,
} from './api-client';
import { printAnswer, printError, printRecipe } from './output';
import { bakeDone, classDone, showBake, showClass, waitFor } from './wait';

const USAGE = `usage:
  bakehouse serve [--port 8787]
  bakehouse [--endpoint URL] [--stage dev] [--json] bake RECIPE [--force] [--wait]
  bakehouse [...] bakes list | bakes status ID
  bakehouse [--json] recipe check RECIPE [--script]
  bakehouse [...] estimate REQUEST.json
  bakehouse [...] classroom create REQUEST.json [--dry-run] [--wait]
  bakehouse [...] classroom list | classroom status ID
  bakehouse [...] classroom page ID [--days N]
  bakehouse [...] classroom stop ID | start ID | extend ID --end ISO | delete ID
  bakehouse [...] classroom add-seats ID STUDENTS.json
  bakehouse [...] classroom replace-seat ID SEAT
  bakehouse [...] classroom resend ID SEAT
  bakehouse [...] teardown [--dry-run]
  bakehouse [...] local advance DURATION      (the local stack only: 90m, 1d, 2h30m)
The endpoint is --endpoint, else $BAKEHOUSE_ENDPOINT, else the HttpApiUrl output of the
deployed stack bakehouse-<stage> (--stage, else $BAKEHOUSE_STAGE, else dev).
Exit codes: 0 ok, 1 failed, 2 bad input, 3 not found, 4 conflict.`;

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        endpoint: { type: 'string' },
        stage: { type: 'string' },
        json: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        wait: { type: 'boolean', default: false },
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

let endpoint: URL | undefined;
const theEndpoint = async () => {
  endpoint ??= await resolveEndpoint({ endpoint: values.endpoint, stage: values.stage });
  return endpoint;
};

/** `/bakes/{id}` with `{ id }` filled in (each value checked to be one path segment). */
function fill(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (!value) throw new UsageError(`give ${name.toUpperCase()}\n${USAGE}`);
    return encodeURIComponent(value);
  });
}

interface Call {
  method: string;
  /** As the route table writes it: `/bakes/{id}`. */
  path: string;
  params?: Record<string, string>;
  body?: { text: string; contentType: string };
  query?: Record<string, string>;
}

/** Sends a request; its answer checked against the route's schema (a mismatch: status 0). */
async function send(call: Call): Promise<ApiAnswer> {
  const answer = await callApi(await theEndpoint(), {
    method: call.method,
    path: fill(call.path, call.params ?? {}),
    query: call.query,
    body: call.body?.text,
    contentType: call.body?.contentType,
  });
  const schema = route(call.method, call.path).answers[answer.status]?.schema;
  const checked = schema?.safeParse(answer.body);
  if (checked && !checked.success) {
    printError(
      values.json,
      `unexpected ${answer.status} answer: ${checked.error.message}`,
      answer.body,
    );
    return { status: 0, body: answer.body };
  }
  return answer;
}

/** Sends a request and prints its answer. */
async function request(call: Call): Promise<number> {
  const answer = await send(call);
  if (answer.status === 0) return EXIT.failed;
  printAnswer(values.json, call.method, call.path, answer);
  return exitCodeOf(answer.status);
}

/**
 * How long a started bake or class may stay unknown to its GET route before the command gives
 * up: the local stack answers a POST once its executions have run, so there at once.
 */
const unknownForMs = (local: boolean) => (local ? 1_000 : 120_000);

/**
 * A POST that starts something, then its status (`poll` path): at once, or with --wait until
 * final. Either way what is printed (with --json, the only thing) is the status object.
 */
async function startAndWait<S>(
  call: Call,
  poll: string,
  done: (s: S) => boolean,
  show: Parameters<typeof waitFor<S>>[0]['show'],
  failed: (s: S) => boolean,
): Promise<number> {
  const started = await send(call);
  if (started.status !== 202) {
    if (started.status === 0) return EXIT.failed;
    printAnswer(values.json, call.method, call.path, started);
    return exitCodeOf(started.status);
  }
  const { id } = started.body as { id: string };
  const local = isLocal(await theEndpoint());
  const intervalMs = local ? 250 : 5000;
  let unknownFor = 0;
  const final = await waitFor<S>({
    id,
    poll: async () => {
      const answer = await send({ method: 'GET', path: poll, params: { id } });
      if (answer.status === 404) {
        // Until its first step has stored it; a start that failed before then never is.
        unknownFor += intervalMs;
        if (unknownFor > unknownForMs(local))
          throw new NotThere(`${id} started, but GET ${poll} still knows no such id`);
        return undefined;
      }
      if (answer.status !== 200) throw new Error(`GET ${poll} answered ${answer.status}`);
      return answer.body as S;
    },
    done: values.wait ? done : () => true,
    show,
    intervalMs,
    json: values.json || !values.wait,
    tty: process.stdout.isTTY === true,
    write: (text) => process.stdout.write(text),
  });
  printAnswer(values.json, 'GET', poll, { status: 200, body: final });
  return failed(final) ? EXIT.failed : EXIT.ok;
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

/** `local advance DURATION`: the local stack's own route, which a deployed stack does not have. */
async function localAdvance(duration: string | undefined): Promise<number> {
  const { parseDuration } = await import('../local/advance');
  parseDuration(duration ?? '');
  const at = await theEndpoint();
  if (!isLocal(at))
    throw new UsageError(`local advance moves the local stack's time only; ${at.host} is not one`);
  const answer = await callApi(at, {
    method: 'POST',
    path: '/local/advance',
    body: JSON.stringify({ duration }),
    contentType: 'application/json',
  });
  const { printAdvanced } = await import('./output');
  printAdvanced(values.json, answer);
  return exitCodeOf(answer.status);
}

const flag = (on: boolean, name: string) => (on ? { [name]: 'true' } : {});

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
  return request({ method: target.method, path: target.path, body, params: { id } });
}

async function main(): Promise<number> {
  const [command, sub, arg, extra] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? EXIT.ok : EXIT.badInput;
  }
  if (command === 'serve') return serve();
  if (command === 'bake')
    return startAndWait<BakeStatus>(
      {
        method: 'POST',
        path: '/bakes',
        body: await recipeBody(sub),
        query: flag(values.force, 'force'),
      },
      '/bakes/{id}',
      bakeDone,
      showBake,
      (s) => s.state === 'failed',
    );
  if (command === 'bakes' && sub === 'list') return request({ method: 'GET', path: '/bakes' });
  if (command === 'bakes' && sub === 'status')
    return request({ method: 'GET', path: '/bakes/{id}', params: { id: arg ?? '' } });
  if (command === 'recipe' && sub === 'check') return recipeCheck(arg);
  if (command === 'estimate')
    return request({
      method: 'POST',
      path: '/classrooms',
      body: await readRequestFile(sub),
      query: { dryRun: 'true' },
    });
  if (command === 'classroom' && sub === 'create') {
    const call = {
      method: 'POST',
      path: '/classrooms',
      body: await readRequestFile(arg),
      query: flag(values['dry-run'], 'dryRun'),
    };
    if (values['dry-run']) return request(call);
    return startAndWait<ClassStatus>(
      call,
      '/classrooms/{id}',
      classDone,
      showClass,
      (s) => s.state === 'failed',
    );
  }
  if (command === 'classroom' && sub === 'list')
    return request({ method: 'GET', path: '/classrooms' });
  if (command === 'classroom' && sub === 'status')
    return request({ method: 'GET', path: '/classrooms/{id}', params: { id: arg ?? '' } });
  if (command === 'teardown' && !sub)
    return request({ method: 'POST', path: '/teardown', query: flag(values['dry-run'], 'dryRun') });
  if (command === 'local' && sub === 'advance') return localAdvance(arg);
  if (command === 'classroom' && sub === 'page') {
    if (!arg) throw new UsageError(`give a class id\n${USAGE}`);
    const query: Record<string, string> = values.days === undefined ? {} : { days: values.days };
    const none = { text: '', contentType: 'application/json' };
    return request({
      method: 'POST',
      path: '/classrooms/{id}/page',
      body: none,
      query,
      params: { id: arg },
    });
  }
  if (command === 'classroom' && sub && sub in OPERATIONS) return classOperation(sub, arg);
  if (command === 'classroom' && sub === 'add-seats') {
    if (!arg) throw new UsageError(`give a class id\n${USAGE}`);
    return request({
      method: 'POST',
      path: '/classrooms/{id}/seats',
      body: await seatsBody(extra),
      params: { id: arg },
    });
  }
  if (command === 'classroom' && sub === 'replace-seat')
    return request({
      method: 'POST',
      path: '/classrooms/{id}/seats/{seat}/replace',
      body: NO_BODY,
      params: seatOf(arg, extra),
    });
  if (command === 'classroom' && sub === 'resend')
    return request({
      method: 'POST',
      path: '/classrooms/{id}/seats/{seat}/resend',
      body: NO_BODY,
      params: seatOf(arg, extra),
    });
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
