import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { describeError, ValidationError } from '../base/errors';
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
};

/** A handler's answer with a status of its own; any other return value is a 202 of that body. */
export class Reply {
  constructor(
    readonly statusCode: number,
    readonly body: unknown,
  ) {}
}

/**
 * API Gateway (HTTP API) edge: parses the body (JSON, or what `parseBody` reads), runs `validate`
 * on it — which throws ValidationError naming every bad field — and maps named errors to status
 * codes in one place. The handler receives the parsed body, known to be valid, in `event.body`:
 * as sent, not normalised, because the state machine validates its own input again.
 */
export function httpApi(
  validate: (body: unknown) => unknown,
  parseBody: (text: string, contentType: string) => unknown = (text) => JSON.parse(text),
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    name: 'httpApi',
    before: (request) => {
      const event = request.event;
      const raw = event.isBase64Encoded
        ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
        : (event.body ?? '');
      const contentType = event.headers?.['content-type'] ?? 'application/json';
      let parsed: unknown;
      try {
        parsed = parseBody(raw, contentType);
      } catch (error) {
        throw new ValidationError([{ path: 'body', message: describeError(error) }], 'request');
      }
      validate(parsed);
      (request.event as unknown as { body: unknown }).body = parsed;
    },
    after: (request) => {
      const answer = request.response;
      const reply = answer instanceof Reply ? answer : new Reply(202, answer);
      request.response = {
        statusCode: reply.statusCode,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(reply.body),
      };
    },
    onError: (request) => {
      const error = request.error;
      const status = (error && statusOf[error.name]) ?? 500;
      const body =
        error instanceof ValidationError
          ? { error: error.name, message: error.message, issues: error.issues }
          : {
              error: error?.name ?? 'InternalError',
              message: status === 500 ? 'internal error' : error?.message,
            };
      request.response = {
        statusCode: status,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      };
    },
  };
}
