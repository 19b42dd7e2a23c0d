// The steps of a class's life that a schedule starts, and which one comes next.
import * as z from 'zod';
import type { CostEstimate } from '../../cost/estimate';
import type { ClassPlan } from '../plan/class-plan';
import type { ClassRecord } from './class-record';
import { isLastSession, retireAt, seatingAt, sessionEndsAt } from './timeline';

/** What a scheduled execution of the classroom machine is asked to do. */
export const StepSchema = z.enum(['seat', 'start', 'stop', 'retire', 'budget']);
export type Step = z.infer<typeof StepSchema>;

export const StepInputSchema = z.object({
  classId: z.string().min(1),
  step: StepSchema,
  session: z.number().int().nonnegative(),
});
export type StepInput = z.infer<typeof StepInputSchema>;

export interface NextStep extends StepInput {
  at: Date;
  /** Suffix of the schedule's name: unique per class and step, so a retry finds its own. */
  name: string;
}

const step = (classId: string, s: Step, session: number, at: Date): NextStep => ({
  classId,
  step: s,
  session,
  at,
  name: s === 'retire' ? 'retire' : `${s}-${session}`,
});

/** Stopped for its budget, and not started again since by the start operation. */
export const heldForBudget = (record: Pick<ClassRecord, 'budgetStop'>) =>
  !!record.budgetStop && !record.budgetStop.startedAt;

/** A session's seats stop early when they stop a minute or more before the session ends. */
const EARLY_MS = 60_000;

/**
 * Whether a stop at `now` comes before the end of `session` (stop now, or the budget): the
 * session goes on, stopped, until its end, and the class can be started again meanwhile.
 */
export const stopsEarly = (plan: ClassPlan, session: number, now: Date) =>
  now.getTime() < sessionEndsAt(plan, session).getTime() - EARLY_MS;

/**
 * The step that follows the record's state: a scheduled class is seated its lead time before the
 * first session; a ready one is stopped when its session ends; a stopped one is started before
 * the next session — or, stopped early (`now` before its session's end), stopped again at that
 * end, which ends the session; an ended one is retired after its retention. A class stopped
 * for its budget starts no later session on its own (only the start operation starts it): after
 * its session it waits for its retirement. Other states wait for nothing.
 */
export function nextStep(
  record: Pick<ClassRecord, 'classId' | 'state' | 'session' | 'plan' | 'budgetStop'>,
  now?: Date,
): NextStep | null {
  const { classId, plan, session } = record;
  switch (record.state) {
    case 'scheduled':
      return step(classId, 'seat', 0, seatingAt(plan, 0));
    case 'ready':
      return step(classId, 'stop', session, sessionEndsAt(plan, session));
    case 'stopped':
      if (now && stopsEarly(plan, session, now))
        return step(classId, 'stop', session, sessionEndsAt(plan, session));
      if (heldForBudget(record)) return step(classId, 'retire', session, retireAt(plan));
      return isLastSession(plan, session)
        ? null
        : step(classId, 'start', session + 1, seatingAt(plan, session + 1));
    case 'ended':
      return step(classId, 'retire', session, retireAt(plan));
    default:
      return null;
  }
}

/** A new class: scheduled, at version 0, its first history entry the plan. */
export function newClassRecord(context: {
  classId: string;
  request: unknown;
  plan: ClassPlan;
  estimate: CostEstimate;
  at: Date;
}): ClassRecord {
  const at = context.at.toISOString();
  return {
    classId: context.classId,
    version: 0,
    state: 'scheduled',
    session: 0,
    request: context.request,
    plan: context.plan,
    costs: { estimate: context.estimate },
    next: null,
    history: [{ at, from: null, to: 'scheduled', step: 'plan' }],
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * Whether a session's seats should keep running at its end: the next session's lead time has
 * already come (a break shorter than the lead time), so stopping them would only start them again.
 */
export const keepsRunning = (plan: ClassPlan, session: number, now: Date) =>
  !isLastSession(plan, session) && seatingAt(plan, session + 1) <= now;

/**
 * When a step is scheduled: at its time, or a minute from now if that has passed (a step runs
 * late, or a break is shorter than the lead time) — never in the past, and with time for a
 * stopping instance to have stopped. Only retirement, which waits for nothing, runs at once.
 */
export function scheduledAt(next: NextStep, now: Date): Date | 'now' {
  if (next.at > now) return next.at;
  return next.step === 'retire' ? 'now' : new Date(now.getTime() + 60_000);
}

/** Whether seating must begin now: the first session's lead time has come. */
export const seatsNeededBy = (plan: ClassPlan, now: Date) => seatingAt(plan, 0) <= now;
