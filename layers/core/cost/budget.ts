// A class's budget: refused before launch when the estimate exceeds it, and when seats must stop.
import { BudgetError } from '../../base/errors';
import type { CostEstimate } from './estimate';

const money = (amount: number) => `$${amount.toFixed(2)}`;

/**
 * Refuses a class whose estimate exceeds `budgetUSD` (none: nothing to check). A budget cannot be
 * kept for items without a price, so an estimate with unpriced items is refused when a budget is
 * given; without one it stands.
 */
export function checkBudget(estimate: CostEstimate, budgetUSD: number | undefined): void {
  if (budgetUSD === undefined) return;
  if (estimate.unpriced.length) {
    throw new BudgetError(
      `budgetUSD ${money(budgetUSD)} cannot be checked: ${estimate.unpriced.join(', ')} unpriced ` +
        `(the priced items come to ${money(estimate.estimateUSD)}); give hourlyUSD`,
    );
  }
  if (estimate.estimateUSD > budgetUSD) {
    throw new BudgetError(
      `estimate ${money(estimate.estimateUSD)} exceeds budgetUSD ${money(budgetUSD)}`,
    );
  }
}

export interface BudgetStopInput {
  budgetUSD: number;
  /** Spent so far (`costSoFar(...).spentUSD`). */
  spentUSD: number;
  /** What running the seats adds per hour: what stopping them saves. */
  runningUSDPerHour: number;
  /** What keeps being billed when the seats are stopped (volumes), per hour. */
  storedUSDPerHour?: number;
  /** When the stopped seats and their volumes are deleted; the stored cost is reserved until then. */
  terminatesAt?: Date;
  now: Date;
}

/**
 * When the seats must stop so that spending does not cross the budget: what is left after the
 * spend so far and the storage still to come until termination, at the current running rate.
 * `now` when that is already gone; null when the running seats cost nothing per hour and the
 * budget holds.
 */
export function budgetStopAt(input: BudgetStopInput): Date | null {
  const { budgetUSD, spentUSD, runningUSDPerHour, storedUSDPerHour = 0, terminatesAt, now } = input;
  const storedHours = terminatesAt
    ? Math.max(0, terminatesAt.getTime() - now.getTime()) / 3_600_000
    : 0;
  const left = budgetUSD - spentUSD - storedUSDPerHour * storedHours;
  if (left <= 0) return new Date(now);
  if (runningUSDPerHour <= 0) return null;
  return new Date(now.getTime() + Math.floor((left / runningUSDPerHour) * 3_600_000));
}
