import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import { describeError, printable, ValidationError } from '../base/errors';
import { MAX_REQUEST_BODY_BYTES } from '../base/limits';
import { parseOrThrow } from '../base/validate';
import { logger } from './logger';

/** Validates a state-machine task's input; a bad input fails the task with ValidationError. */
export function taskInput<S extends z.ZodType>(schema: S): MiddlewareObj<z.infer<S>> {
  return {
    name: 'taskInput',
    before: (request) => {
      request.event = parseOrThrow(schema, request.event, 'task input');
    },
  };
}

/** One log line when a function ends: its name, duration and, on failure, the error. */
export function logged<E, R>(fn: string): MiddlewareObj<E, R, Error, Context> {
  const started = new WeakMap<object, number>();
  const elapsed = (request: object) => Math.round(performance.now() - (started.get(request) ?? 0));
  return {
    name: 'logged',
    before: (request) => {
      started.set(request, performance.now());
    },
    after: (request) => {
      logger.info('done', { fn, ms: elapsed(request) });
    },
    onError: (request) => {
      logger.error('failed', { fn, ms: elapsed(request), error: describeError(request.error) });
    },
  };
}

const statusOf: Record<string, number> = {
  ValidationError: 400,
  BudgetError: 400,
  NotFoundError: 404,
  ConflictError: 409,
  QuotaError: 409,
};

const JSON_TYPE = 'application/json';

/**
 * A handler's answer with a status of its own; any other return value is a 202 of that body. The
 * body is sent as JSON, or as it is (text) with another content type.
 */
export class Reply {
  constructor(
    readonly statusCode: number,
    readonly body: unknown,
    readonly contentType = JSON_TYPE,
  ) {}
}

/** A media type (`application/json`, without parameters) → how to read a body of that type. */
export type BodyParsers = Readonly<Record<string, (text: string) => unknown>>;

export const JSON_BODY: BodyParsers = { 'application/json': (text) => JSON.parse(text) };

const badRequest = (path: string, message: string) =>
  new ValidationError([{ path, message }], 'request');

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const entry = Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return entry?.[1];
}

/** The body as text: base64 decoded when API Gateway encoded it, and only when it is UTF-8. */
function bodyText(event: APIGatewayProxyEventV2): string {
  const body = event.body ?? '';
  if (typeof body !== 'string') throw badRequest('body', 'must be text');
  const bytes = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (bytes.length > MAX_REQUEST_BODY_BYTES) {
    throw badRequest(
      'body',
      `is ${bytes.length} bytes; the API reads at most ${MAX_REQUEST_BODY_BYTES}`,
    );
  }
  if (!event.isBase64Encoded) {
    if (!body.isWellFormed()) throw badRequest('body', 'is not valid UTF-8 (a lone surrogate)');
    return body;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badRequest('body', 'is not valid UTF-8');
  }
}

function parserFor(event: APIGatewayProxyEventV2, parsers: BodyParsers) {
  const types = Object.keys(parsers);
  const mediaType = (header(event, 'content-type') ?? types[0] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  const parser = mediaType === undefined ? undefined : parsers[mediaType];
  if (!parser) {
    throw badRequest(
      'headers.content-type',
      `must be ${types.join(' or ')} (curl: -H 'content-type: ${types[0]}')`,
    );
  }
  return parser;
}

/**
 * API Gateway (HTTP API) edge: reads the body by its content type (JSON unless `parsers` say
 * more; `validate` null: a route without a body, which reads none), runs `validate` on it — which throws ValidationError naming every bad field — and maps
 * named errors to status codes in one place. Bodies over MAX_REQUEST_BODY_BYTES, not UTF-8 or of
 * another content type are refused with a 400 naming `body` or `headers.content-type`. The
 * handler receives the parsed body, known to be valid, in `event.body`: as sent, not normalised,
 * because the state machine validates its own input again. Error responses hold at most
 * MAX_ISSUES issues of bounded length, never the input itself. With `emptyBody`, a request
 * without a body is read as that value.
 */
export function httpApi(
  validate: ((body: unknown) => unknown) | null,
  parsers: BodyParsers = JSON_BODY,
  { emptyBody }: { emptyBody?: unknown } = {},
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    name: 'httpApi',
    before: (request) => {
      if (validate === null) return;
      const event = request.event;
      if (emptyBody !== undefined && !event.body) {
        validate(emptyBody);
        (request.event as unknown as { body: unknown }).body = emptyBody;
        return;
      }
      const parse = parserFor(event, parsers);
      const text = bodyText(event);
      let parsed: unknown;
      try {
        parsed = parse(text);
      } catch (error) {
        const reason =
          error instanceof ValidationError
            ? error.issues.map((issue) => issue.message).join('; ')
            : describeError(error);
        throw badRequest('body', reason);
      }
      validate(parsed);
      (request.event as unknown as { body: unknown }).body = parsed;
    },
    after: (request) => {
      const answer = request.response;
      const reply = answer instanceof Reply ? answer : new Reply(202, answer);
      request.response = {
        statusCode: reply.statusCode,
        headers: { 'content-type': reply.contentType },
        body: reply.contentType === JSON_TYPE ? JSON.stringify(reply.body) : String(reply.body),
      };
    },
    onError: (request) => {
      const error = request.error;
      const status = (error && statusOf[error.name]) ?? 500;
      if (status === 500) logger.error('internal error', { error: describeError(error) });
      const body =
        error instanceof ValidationError
          ? {
              error: error.name,
              message: error.message,
              issues: error.issues,
              ...(error.omitted > 0 ? { omittedIssues: error.omitted } : {}),
            }
          : {
              error: error?.name ?? 'InternalError',
              message: status === 500 ? 'internal error' : printable(error?.message ?? ''),
            };
      request.response = {
        statusCode: status,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      };
    },
  };
}
