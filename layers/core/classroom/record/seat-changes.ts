// Changes of a class's seats asked for while it runs: what the class record keeps of each.
/**
 * Adding seats, replacing one seat and resending one student's email are each recorded on the
 * class record as a change (its intent) before anything is launched or sent; an execution of the
 * classroom machine named after the change carries it out and records how it ended. A change is
 * pending until then, and a request that finds its change pending (the same key, or the same
 * seat) starts nothing new.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { MAX_BATCH } from '../plan/batches';
import { StudentSchema } from '../request/contacts';

export const SeatChangeKindSchema = z.enum(['add', 'replace', 'resend']);
export type SeatChangeKind = z.infer<typeof SeatChangeKindSchema>;

/** A caller's idempotency key: a repeat with the same key is the same change. */
export const ChangeKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 of A-Z, a-z, 0-9, _ and -');

export const SeatChangeSchema = z.object({
  /** `c01`, `c02`, …: also the batch id of the seats it launches, so their launches are its own. */
  id: z.string().regex(/^c\d{2,}$/),
  kind: SeatChangeKindSchema,
  /** The seats it acts on, with their students: at most one batch. */
  seats: z
    .array(
      z.object({ seatId: z.string().regex(/^seat-\d{3,}$/), student: StudentSchema.nullable() }),
    )
    .min(1)
    .max(MAX_BATCH),
  key: ChangeKeySchema.nullable(),
  state: z.enum(['pending', 'done', 'failed']),
  at: z.iso.datetime(),
  note: z.string().max(500).optional(),
});
export type SeatChange = z.infer<typeof SeatChangeSchema>;

/** How many finished changes a record keeps besides the pending ones (the oldest go first). */
export const FINISHED_CHANGES_KEPT = 50;

export const changesOf = (record: { changes?: SeatChange[] }) => record.changes ?? [];

/** The id the next change of the record gets. */
export function nextChangeId(record: { changes?: SeatChange[] }): string {
  const last = Math.max(0, ...changesOf(record).map((c) => Number.parseInt(c.id.slice(1), 10)));
  return `c${String(last + 1).padStart(2, '0')}`;
}

/** The record's changes with `change` in place of the one with its id (or added). */
export function withChange(record: { changes?: SeatChange[] }, change: SeatChange): SeatChange[] {
  const others = changesOf(record).filter((c) => c.id !== change.id);
  const all = [...others, change];
  const finished = all.filter((c) => c.state !== 'pending');
  const dropped = new Set(finished.slice(0, -FINISHED_CHANGES_KEPT).map((c) => c.id));
  return all.filter((c) => !dropped.has(c.id));
}

/** The name of the execution that carries out a change: one per change, at most 80 characters. */
export function changeExecutionName(classId: string, changeId: string): string {
  const name = `${classId}-${changeId}`;
  if (name.length <= 80) return name;
  const digest = createHash('sha256').update(classId).digest('hex').slice(0, 16);
  return `${classId.slice(0, 80 - digest.length - changeId.length - 2)}-${digest}-${changeId}`;
}

/** What a change execution is started with. */
export const ChangeStepInputSchema = z.object({
  classId: z.string().min(1),
  step: z.literal('change'),
  change: z.string().regex(/^c\d{2,}$/),
});
export type ChangeStepInput = z.infer<typeof ChangeStepInputSchema>;
