// A class as the API answers it (GET /classrooms/{id}, the class page): from its record and its
// seat records only, no password or token.
import type { ClassRecord, SeatRecord } from '../classroom/record/class-record';
import { budgetOf, classCostSoFar } from '../cost/class-spend';
import type { ClassStatus } from './schemas';

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
  };
}
