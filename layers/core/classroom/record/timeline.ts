// When each step of a class's life happens: seating before each session, stops, retirement.
import type { ClassPlan } from '../plan/class-plan';

type Timed = Pick<ClassPlan, 'sessions' | 'leadMinutes' | 'retainDays'>;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Seats of session `index` start this long before it: the lead time. */
export function seatingAt(plan: Timed, index: number): Date {
  const session = plan.sessions[index];
  if (!session) throw new RangeError(`the class has no session ${index}`);
  return new Date(Date.parse(session.startsAt) - plan.leadMinutes * MINUTE);
}

export function sessionEndsAt(plan: Timed, index: number): Date {
  const session = plan.sessions[index];
  if (!session) throw new RangeError(`the class has no session ${index}`);
  return new Date(session.endsAt);
}

/** After the last session, stopped seats keep the students' work this long; then they go. */
export function retireAt(plan: Timed): Date {
  const last = plan.sessions.at(-1);
  if (!last) throw new RangeError('the class has no session');
  return new Date(Date.parse(last.endsAt) + plan.retainDays * DAY);
}

export const isLastSession = (plan: Timed, index: number) => index >= plan.sessions.length - 1;
