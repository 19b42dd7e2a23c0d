// A seated class's roster, read back from the class store of a local simulation.
import { classSeats } from '../layers/aws/dynamodb';
import { parseSeatRecords } from '../layers/core/classroom/record/class-record';
import type { RosterRecord } from '../layers/core/classroom/roster';

/** The roster lines of class `classId` (the execution's name), as its seats were kept in `table`. */
export async function classRoster(table: string, classId: string): Promise<RosterRecord[]> {
  const store = { region: 'us-east-1', table };
  const seats = parseSeatRecords(await classSeats(store, classId));
  return seats
    .sort((a, b) => a.seatId.localeCompare(b.seatId))
    .map((seat) => ({
      seatId: seat.seatId,
      studentName: seat.student?.name ?? null,
      email: seat.student?.email ?? null,
      url: seat.url,
      state: seat.state === 'ready' ? 'ready' : seat.state === 'unplaced' ? 'unplaced' : 'failed',
      ...(seat.reason ? { reason: seat.reason } : {}),
    }));
}
