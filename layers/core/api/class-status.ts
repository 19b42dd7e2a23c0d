// The class status the API answers (GET /classrooms/{id} and every operation): built from the
// class record and its seats, with no password or token — only where each seat answers.
import { z } from 'zod';
import type { ClassRecord, SeatRecord } from '../classroom/record/class-record';
import type { ClassStatus } from './schemas';

const Budget = z.looseObject({ budgetUSD: z.number().optional() });

/** The budget the class was booked with, from its stored request; null without one. */
export function budgetOf(record: Pick<ClassRecord, 'request'>): number | null {
  const parsed = Budget.safeParse(record.request);
  return parsed.success ? (parsed.data.budgetUSD ?? null) : null;
}

export function classStatus(record: ClassRecord, seats: SeatRecord[]): ClassStatus {
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
    costSoFarUSD: record.costs.soFar?.spentUSD ?? 0,
    budgetUSD: budgetOf(record),
  };
}
