// Which state a class may move to from which, and the history entry every move leaves.
import { ConflictError } from '../../../base/errors';
import type { ClassRecord, ClassState } from './class-record';

/**
 * scheduled → seating → ready → stopped → seating (next session) … → ended (after the last
 * session, seats stopped and kept) → deleted (retention over, or deleted). Any live state may
 * fail; a failed class may still be deleted.
 */
export const TRANSITIONS: Readonly<Record<ClassState, readonly ClassState[]>> = {
  scheduled: ['seating', 'deleted', 'failed'],
  seating: ['ready', 'stopped', 'ended', 'failed'],
  ready: ['stopped', 'ended', 'deleted', 'failed'],
  stopped: ['seating', 'ended', 'deleted', 'failed'],
  ended: ['deleted', 'failed'],
  deleted: [],
  failed: ['deleted'],
};

export const canMove = (from: ClassState, to: ClassState) => TRANSITIONS[from].includes(to);

/** How many history entries a record keeps (the oldest go first). */
export const HISTORY_LIMIT = 200;

/**
 * The record after moving to `to` at `at`: state, history and timestamps; the version is the
 * store's to bump when it writes. A move the table does not allow is a ConflictError.
 */
export function moved(
  record: ClassRecord,
  to: ClassState,
  change: { at: Date; step: string; note?: string },
): ClassRecord {
  if (!canMove(record.state, to))
    throw new ConflictError(`class ${record.classId} is ${record.state}: it cannot become ${to}`);
  const entry = {
    at: change.at.toISOString(),
    from: record.state,
    to,
    step: change.step,
    ...(change.note ? { note: change.note.slice(0, 1000) } : {}),
  };
  return {
    ...record,
    state: to,
    history: [...record.history, entry].slice(-HISTORY_LIMIT),
    updatedAt: entry.at,
  };
}

/** The record with a history entry for a change that keeps its state (an extension, a kept stop). */
export function noted(
  record: ClassRecord,
  change: { at: Date; step: string; note?: string },
): ClassRecord {
  const entry = {
    at: change.at.toISOString(),
    from: record.state,
    to: record.state,
    step: change.step,
    ...(change.note ? { note: change.note.slice(0, 1000) } : {}),
  };
  return {
    ...record,
    history: [...record.history, entry].slice(-HISTORY_LIMIT),
    updatedAt: entry.at,
  };
}
