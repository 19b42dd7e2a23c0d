// The HTTP API's own schemas: query strings, answers and errors. Request bodies are the core's
// (RecipeSchema, ClassroomRequestSchema); the route table puts them together.
import * as z from 'zod';
import { PlacementSchema } from '../classroom/plan/placement-order';
import { ClassStateSchema, SeatRecordStateSchema } from '../classroom/record/class-record';
import { CostEstimateSchema } from '../cost/estimate';
import { MAX_PAGE_LINK_DAYS } from './page/page-link';

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
  .strictObject({
    id: z.string().meta({ description: 'The bake or class: GET /bakes/{id} or /classrooms/{id}.' }),
  })
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
    /**
     * With TLS: the Let's Encrypt profile the seats' certificates come from, its lifetime, and
     * every moment a seat asks for one (first seating, then each renewal while seats run). At
     * each the CA validates http-01 on port 80 from addresses it does not publish.
     */
    certificates: z
      .strictObject({
        profile: z.enum(['classic', 'shortlived']),
        lifetimeHours: z.number(),
        requests: z.array(z.string()),
      })
      .nullable(),
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
    /** Why a failed class failed (no ARN); null unless `state` is failed. */
    failure: z.string().nullable(),
    /** The class's next scheduled step (seat, stop, start, retire) and when it runs. */
    next: z.strictObject({ step: z.string(), at: z.string() }).nullable(),
  })
  .meta({ id: 'ClassStatus' });
export type ClassStatus = z.infer<typeof ClassStatusSchema>;

export const BakeStatusSchema = z
  .strictObject({
    id: z.string(),
    state: z.enum(['running', 'succeeded', 'failed']),
    /** The stage the bake is in or ended in: validate, launch, agent, build, image, test, copy, done, clean-up. */
    phase: z.string().nullable(),
    /** The share of the bake's stages behind it, 0 to 1. */
    progress: z.number().min(0).max(1),
    image: z
      .strictObject({
        id: z.string(),
        tested: z.boolean(),
        /** Each region the image can be used in, with its id there (the bake's own first). */
        regions: z.array(z.strictObject({ region: z.string(), id: z.string() })),
      })
      .nullable(),
    reused: z.boolean(),
    /** Why a failed bake failed: the step and its error. */
    failure: z.string().nullable(),
    /** The last lines the build script (or the image test) printed, as last polled. */
    outputTail: z.string().nullable(),
    startedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
  })
  .meta({ id: 'BakeStatus' });
export type BakeStatus = z.infer<typeof BakeStatusSchema>;

/** One bake of GET /bakes, newest first. */
export const BakeSummarySchema = z
  .strictObject({
    id: z.string(),
    state: z.enum(['running', 'succeeded', 'failed']),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
  })
  .meta({ id: 'BakeSummary' });
export type BakeSummary = z.infer<typeof BakeSummarySchema>;
export const BakeListSchema = z
  .strictObject({ bakes: z.array(BakeSummarySchema) })
  .meta({ id: 'BakeList' });

/** One class of GET /classrooms. */
export const ClassSummarySchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    state: ClassStateSchema,
    startsAt: z.string(),
    endsAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ClassSummary' });
export type ClassSummary = z.infer<typeof ClassSummarySchema>;
export const ClassListSchema = z
  .strictObject({ classrooms: z.array(ClassSummarySchema) })
  .meta({ id: 'ClassList' });

/** `{id}` of a route's path: an execution's or a class's name as the API made it. */
export const IdParamsSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,80}$/, { error: 'must be 1 to 80 letters, digits, - or _' })
    .meta({ description: 'The id POST answered.' }),
});

export const TeardownQuerySchema = z.strictObject({
  dryRun: QueryFlag.optional().meta({
    description: 'Only report what the teardown would remove; nothing is changed.',
  }),
});

const TeardownEntrySchema = z.strictObject({
  kind: z.string(),
  id: z.string(),
  reason: z.string(),
  /** Where the resource is, when not in the stack's own region. */
  region: z.string().optional(),
  error: z.string().optional(),
});

/** What a teardown did, would do (dry run) and could not do, each with its reason. */
export const TeardownReportSchema = z
  .strictObject({
    stackName: z.string(),
    at: z.string(),
    dryRun: z.boolean(),
    done: z.array(TeardownEntrySchema),
    wouldDo: z.array(TeardownEntrySchema),
    couldNot: z.array(TeardownEntrySchema),
  })
  .meta({ id: 'TeardownReport' });

/** 202 of POST /teardown: the teardown runs at `at` as the nightly one does. */
export const TeardownStartedSchema = z
  .strictObject({ name: z.string(), at: z.string() })
  .meta({ id: 'TeardownStarted' });

/** The document GET /openapi.json answers, described only by its version field. */
export const OpenApiDocumentSchema = z
  .looseObject({ openapi: z.literal('3.1.0') })
  .meta({ id: 'OpenApiDocument' });

export const PageLinkQuerySchema = z.strictObject({
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_LINK_DAYS)
    .optional()
    .meta({ description: 'Days the link is good for; default: until the seats are deleted.' }),
});

/** A signed link to a class page, and when it stops working. */
export const PageLinkSchema = z
  .strictObject({ url: z.string(), expiresAt: z.string() })
  .meta({ id: 'PageLink' });

/** What the class page's buttons do: a page route each, of the same operations as the API's. */
export const PageActionSchema = z.enum(['stop', 'start', 'extend', 'replace', 'resend']);
export type PageAction = z.infer<typeof PageActionSchema>;

/** What the class page shows; none of it secret (the seats' links carry no token). */
export const PageStatusSchema = z
  .strictObject({
    class: ClassStatusSchema,
    /** Seats whose student was sent the seat's current link. */
    emailed: z.array(z.string()),
    /** The sessions in the class's own time zone. */
    timezone: z.string(),
    schedule: z.array(z.strictObject({ start: z.string(), end: z.string() })),
    /** The class's next scheduled step, if any. */
    next: z.strictObject({ step: z.string(), at: z.string() }).nullable(),
    /** The buttons the page has: the page routes this API serves. */
    actions: z.array(PageActionSchema),
  })
  .meta({ id: 'PageStatus' });
export type PageStatus = z.infer<typeof PageStatusSchema>;

/** An HTML document. */
export const PageHtmlSchema = z.string().meta({ id: 'PageHtml' });

/** `{id}` of /classrooms/{id}: a class id as the classroom machine names its executions. */
export const ClassIdParamsSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,80}$/, { error: 'must be a class id (letters, digits, - and _)' }),
});

/** The body of stop, start and delete: nothing, or an empty object. */
export const NoBodySchema = z.strictObject({}).meta({ id: 'NoBody' });

/** POST /classrooms/{id}/extend: the new end of the current session (of the class, if it is the last). */
export const ExtendBodySchema = z
  .strictObject({
    end: z.iso
      .datetime({
        offset: true,
        error: 'must be an ISO 8601 date and time, e.g. 2026-12-01T15:00:00Z',
      })
      .meta({ description: 'When the current session now ends (UTC or with an offset).' }),
  })
  .meta({ id: 'ExtendBody' });

/** `{id}` and `{seat}` of /classrooms/{id}/seats/{seat}/…. */
export const SeatParamsSchema = ClassIdParamsSchema.extend({
  seat: z.string().regex(/^seat-\d{3,}$/, 'must be a seat id such as seat-007'),
});
