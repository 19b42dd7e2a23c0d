// Stop now and start now: which step each starts, for which session, from which state.
import { stepScheduleName } from '../plan/class-names';
import type { ClassRecord } from '../record/class-record';
import { heldForBudget, stopsEarly } from '../record/steps';
import { retireAt, seatingAt, sessionEndsAt } from '../record/timeline';
import { type Decision, noop, refuse, runStep, utcMinute } from './operation';

/**
 * Stop now: a ready class's seats are stopped by the stop step, started now. The session's own
 * stop stays scheduled for its end: the class is stopped within its session until then, and may
 * be started again. A class already stopped or ended is a repeat.
 */
export function decideStop(record: ClassRecord, now: Date): Decision {
  const { plan, session } = record;
  switch (record.state) {
    case 'stopped':
    case 'ended':
      return noop(record);
    case 'ready':
      return runStep(record, 'stop', { classId: record.classId, step: 'stop', session }, now);
    case 'scheduled':
      return refuse(
        record,
        'stop',
        `no seat runs yet; seating starts at ${utcMinute(seatingAt(plan, 0))} UTC`,
      );
    case 'seating':
      return refuse(record, 'stop', 'its seats are being started; stop it once it is ready');
    case 'deleted':
      return refuse(record, 'stop', 'its seats are gone');
    case 'failed':
      return refuse(record, 'stop', 'its seats were terminated when it failed');
  }
}

/**
 * Start now: a scheduled class is seated now (its seating schedule cancelled); a class stopped
 * within its session has that session's seats started again; one stopped between sessions
 * starts the next session now (its start schedule cancelled). A class stopped for its budget
 * starts only this way: the start is the decision to go on past the budget, recorded on its
 * budget stop, and the class is not stopped for its budget again. A class that is ready or being
 * seated is a repeat.
 */
export function decideStart(record: ClassRecord, now: Date): Decision {
  const { plan, session, classId } = record;
  switch (record.state) {
    case 'ready':
    case 'seating':
      return noop(record);
    case 'scheduled':
      return runStep(record, 'start', { classId, step: 'seat', session: 0 }, now, {
        cancel: [stepScheduleName(plan, 'seat-0')],
        record: { ...record, next: null },
      });
    case 'stopped': {
      const started = startedPastBudget(record, now);
      if (stopsEarly(plan, session, now))
        return runStep(record, 'start', { classId, step: 'start', session }, now, {
          record: started,
        });
      const next = session + 1;
      if (next >= plan.sessions.length)
        return refuse(record, 'start', 'its last session is over; its seats are kept, stopped');
      // A class held for its budget waits for its retirement, not for the next start.
      const waiting = heldForBudget(record) ? 'retire' : `start-${next}`;
      return runStep(record, 'start', { classId, step: 'start', session: next }, now, {
        cancel: [stepScheduleName(plan, waiting)],
        record: { ...started, next: null },
      });
    }
    case 'ended':
      return refuse(
        record,
        'start',
        `its last session ended at ${utcMinute(sessionEndsAt(plan, plan.sessions.length - 1))} UTC; its seats are kept, stopped, until ${utcMinute(retireAt(plan))} UTC`,
      );
    case 'deleted':
      return refuse(record, 'start', 'its seats are gone');
    case 'failed':
      return refuse(record, 'start', 'its seats were terminated when it failed');
  }
}

/** The record with its budget stop marked started again at `now`, when it is held for its budget. */
function startedPastBudget(record: ClassRecord, now: Date): ClassRecord {
  if (!record.budgetStop || !heldForBudget(record)) return record;
  return { ...record, budgetStop: { ...record.budgetStop, startedAt: now.toISOString() } };
}
