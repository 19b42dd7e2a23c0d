// The budget of a running class: when its spending will cross the budget, and whether to stop
// its seats now or look again later.
import type { BudgetStop, ClassRecord, SeatRecord } from '../classroom/record/class-record';
import { retireAt } from '../classroom/record/timeline';
import { budgetStopAt } from './budget';
import { budgetOf, classCostSoFar } from './class-spend';
import type { CostSoFar } from './so-far';

/**
 * The seats stop this long before the projected crossing: a schedule fires within a minute of
 * its time, the step and StopInstances take seconds, and EC2 stops billing an instance once it
 * is stopping. Ten minutes leaves room for all of it several times over.
 */
export const BUDGET_STOP_MARGIN_MINUTES = 10;
/**
 * A running class's budget is looked at again at least this often, even when its crossing is
 * far: seats added or replaced since change what it burns.
 */
export const BUDGET_RECHECK_MINUTES = 60;

const MINUTE = 60_000;

export interface BudgetProjection {
  budgetUSD: number;
  spentUSD: number;
  runningUSDPerHour: number;
  /**
   * When spending crosses the budget at the current rate, counting the volumes until the class
   * is terminated (stopping the seats does not stop those): null when nothing running costs.
   */
  crossesAt: Date | null;
  /** When the seats must stop to land before the crossing (`crossesAt` less the margin). */
  stopAt: Date | null;
}

/** The projection of a class's spending against `budgetUSD`, from what it has cost so far. */
export function projectBudget(input: {
  budgetUSD: number;
  soFar: Pick<CostSoFar, 'spentUSD' | 'exactUSD' | 'runningUSDPerHour' | 'storedUSDPerHour'>;
  terminatesAt: Date;
  now: Date;
  marginMinutes?: number;
}): BudgetProjection {
  const { budgetUSD, soFar, terminatesAt, now } = input;
  const margin = (input.marginMinutes ?? BUDGET_STOP_MARGIN_MINUTES) * MINUTE;
  const crossesAt = budgetStopAt({
    budgetUSD,
    spentUSD: soFar.exactUSD,
    runningUSDPerHour: soFar.runningUSDPerHour,
    storedUSDPerHour: soFar.storedUSDPerHour,
    terminatesAt,
    now,
  });
  return {
    budgetUSD,
    spentUSD: soFar.spentUSD,
    runningUSDPerHour: soFar.runningUSDPerHour,
    crossesAt,
    stopAt: crossesAt ? new Date(crossesAt.getTime() - margin) : null,
  };
}

export type BudgetVerdict =
  /** No budget to keep: none was booked, the seats do not run, or it was already acted on. */
  | { kind: 'none'; why: string }
  /** Stop the seats now: the crossing, less the margin, has come. */
  | ({ kind: 'stop' } & BudgetProjection)
  /** Look again at `checkAt`: no later than `stopAt`, nor than the recheck interval. */
  | ({ kind: 'watch'; checkAt: Date } & BudgetProjection);

/**
 * What the budget asks of a class at `now`: a ready class whose projected crossing less the
 * margin has come is stopped; one whose crossing is later is looked at again by then. A class
 * already stopped for its budget and not started again is stopped (a repeat finds it so); one the
 * start operation took on past its budget is not watched any more.
 */
export function budgetVerdict(record: ClassRecord, seats: SeatRecord[], now: Date): BudgetVerdict {
  const budgetUSD = budgetOf(record);
  if (budgetUSD === null) return { kind: 'none', why: 'no budget was booked' };
  if (record.budgetStop?.startedAt)
    return { kind: 'none', why: 'it was started again past its budget' };
  if (record.state !== 'ready') return { kind: 'none', why: `it is ${record.state}` };
  const projection = projectBudget({
    budgetUSD,
    soFar: classCostSoFar(record, seats, now),
    terminatesAt: retireAt(record.plan),
    now,
  });
  if (record.budgetStop || (projection.stopAt && projection.stopAt <= now))
    return { kind: 'stop', ...projection };
  const recheck = new Date(now.getTime() + BUDGET_RECHECK_MINUTES * MINUTE);
  const first = projection.stopAt && projection.stopAt < recheck ? projection.stopAt : recheck;
  // A schedule's time is whole seconds: rounded up, the look never comes before `stopAt`.
  const checkAt = new Date(Math.ceil(first.getTime() / 1000) * 1000);
  return { kind: 'watch', checkAt, ...projection };
}

/** The schedule suffix of a look at the budget: one per session and time, so a retry finds its own. */
export const budgetWatchStep = (session: number, at: Date) =>
  `budget-${session}-${Math.floor(at.getTime() / 1000)}`;

/** The budget stop a `stop` verdict records on the class at `at`. */
export function budgetStopOf(
  record: Pick<ClassRecord, 'session'>,
  verdict: BudgetProjection,
  at: Date,
): BudgetStop {
  return {
    at: at.toISOString(),
    session: record.session,
    budgetUSD: verdict.budgetUSD,
    spentUSD: verdict.spentUSD,
    crossesAt: (verdict.crossesAt ?? at).toISOString(),
  };
}

const money = (amount: number) => `$${amount.toFixed(2)}`;

/** The history note of a budget stop. */
export const budgetNote = (stop: BudgetStop) =>
  `stopped for budget: ${money(stop.spentUSD)} spent of ${money(stop.budgetUSD)}, which it would have crossed at ${stop.crossesAt}`;
