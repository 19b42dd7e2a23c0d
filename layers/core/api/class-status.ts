// A class as the API answers it (GET /classrooms/{id}, the class page): from its record and its
// seat records only, no password or token.
import type { ClassRecord, SeatRecord } from '../classroom/record/class-record';
import { budgetOf, classCostSoFar } from '../cost/class-spend';
import { readableCause } from '../failure';
import type { ExecutionDetail } from './execution-detail';
import type { ClassStatus, ClassSummary } from './schemas';
import { withoutArns } from './without-arns';

/** The class status of a class record and its seats (in seat order), at `now`. */
export function classStatus(record: ClassRecord, seats: SeatRecord[], now: Date): ClassStatus {
  return {
    id: record.classId,
    name: record.plan.name,
    state: record.state,
    sessions: record.plan.sessions.map((s) => ({ start: s.startsAt, end: s.endsAt })),
    seats: [...seats]
      .sort((a, b) => a.seatId.localeCompare(b.seatId))
      .map((seat) => ({
        seat: seat.seatId,
        student: seat.student?.name ?? null,
        state: seat.state,
        url: seat.url,
      })),
    estimateUSD: record.costs.estimate.estimateUSD,
    costSoFarUSD: classCostSoFar(record, seats, now).spentUSD,
    budgetUSD: budgetOf(record),
    failure: record.state === 'failed' ? failureOf(record) : null,
    next: record.next ? { step: record.next.step, at: record.next.at } : null,
  };
}

/** What the move into `failed` said, without ARNs. */
function failureOf(record: ClassRecord): string {
  const entry = record.history.findLast((h) => h.to === 'failed');
  return withoutArns(entry?.note ?? `failed at ${entry?.step ?? 'an unknown step'}`);
}

/**
 * The status of class `id` whose execution ran but never stored it (its first step plans and
 * stores the class): about to be planned while it runs, else failed with the execution's cause.
 * Nothing was planned, so it has no sessions, no seats and no cost.
 */
export function unplannedClassStatus(
  id: string,
  execution: Pick<ExecutionDetail, 'status' | 'cause'>,
): ClassStatus {
  const running = execution.status === 'RUNNING' || execution.status === 'PENDING_REDRIVE';
  const cause = execution.cause ? readableCause(execution.cause) : '';
  return {
    id,
    name: id,
    state: running ? 'scheduled' : 'failed',
    sessions: [],
    seats: [],
    estimateUSD: 0,
    costSoFarUSD: 0,
    budgetUSD: null,
    failure: running
      ? null
      : withoutArns(
          `not planned: ${cause || `the execution ended ${execution.status} before it stored the class`}`,
        ),
    next: null,
  };
}

/** One line of GET /classrooms: the class, its state and when it runs. */
export function classSummary(record: ClassRecord): ClassSummary {
  return {
    id: record.classId,
    name: record.plan.name,
    state: record.state,
    startsAt: record.plan.schedule.startsAt,
    endsAt: record.plan.schedule.endsAt,
    updatedAt: record.updatedAt,
  };
}
