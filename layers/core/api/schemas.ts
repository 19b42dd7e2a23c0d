// The HTTP API's own schemas: query strings, answers and errors. Request bodies are the core's
// (RecipeSchema, ClassroomRequestSchema); the route table puts them together.
import * as z from 'zod';
import { PlacementSchema } from '../classroom/plan/placement-order';
import { ClassStateSchema, SeatRecordStateSchema } from '../classroom/record/class-record';
import { CostEstimateSchema } from '../cost/estimate';

/** `true`/`false` in a query string; anything else is a 400 naming the parameter. */
const QueryFlag = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .transform((value) => value === 'true');

export const BakeQuerySchema = z.strictObject({
  /** Bake even when an image of the same recipe exists. */
  force: QueryFlag.optional().meta({
    description: 'Bake even when an image of this recipe exists.',
  }),
});

export const ClassroomQuerySchema = z.strictObject({
  dryRun: QueryFlag.optional().meta({
    description: 'Answer only the estimate and the plan; nothing is started.',
  }),
});

/** 202: the execution that does the work has started. */
export const StartedSchema = z
  .strictObject({ executionArn: z.string(), name: z.string() })
  .meta({ id: 'Started' });

/** What a dry run of POST /classrooms plans: seats, where they launch, how the work fans out. */
export const ClassPreviewSchema = z
  .strictObject({
    seats: z.number().int(),
    students: z.number().int(),
    startsAt: z.string(),
    endsAt: z.string(),
    placements: z.array(PlacementSchema),
    batches: z.number().int(),
    largestBatch: z.number().int(),
    waves: z.number().int(),
  })
  .meta({ id: 'ClassPreview' });

export const ClassEstimateAnswerSchema = z
  .strictObject({
    estimate: CostEstimateSchema.meta({ id: 'CostEstimate' }),
    plan: ClassPreviewSchema,
  })
  .meta({ id: 'ClassEstimate' });

/** Every error answer: the error's name and message; a 400 adds each bad field by its path. */
export const ErrorSchema = z
  .strictObject({
    error: z.string(),
    message: z.string(),
    issues: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Error' });

/** API Gateway's own answer when no route matches (404) or a function fails outright (500). */
export const GatewayErrorSchema = z
  .strictObject({ message: z.string() })
  .meta({ id: 'GatewayError' });

/** A class as the class store holds it: no password or token, only where each seat answers. */
export const ClassStatusSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    state: ClassStateSchema,
    sessions: z.array(z.strictObject({ start: z.string(), end: z.string() })),
    seats: z.array(
      z.strictObject({
        seat: z.string(),
        student: z.string().nullable(),
        state: SeatRecordStateSchema,
        url: z.string().nullable(),
      }),
    ),
    estimateUSD: z.number(),
    costSoFarUSD: z.number(),
    budgetUSD: z.number().nullable(),
  })
  .meta({ id: 'ClassStatus' });
export type ClassStatus = z.infer<typeof ClassStatusSchema>;

export const BakeStatusSchema = z
  .strictObject({
    id: z.string(),
    state: z.enum(['running', 'succeeded', 'failed']),
    phase: z.string().nullable(),
    image: z
      .strictObject({ id: z.string(), tested: z.boolean(), regions: z.array(z.string()) })
      .nullable(),
    reused: z.boolean(),
  })
  .meta({ id: 'BakeStatus' });
export type BakeStatus = z.infer<typeof BakeStatusSchema>;

/** The document GET /openapi.json answers, described only by its version field. */
export const OpenApiDocumentSchema = z
  .looseObject({ openapi: z.literal('3.1.0') })
  .meta({ id: 'OpenApiDocument' });
