// Extend: the current session ends later (the class too, when it is the last), and its stop moves.
import { ValidationError } from '../../../base/errors';
import { classFinder, expiryTag, stepScheduleName } from '../plan/class-names';
import type { ClassPlan } from '../plan/class-plan';
import type { ClassRecord } from '../record/class-record';
import { isLastSession, sessionEndsAt } from '../record/timeline';
import { noted } from '../record/transitions';
import { MAX_CLASS_MS, toLocal } from '../request/schedule';
import { type Decision, refuse, utcMinute } from './operation';

const badEnd = (message: string) => new ValidationError([{ path: 'end', message }], 'body');

/** The plan with session `index` ending at `end`: its instant and its wall-clock time. */
function planEndingAt(plan: ClassPlan, index: number, end: Date): ClassPlan {
  const sessions = plan.sessions.map((s, i) =>
    i === index
      ? { ...s, end: toLocal(end, plan.schedule.timezone), endsAt: end.toISOString() }
      : s,
  );
  const last = sessions.at(-1) ?? sessions[0];
  const schedule = isLastSession(plan, index)
    ? { ...plan.schedule, end: last?.end ?? plan.schedule.end, endsAt: end.toISOString() }
    : plan.schedule;
  return { ...plan, sessions, schedule };
}

/**
 * The current session (the one running, being seated, or stopped early within) ends at `end`:
 * later than now and than its end so far, before the next session starts, and within the 14 days
 * a class may span. Extending the last session extends the class, and so its retirement. When the
 * session's stop is scheduled it moves there (created if a seating has not scheduled it yet). The
 * same end again is a repeat; it moves the stop there again, which changes nothing. Extending
 * the last session moves the `expires-at` tag of every resource of the class to the new
 * retirement (again on a repeat, so a retry after a lost answer finishes it), so the nightly
 * teardown never sweeps a class that is still on.
 */
export function decideExtend(record: ClassRecord, now: Date, end: Date): Decision {
  const { plan, session } = record;
  const live = ['seating', 'ready', 'stopped'].includes(record.state);
  if (!live) {
    const why =
      record.state === 'scheduled'
        ? 'no session has begun; its sessions are as booked'
        : record.state === 'ended'
          ? 'its last session is over'
          : 'it has no seats to keep running';
    refuse(record, 'extend', why);
  }
  const endsAt = sessionEndsAt(plan, session);
  if (record.state === 'stopped' && endsAt <= now)
    refuse(
      record,
      'extend',
      `session ${session + 1} ended at ${utcMinute(endsAt)} UTC; the next starts as scheduled`,
    );
  if (end <= now) throw badEnd(`must be in the future (it is now ${now.toISOString()})`);
  if (end < endsAt)
    refuse(
      record,
      'extend',
      `session ${session + 1} already ends at ${utcMinute(endsAt)} UTC; an extension ends it later`,
    );
  const following = plan.sessions[session + 1];
  if (following && end >= new Date(following.startsAt))
    throw badEnd(
      `must be before session ${session + 2} starts (${utcMinute(following.startsAt)} UTC)`,
    );
  const first = plan.sessions[0];
  if (first && end.getTime() - Date.parse(first.startsAt) > MAX_CLASS_MS)
    throw badEnd('must be at most 14 days after the class starts');
  const name = stepScheduleName(plan, `stop-${session}`);
  const move = {
    name,
    at: end,
    input: { classId: record.classId, step: 'stop' as const, session },
    description: `bakehouse: stop ${plan.name} (session ${session + 1}, extended)`,
  };
  const later = planEndingAt(plan, session, end);
  // The last session's end moves the retirement, and so what every resource's expiry says.
  const retag = isLastSession(plan, session)
    ? { classTags: classFinder(plan), tags: expiryTag(later) }
    : undefined;
  if (end.getTime() === endsAt.getTime())
    return { kind: 'noop', record, cancel: [], move, ...(retag ? { retag } : {}) };
  const extended = noted(
    { ...record, plan: later },
    {
      at: now,
      step: 'extend',
      note: `session ${session + 1} ends at ${utcMinute(end)} UTC instead of ${utcMinute(endsAt)} UTC`,
    },
  );
  return {
    kind: 'run',
    record: {
      ...extended,
      next:
        record.state === 'seating'
          ? record.next
          : { step: 'stop', schedule: name, at: end.toISOString() },
    },
    cancel: [],
    move,
    ...(retag ? { retag } : {}),
  };
}
