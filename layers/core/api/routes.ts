// The HTTP API, one row per route: serverless.yml's httpApi events, the local server and the
// OpenAPI document are all checked against or derived from this table.
import type * as z from 'zod';
import { AddSeatsBodySchema } from '../classroom/operations/add-seats';
import { SeatActionBodySchema } from '../classroom/operations/replace-seat';
import { ClassroomRequestSchema } from '../classroom/request/classroom-request';
import { RecipeSchema } from '../recipe/schema';
import {
  BakeListSchema,
  BakeQuerySchema,
  BakeStatusSchema,
  ClassEstimateAnswerSchema,
  ClassIdParamsSchema,
  ClassListSchema,
  ClassroomQuerySchema,
  ClassStatusSchema,
  ErrorSchema,
  ExtendBodySchema,
  GatewayErrorSchema,
  IdParamsSchema,
  OpenApiDocumentSchema,
  PageHtmlSchema,
  PageLinkQuerySchema,
  PageLinkSchema,
  PageStatusSchema,
  SeatParamsSchema,
  StartedSchema,
  TeardownQuerySchema,
  TeardownReportSchema,
  TeardownStartedSchema,
} from './schemas';

export interface Answer {
  description: string;
  schema: z.ZodType;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As API Gateway writes it: `/classrooms/{id}`. */
  path: string;
  /** The function's key in serverless.yml. */
  function: string;
  /** Its `handler` in serverless.yml: module path without extension, a dot, the export. */
  handler: string;
  /** Its OpenAPI operationId, when its function serves another route too; else the function's key. */
  operation?: string;
  summary: string;
  /**
   * Who may call it: `iam` (the default), a caller whose SigV4 request API Gateway's IAM
   * authorization lets through; `page`, a request on a signed class-page link, which
   * PAGE_AUTHORIZER checks.
   */
  auth?: 'iam' | 'page';
  /** What the answer is when it is not JSON (the class page is HTML). */
  produces?: string;
  query?: z.ZodType;
  params?: z.ZodType;
  body?: { schema: z.ZodType; contentTypes: string[] };
  answers: Record<number, Answer>;
}

const badRequest: Answer = {
  description: 'A field is wrong; `issues` names each one by its path.',
  schema: ErrorSchema,
};
const unknownClass: Answer = { description: 'No class of that id.', schema: ErrorSchema };
const refused: Answer = {
  description: 'No valid page link: 401 without its expires and sig, 403 when they do not hold.',
  schema: GatewayErrorSchema,
};
const failed: Answer = {
  description: 'The function failed; nothing about why is told.',
  schema: ErrorSchema,
};
const unknownBake: Answer = { description: 'No bake of that id.', schema: ErrorSchema };

/** The answers of an operation on a class's seats. */
const seatAnswers = (accepted: string, unchanged: string): Record<number, Answer> => ({
  200: { description: unchanged, schema: ClassStatusSchema },
  202: { description: accepted, schema: ClassStatusSchema },
  400: badRequest,
  404: { description: 'No such class, or no such seat in it.', schema: ErrorSchema },
  409: {
    description: "The class's (or the seat's) state does not allow it; `message` says why.",
    schema: ErrorSchema,
  },
  500: failed,
});
const json = ['application/json'];

/** The answers of an operation on a class: its status, or why not. */
function operationAnswers(started: string | null, done: string): Record<number, Answer> {
  const answers: Record<number, Answer> = {
    200: { description: done, schema: ClassStatusSchema },
  };
  if (started) answers[202] = { description: started, schema: ClassStatusSchema };
  return {
    ...answers,
    400: badRequest,
    404: unknownClass,
    409: {
      description:
        "The class's state does not allow it (the message says why), or another operation is under way.",
      schema: ErrorSchema,
    },
    500: failed,
  };
}

/** POST /classrooms/{id}/<op> (DELETE for delete), served by `functions/api/<op>-class.ts`. */
function classOperation(
  op: 'stop' | 'start' | 'extend' | 'delete',
  summary: string,
  answers: Record<number, Answer>,
  body?: Route['body'],
): Route {
  return {
    method: op === 'delete' ? 'DELETE' : 'POST',
    path: op === 'delete' ? '/classrooms/{id}' : `/classrooms/{id}/${op}`,
    function: `${op}Class`,
    handler: `functions/api/class-operations.${op}Class`,
    summary,
    params: ClassIdParamsSchema,
    ...(body ? { body } : {}),
    answers,
  };
}

