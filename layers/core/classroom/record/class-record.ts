// The class record: what the class store keeps of a class between executions.
/**
 * One item per class (`CLASS#<id>` / `CLASS`) and one per seat (`CLASS#<id>` / `SEAT#<seatId>`)
 * in the class store. The class item holds the request as it arrived (it carries no secret:
 * credentials live in Parameter Store only), the plan, the state, costs and history; seats hold
 * the student, the instance and the link. Every write of the class item is conditional on the
 * version it was read at, so two operations on one class cannot both win.
 */
import * as z from 'zod';
import { CostEstimateSchema } from '../../cost/estimate';
import { ClassPlanSchema } from '../plan/class-plan';
import { StudentSchema } from '../request/contacts';
import { SeatChangeSchema } from './seat-changes';

export const ClassStateSchema = z.enum([
  'scheduled',
  'seating',
  'ready',
  'stopped',
  'ended',
  'deleted',
  'failed',
]);
export type ClassState = z.infer<typeof ClassStateSchema>;

export const SeatRecordStateSchema = z.enum([
  'pending',
  'ready',
  'stopped',
  'terminated',
  'failed',
  'unplaced',
]);
export type SeatRecordState = z.infer<typeof SeatRecordStateSchema>;

export const HistoryEntrySchema = z.object({
  at: z.iso.datetime(),
  from: ClassStateSchema.nullable(),
  to: ClassStateSchema,
  /** What moved the class: `plan`, `seat`, `stop`, `start`, `retire`, `clean-up`, … */
  step: z.string().min(1),
  note: z.string().max(1000).optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

/** The operations on a class while it runs (the API's POST /classrooms/{id}/… and DELETE). */
export const OperationNameSchema = z.enum(['stop', 'start', 'extend', 'delete']);
export type OperationName = z.infer<typeof OperationNameSchema>;

export const OperationMarkSchema = z.object({
  name: OperationNameSchema,
  execution: z.string().min(1).max(80),
  at: z.iso.datetime(),
});
export type OperationMark = z.infer<typeof OperationMarkSchema>;

/**
 * The in-class budget stop: when the seats were stopped because spending would cross the budget,
 * at what spend, and the projected crossing; the instructor's email once it was sent; and, if the
 * start operation started the class again, when (it then runs on past its budget, unwatched).
 */
export const BudgetStopSchema = z.object({
  at: z.iso.datetime(),
  session: z.number().int().nonnegative(),
  budgetUSD: z.number().positive(),
  spentUSD: z.number().nonnegative(),
  crossesAt: z.iso.datetime(),
  notified: z.object({ at: z.iso.datetime(), messageId: z.string() }).optional(),
  startedAt: z.iso.datetime().optional(),
});
export type BudgetStop = z.infer<typeof BudgetStopSchema>;

export const ClassRecordSchema = z.object({
  classId: z.string().min(1),
  /** Incremented by every write; a write succeeds only at the version it read. */
  version: z.number().int().nonnegative(),
  state: ClassStateSchema,
  /** The session the class is in or waits for (index into `plan.sessions`). */
  session: z.number().int().nonnegative(),
  /** The request as it arrived (validated); re-planned from when seating starts. */
  request: z.unknown(),
  plan: ClassPlanSchema,
  costs: z.object({
    estimate: CostEstimateSchema,
    /** What the seats' running time has cost until `at` (costSoFar), updated at every step. */
    soFar: z
      .object({
        at: z.iso.datetime(),
        spentUSD: z.number().nonnegative(),
        runningUSDPerHour: z.number().nonnegative(),
        storedUSDPerHour: z.number().nonnegative(),
      })
      .optional(),
  }),
  /** The one pending schedule of the class, if any: its name and when it fires. */
  next: z.object({ step: z.string(), schedule: z.string(), at: z.iso.datetime() }).nullable(),
  /**
   * The last operation asked for (stop, start, delete): the execution that carries it out and
   * when it was asked. The step it runs clears it; until then another operation is refused.
   */
  operation: OperationMarkSchema.nullable().optional(),
  /** The pending look at the budget of a ready class: its schedule, when, and the crossing then. */
  budgetWatch: z
    .object({ schedule: z.string(), at: z.iso.datetime(), crossesAt: z.iso.datetime().nullable() })
    .nullable()
    .optional(),
  budgetStop: BudgetStopSchema.optional(),
  history: z.array(HistoryEntrySchema),
  /** Changes of its seats asked for while it runs (add, replace, resend), pending or finished. */
  changes: z.array(SeatChangeSchema).optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ClassRecord = z.infer<typeof ClassRecordSchema>;

export const SeatRecordSchema = z.object({
  seatId: z.string().regex(/^seat-\d{3,}$/),
  batchId: z.string(),
  student: StudentSchema.nullable(),
  instanceId: z.string().nullable(),
  state: SeatRecordStateSchema,
  url: z.string().nullable(),
  /** The link the student was last sent; a seat whose link changed is emailed again. */
  emailedUrl: z.string().nullable().optional(),
  reason: z.string().max(500).optional(),
});
export type SeatRecord = z.infer<typeof SeatRecordSchema>;

export const parseClassRecord = (item: unknown): ClassRecord => ClassRecordSchema.parse(item);
export const parseSeatRecords = (items: unknown[]): SeatRecord[] =>
  items.map((item) => SeatRecordSchema.parse(item));
