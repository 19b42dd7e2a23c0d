// How a seat operation (add seats, replace a seat, resend an email) runs against the class store:
// read, decide, one conditional write of its intent, then the execution that carries it out.
import { ConflictError } from '../../../base/errors';
import {
  type ClassRecord,
  parseClassRecord,
  parseSeatRecords,
  type SeatRecord,
} from '../record/class-record';
import {
  type ChangeStepInput,
  changeExecutionName,
  changesOf,
  nextChangeId,
  type SeatChange,
  type SeatChangeKind,
  withChange,
} from '../record/seat-changes';
import { HISTORY_LIMIT } from '../record/transitions';

/** The class store and the classroom machine, as an operation needs them (bound by the handler). */
export interface SeatOperationDeps {
  /** The class item as stored, or NotFoundError. */
  getClass(classId: string): Promise<unknown>;
  classSeats(classId: string): Promise<unknown[]>;
  /** Writes the record at the version it was read at; a lost race is a ConflictError. */
  saveClass(record: ClassRecord): Promise<ClassRecord>;
  /** Starts the classroom machine's execution `name`, once (a repeat starts nothing more). */
  startExecution(name: string, input: ChangeStepInput): Promise<unknown>;
}

export interface Decision {
  /** The record to write, or null when the request changes nothing. */
  record: ClassRecord | null;
  /** The change the request is (new, or found again for a repeat); null when there is none. */
  change: SeatChange | null;
}

export interface Outcome {
  record: ClassRecord;
  seats: SeatRecord[];
  change: SeatChange | null;
  /** Work goes on after the answer (a change is pending): the API answers 202, else 200. */
  accepted: boolean;
}

/**
 * Reads the class, decides, writes the intent conditionally and starts its execution. A write
 * that loses a race is decided once more on what won (a concurrent repeat is then found as the
 * same change); a pending change found again is started again under its own name, which Step
 * Functions treats as the same execution, so a first answer that was lost costs nothing.
 */
export async function runSeatOperation(
  deps: SeatOperationDeps,
  classId: string,
  decide: (record: ClassRecord, seats: SeatRecord[]) => Decision,
): Promise<Outcome> {
  for (let attempt = 0; ; attempt++) {
    const record = parseClassRecord(await deps.getClass(classId));
    const seats = parseSeatRecords(await deps.classSeats(classId));
    const decision = decide(record, seats);
    let written = record;
    try {
      if (decision.record) written = await deps.saveClass(decision.record);
    } catch (error) {
      if (error instanceof ConflictError && attempt === 0) continue;
      throw error;
    }
    const accepted = decision.change?.state === 'pending';
    if (decision.change && accepted)
      await deps.startExecution(changeExecutionName(classId, decision.change.id), {
        classId,
        step: 'change',
        change: decision.change.id,
      });
    return { record: written, seats, change: decision.change, accepted };
  }
}

/**
 * The change recorded under `key`, when the request repeats it. A key already used for another
 * change is a ConflictError: a key names one change.
 */
export function repeatedByKey(
  record: ClassRecord,
  key: string | undefined,
  kind: SeatChangeKind,
  same: (change: SeatChange) => boolean,
): SeatChange | undefined {
  if (!key) return undefined;
  const found = changesOf(record).find((c) => c.key === key);
  if (!found) return undefined;
  if (found.kind !== kind || !same(found))
    throw new ConflictError(
      `key ${key} already names change ${found.id} (${found.kind} ${found.seats.map((s) => s.seatId).join(', ')}): another change needs another key`,
    );
  return found;
}

/** A pending change of `kind` on `seatId`, if one is under way. */
export const pendingOn = (record: ClassRecord, kind: SeatChangeKind, seatId: string) =>
  changesOf(record).find(
    (c) => c.state === 'pending' && c.kind === kind && c.seats.some((s) => s.seatId === seatId),
  );

/** The record with a new change on it (and a line in its history); the change as recorded. */
export function recorded(
  record: ClassRecord,
  change: Omit<SeatChange, 'id' | 'at'>,
  at: Date,
): { record: ClassRecord; change: SeatChange } {
  const full: SeatChange = { ...change, id: nextChangeId(record), at: at.toISOString() };
  const seatIds = full.seats.map((s) => s.seatId);
  const note = `${full.id}: ${full.kind} ${seatIds.length > 3 ? `${seatIds.length} seats` : seatIds.join(', ')}${full.note ? ` (${full.note})` : ''}`;
  const entry = { at: full.at, from: record.state, to: record.state, step: full.kind, note };
  return {
    change: full,
    record: {
      ...record,
      changes: withChange(record, full),
      history: [...record.history, entry].slice(-HISTORY_LIMIT),
      updatedAt: full.at,
    },
  };
}

/**
 * The class's seats as an answer shows them: the stored ones, and those a pending change adds
 * that are not stored yet (pending, with no link).
 */
export function withPendingSeats(record: ClassRecord, seats: SeatRecord[]): SeatRecord[] {
  const stored = new Set(seats.map((s) => s.seatId));
  const adding = changesOf(record)
    .filter((c) => c.kind === 'add' && c.state === 'pending')
    .flatMap((c) =>
      c.seats
        .filter((s) => !stored.has(s.seatId))
        .map(
          (s): SeatRecord => ({
            seatId: s.seatId,
            batchId: c.id,
            student: s.student,
            instanceId: null,
            state: 'pending',
            url: null,
          }),
        ),
    );
  return [...seats, ...adding];
}