const TABLE: readonly Route[] = [
  {
    method: 'POST',
    path: '/bakes',
    function: 'startBake',
    handler: 'functions/api/start-bake.handler',
    summary: 'Bake an image from a recipe (YAML or JSON).',
    query: BakeQuerySchema,
    body: { schema: RecipeSchema, contentTypes: ['application/json', 'application/yaml'] },
    answers: {
      202: { description: 'The bake has started.', schema: StartedSchema },
      400: badRequest,
      500: failed,
    },
  },
  {
    method: 'POST',
    path: '/classrooms',
    function: 'startClassroom',
    handler: 'functions/api/start-classroom.handler',
    summary: 'Seat a classroom, or with dryRun=true only estimate and plan it.',
    query: ClassroomQuerySchema,
    body: { schema: ClassroomRequestSchema, contentTypes: ['application/json'] },
    answers: {
      200: { description: 'dryRun: the estimate and the plan.', schema: ClassEstimateAnswerSchema },
      202: { description: 'Seating has started.', schema: StartedSchema },
      400: {
        description: 'A field is wrong, or the estimate exceeds budgetUSD (BudgetError).',
        schema: ErrorSchema,
      },
      500: failed,
    },
  },
  classOperation(
    'stop',
    'Stop the seats now; the session stays stopped until its end (start may resume it).',
    operationAnswers('The stop has started.', 'Already stopped: nothing to do.'),
  ),
  classOperation(
    'start',
    'Start the seats now: a stopped session again, the next session early, or a scheduled class.',
    operationAnswers('The start has begun.', 'Already running or being seated: nothing to do.'),
  ),
  classOperation(
    'extend',
    'End the current session (the class, if it is the last) later; its stop moves there.',
    operationAnswers(null, 'Extended, or already ending then (a repeat).'),
    { schema: ExtendBodySchema, contentTypes: ['application/json'] },
  ),
  classOperation(
    'delete',
    'Delete the class: seats, credentials, schedules, Elastic IPs and security group go now.',
    operationAnswers('Deleted; its resources are being removed.', 'Already deleted.'),
  ),
  {
    method: 'POST',
    path: '/classrooms/{id}/page',
    function: 'classroomPage',
    handler: 'functions/api/classroom-page.handler',
    summary: "A signed link to the class's page for its instructor, and when it expires.",
    query: PageLinkQuerySchema,
    params: ClassIdParamsSchema,
    answers: {
      200: { description: 'The link.', schema: PageLinkSchema },
      400: badRequest,
      404: unknownClass,
      409: { description: 'The class is deleted.', schema: ErrorSchema },
      500: failed,
    },
  },
  {
    method: 'GET',
    path: '/page/{id}',
    function: 'classPage',
    operation: 'classPage',
    handler: 'functions/api/class-page.handler',
    summary: "The class's page: its seats, schedule and cost, and buttons that act on it.",
    auth: 'page',
    produces: 'text/html',
    params: ClassIdParamsSchema,
    answers: {
      200: { description: 'The page.', schema: PageHtmlSchema },
      401: refused,
      403: refused,
      404: unknownClass,
      500: failed,
    },
  },
  {
    method: 'GET',
    path: '/page/{id}/status',
    function: 'classPage',
    operation: 'classPageStatus',
    handler: 'functions/api/class-page.handler',
    summary: 'What the class page shows, as JSON; the page polls it while seats change.',
    auth: 'page',
    params: ClassIdParamsSchema,
    answers: {
      200: {
        description: 'The class, who was emailed, what the page can do.',
        schema: PageStatusSchema,
      },
      401: refused,
      403: refused,
      404: unknownClass,
      500: failed,
    },
  },
  {
    method: 'POST',
    path: '/classrooms/{id}/seats',
    function: 'addSeats',
    handler: 'functions/api/seat-operations.addSeats',
    summary: 'Add seats (a number) or late students (a list) to a scheduled or ready class.',
    params: ClassIdParamsSchema,
    body: { schema: AddSeatsBodySchema, contentTypes: json },
    answers: seatAnswers(
      'The seats are being launched; each student is emailed once seated.',
      'Nothing more to launch: the booking grew (a scheduled class), or the seats or students are there already.',
    ),
  },
  {
    method: 'POST',
    path: '/classrooms/{id}/seats/{seat}/replace',
    function: 'replaceSeat',
    handler: 'functions/api/seat-operations.replaceSeat',
    summary:
      'Replace one seat of a ready class: new instance and credential, the student gets the new link.',
    params: SeatParamsSchema,
    body: { schema: SeatActionBodySchema, contentTypes: json },
    answers: seatAnswers(
      'The seat is being replaced (or its replacement already was).',
      'Nothing to do.',
    ),
  },
  {
    method: 'POST',
    path: '/classrooms/{id}/seats/{seat}/resend',
    function: 'resendEmail',
    handler: 'functions/api/seat-operations.resendEmail',
    summary: "Email the seat's student their link and credentials again.",
    params: SeatParamsSchema,
    body: { schema: SeatActionBodySchema, contentTypes: json },
    answers: seatAnswers('The email is on its way (or already was).', 'Nothing to do.'),
  },
  {
    method: 'GET',
    path: '/bakes',
    function: 'listBakes',
    handler: 'functions/api/list-bakes.handler',
    summary: 'The newest bakes, each with its state.',
    answers: {
      200: { description: 'The bakes, newest first.', schema: BakeListSchema },
      500: failed,
    },
  },
  {
    method: 'GET',
    path: '/bakes/{id}',
    function: 'getBake',
    handler: 'functions/api/get-bake.handler',
    summary: "A bake's state, stage, progress, image, failure and its script's output tail.",
    params: IdParamsSchema,
    answers: {
      200: { description: 'The bake.', schema: BakeStatusSchema },
      400: badRequest,
      404: unknownBake,
      500: failed,
    },
  },
  {
    method: 'GET',
    path: '/classrooms',
    function: 'listClassrooms',
    handler: 'functions/api/list-classrooms.handler',
    summary: 'Every class in the class store, latest change first.',
    answers: {
      200: { description: 'The classes.', schema: ClassListSchema },
      500: failed,
    },
  },
  {
    method: 'GET',
    path: '/classrooms/{id}',
    function: 'getClassroom',
    handler: 'functions/api/get-classroom.handler',
    summary: "A class's state, sessions, seats and costs (no password or token).",
    params: ClassIdParamsSchema,
    answers: {
      200: { description: 'The class.', schema: ClassStatusSchema },
      400: badRequest,
      404: unknownClass,
      500: failed,
    },
  },
  {
    method: 'POST',
    path: '/teardown',
    function: 'requestTeardown',
    handler: 'functions/teardown/teardown.requestTeardown',
    summary:
      'Run the teardown now: with dryRun=true only its report; otherwise it is scheduled at once.',
    query: TeardownQuerySchema,
    answers: {
      200: { description: 'dryRun: what the teardown would do.', schema: TeardownReportSchema },
      202: { description: 'The teardown runs at `at`.', schema: TeardownStartedSchema },
      400: badRequest,
      500: failed,
    },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    function: 'openApi',
    handler: 'functions/api/openapi.handler',
    summary: 'This document.',
    answers: {
      200: { description: 'The OpenAPI 3.1 document of this API.', schema: OpenApiDocumentSchema },
    },
  },
];

