// A class record as the seat operations find it: booked with students, or seated and ready.
import type {
  ClassRecord,
  SeatRecord,
} from '../../../../layers/core/classroom/record/class-record';
import { NOW, record, SESSIONS, seat } from '../record/fixtures';

export { NOW, seat };

export const BOOKING = {
  name: 'genomics-101',
  image: 'ami-0123456789abcdef0',
  students: [
    { name: 'Student 1', email: 's1@example.edu' },
    { name: 'Student 2', email: 's2@example.edu' },
  ],
  sessions: SESSIONS,
  timezone: 'Europe/Berlin',
  instructor: { email: 'grace@example.org' },
  sender: 'classes@example.org',
};

/** A class in `state`, booked with BOOKING (or `request`). */
export const classIn = (state: ClassRecord['state'], request: unknown = BOOKING): ClassRecord => ({
  ...record(),
  state,
  request,
});

/** The seats of a seated class of two students. */
export const seated = (): SeatRecord[] => [seat(1), seat(2)];
