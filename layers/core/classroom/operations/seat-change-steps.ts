// The classroom machine's change step: what a recorded seat change needs at its start, and the
// record once it has run.
import { NotFoundError } from '../../../base/errors';
import type { ClassRecord, SeatRecord } from '../record/class-record';
import { changesOf, type SeatChange, withChange } from '../record/seat-changes';
import type { RosterRecord } from '../roster';
import { type BatchState, newBatch } from '../seats/lifecycle';
import { unsendable } from './resend-email';

export type ChangeWork =
  /** Nothing to do: the change is over. */
  | { kind: 'none' }
  /** The class or seat is no longer in a state for the change: it fails with this reason. */
  | { kind: 'refused'; reason: string }
  /** Seats to launch as one batch (the change's id), after their items are written and any
   * instance they replace is terminated. */
  | { kind: 'seat'; batch: BatchState; items: SeatRecord[]; terminate: string[] }
  /** Roster lines to email, by batch, as the email step takes them. */
  | { kind: 'email'; emails: { batchId: string; roster: RosterRecord[] }[] };

export function changeOf(record: ClassRecord, changeId: string): SeatChange {
  const change = changesOf(record).find((c) => c.id === changeId);
  if (!change) throw new NotFoundError(`class ${record.classId} has no change ${changeId}`);
  return change;
}

const failedChange = (record: ClassRecord, change: SeatChange, note: string): ClassRecord => ({
  ...record,
  changes: withChange(record, { ...change, state: 'failed', note: note.slice(0, 500) }),
});

/**
 * What the change asks for now. Seats are added or replaced only while the class is ready; an
 * email is sent while the seat can be reached. A change the class has moved past is refused with
 * the reason, and nothing is done. Repeated (a retried Lambda), it finds the seats it already
 * marked and terminates nothing twice.
 */
export function changeWork(record: ClassRecord, seats: SeatRecord[], changeId: string): ChangeWork {
  const change = changeOf(record, changeId);
  if (change.state !== 'pending') return { kind: 'none' };
  if (change.kind === 'resend') {
    const seat = seats.find((s) => s.seatId === change.seats[0]?.seatId);
    const reason = seat ? unsendable(record, seat) : 'the seat is gone';
    if (reason || !seat?.student || !seat.url || !['ready', 'stopped'].includes(record.state))
      return { kind: 'refused', reason: reason ?? `the class is ${record.state}` };
    const line: RosterRecord = {
      seatId: seat.seatId,
      studentName: seat.student.name,
      email: seat.student.email,
      url: seat.url,
      state: 'ready',
    };
    return { kind: 'email', emails: [{ batchId: seat.batchId, roster: [line] }] };
  }
  if (record.state !== 'ready')
    return { kind: 'refused', reason: `the class is ${record.state}: nothing is launched` };
  const terminate: string[] = [];
  const items = change.seats.flatMap(({ seatId, student }): SeatRecord[] => {
    const item = seats.find((s) => s.seatId === seatId);
    if (item?.batchId === change.id) return [];
    if (item?.instanceId && item.state !== 'terminated') terminate.push(item.instanceId);
    return [
      {
        seatId,
        batchId: change.id,
        student,
        instanceId: null,
        state: 'pending',
        url: null,
        emailedUrl: item?.emailedUrl ?? null,
        reason: change.kind === 'replace' ? 'being replaced' : 'being added',
      },
    ];
  });
  const batch = newBatch({ batchId: change.id, seats: change.seats });
  return { kind: 'seat', batch, items, terminate };
}

export interface ChangeOutcome {
  /** What the email step reported, per batch. */
  emailed?: { sent: number; problems: { seatId: string; reason: string }[] }[];
  /** A step that failed, by name, as the machine's Catch stored it. */
  failed?: Record<string, { Error?: string; Cause?: string }>;
}

/**
 * The record once the change has run: done with what was sent, or failed with the step's cause
 * (the change's seats still pending are then failed: the seat items to write). Repeated on a
 * finished change, it changes nothing.
 */
export function finishedChange(
  record: ClassRecord,
  seats: SeatRecord[],
  changeId: string,
  outcome: ChangeOutcome,
): { record: ClassRecord | null; items: SeatRecord[]; failure: string | null } {
  const change = changeOf(record, changeId);
  // A retry after the record was written answers as the first attempt did.
  if (change.state !== 'pending')
    return {
      record: null,
      items: [],
      failure: change.state === 'failed' ? (change.note ?? 'the change failed') : null,
    };
  const ids = new Set(change.seats.map((s) => s.seatId));
  const own = seats.filter((s) => ids.has(s.seatId) && s.batchId === change.id);
  const [step, error] = Object.entries(outcome.failed ?? {})[0] ?? [];
  if (step) {
    const failure = `${step} failed: ${error?.Error ?? 'Error'}: ${error?.Cause ?? ''}`.slice(
      0,
      500,
    );
    const items = own
      .filter((s) => s.state === 'pending')
      .map((s) => ({ ...s, state: 'failed' as const, reason: failure }));
    return { record: failedChange(record, change, failure), items, failure };
  }
  const sent = (outcome.emailed ?? []).reduce((n, e) => n + e.sent, 0);
  const problems = (outcome.emailed ?? []).flatMap((e) => e.problems);
  const ready = own.filter((s) => s.state === 'ready').length;
  const note = [
    change.kind === 'resend' ? null : `${ready} of ${change.seats.length} seats ready`,
    `${sent} emailed`,
    problems.length ? `${problems.length} not: ${problems[0]?.reason}` : null,
  ]
    .filter(Boolean)
    .join(', ')
    .slice(0, 500);
  return {
    record: { ...record, changes: withChange(record, { ...change, state: 'done', note }) },
    items: [],
    failure: null,
  };
}