/** The operations the class page has a button for: the same functions, behind its authorizer. */
const PAGE_OPERATIONS = new Set([
  'stopClass',
  'startClass',
  'extendClass',
  'replaceSeat',
  'resendEmail',
]);

/** An operation's route on the class page: `/classrooms/{id}/…` as `/page/{id}/…`. */
const onPage = (route: Route): Route => ({
  ...route,
  path: route.path.replace(/^\/classrooms\//, '/page/'),
  operation: `${route.function}FromPage`,
  summary: `The class page's button: ${route.summary}`,
  auth: 'page',
  answers: { ...route.answers, 401: refused, 403: refused },
});

export const ROUTES: readonly Route[] = [
  ...TABLE,
  ...TABLE.filter((route) => PAGE_OPERATIONS.has(route.function)).map(onPage),
];

/**
 * The page routes' Lambda authorizer (serverless.yml `provider.httpApi.authorizers`): a request
 * without every identity source is refused (401) before the function runs; no result is cached,
 * because the class id in the path is part of what is checked.
 */
export const PAGE_AUTHORIZER = {
  name: 'pageLink',
  function: 'pageAuthorizer',
  handler: 'functions/api/page-authorizer.handler',
  identitySource: ['$request.querystring.expires', '$request.querystring.sig'],
} as const;

/** The route's OpenAPI operationId. */
export const operationId = (route: Route) => route.operation ?? route.function;

/** `POST /bakes`: API Gateway's route key. */
export const routeKey = (route: Pick<Route, 'method' | 'path'>) => `${route.method} ${route.path}`;
