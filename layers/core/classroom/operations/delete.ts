// Delete: everything the class holds goes (the retirement step, now), and the class is deleted.
import type { ClassRecord } from '../record/class-record';
import { moved } from '../record/transitions';
import { type Decision, noop, operationUnderWay, refuse, runStep } from './operation';

/**
 * The class moves to deleted at once — so no step or operation can start a seat while it goes —
 * and the retirement step, started now, terminates its seats, cancels their spot requests,
 * deletes its credentials, schedules, Elastic IPs and security group. A deleted class is a
 * repeat; one being seated is refused (its execution is still launching seats).
 */
export function decideDelete(record: ClassRecord, now: Date): Decision {
  const input = { classId: record.classId, step: 'retire' as const, session: record.session };
  switch (record.state) {
    case 'deleted':
      // Deleted by this operation a moment ago: its retirement is started again (by the same
      // name, which starts nothing new) in case the first answer was lost before it started.
      return operationUnderWay(record, now)?.name === 'delete'
        ? runStep(record, 'delete', input, now)
        : noop(record);
    case 'seating':
      return refuse(
        record,
        'delete',
        'its seats are being started; delete it once it is ready, or once the seating has failed',
      );
    default:
      return runStep(record, 'delete', input, now, {
        record: {
          ...moved(record, 'deleted', {
            at: now,
            step: 'delete',
            note: 'deleted by the organizer',
          }),
          next: null,
        },
      });
  }
}
