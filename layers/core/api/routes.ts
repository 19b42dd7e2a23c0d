// The HTTP API, one row per route: serverless.yml's httpApi events, the local server and the
// OpenAPI document are all checked against or derived from this table.
import type * as z from 'zod';
import { ClassroomRequestSchema } from '../classroom/request/classroom-request';
import { RecipeSchema } from '../recipe/schema';
import {
  BakeQuerySchema,
  ClassEstimateAnswerSchema,
  ClassroomQuerySchema,
  ErrorSchema,
  OpenApiDocumentSchema,
  StartedSchema,
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
  summary: string;
  query?: z.ZodType;
  params?: z.ZodType;
  body?: { schema: z.ZodType; contentTypes: string[] };
  answers: Record<number, Answer>;
}

const badRequest: Answer = {
  description: 'A field is wrong; `issues` names each one by its path.',
  schema: ErrorSchema,
};
const failed: Answer = {
  description: 'The function failed; nothing about why is told.',
  schema: ErrorSchema,
};

export const ROUTES: readonly Route[] = [
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

/** `POST /bakes`: API Gateway's route key. */
export const routeKey = (route: Pick<Route, 'method' | 'path'>) => `${route.method} ${route.path}`;
