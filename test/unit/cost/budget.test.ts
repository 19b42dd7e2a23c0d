import { describe, expect, it } from 'vitest';
import { BudgetError } from '../../../layers/base/errors';
import { budgetStopAt, checkBudget } from '../../../layers/core/cost/budget';
import { estimateClassLife } from '../../../layers/core/cost/estimate';

const estimateFor = (instanceType: string) =>
  estimateClassLife({
    seats: 30,
    instanceType,
    sessions: [{ start: '2027-03-02T08:00:00Z', end: '2027-03-02T11:00:00Z' }],
    rootVolumeGiB: 30,
  });

describe('checkBudget', () => {
  it('refuses a class estimated above its budget, with both figures', () => {
    // Prepare
    const estimate = estimateFor('t3.medium');

    // Act
    const act = () => checkBudget(estimate, 20);

    // Assess
    expect(act).toThrow(BudgetError);
    expect(act).toThrow(`estimate $${estimate.estimateUSD.toFixed(2)} exceeds budgetUSD $20.00`);
  });

  it('lets a class within its budget, or without one, through', () => {
    // Prepare
    const estimate = estimateFor('t3.medium');

    // Act
    const within = () => checkBudget(estimate, estimate.estimateUSD);
    const none = () => checkBudget(estimate, undefined);

    // Assess
    expect(within).not.toThrow();
    expect(none).not.toThrow();
  });

  it('refuses a budget it cannot check because compute is unpriced, and asks for hourlyUSD', () => {
    // Prepare
    const estimate = estimateFor('x9.huge');

    // Act
    const act = () => checkBudget(estimate, 1000);

    // Assess
    expect(act).toThrow(
      /^budgetUSD \$1000\.00 cannot be checked: compute unpriced .*give hourlyUSD$/,
    );
  });

  it('lets an unpriced class through when no budget is set', () => {
    // Act
    const act = () => checkBudget(estimateFor('x9.huge'), undefined);

    // Assess
    expect(act).not.toThrow();
  });
});

describe('budgetStopAt', () => {
  const now = new Date('2027-03-02T09:00:00Z');

  it('stops the seats when the money left is spent at the current rate', () => {
    // Act: $10 left, $2 an hour
    const stopAt = budgetStopAt({ budgetUSD: 50, spentUSD: 40, runningUSDPerHour: 2, now });

    // Assess
    expect(stopAt?.toISOString()).toBe('2027-03-02T14:00:00.000Z');
  });

  it('keeps back what the stopped volumes cost until termination', () => {
    // Act: $10 left, $0.05 an hour for 100 h of storage leaves $5, at $2 an hour
    const stopAt = budgetStopAt({
      budgetUSD: 50,
      spentUSD: 40,
      runningUSDPerHour: 2,
      storedUSDPerHour: 0.05,
      terminatesAt: new Date(now.getTime() + 100 * 3_600_000),
      now,
    });

    // Assess
    expect(stopAt?.toISOString()).toBe('2027-03-02T11:30:00.000Z');
  });

  it('says stop now when the budget is already spent', () => {
    // Act
    const stopAt = budgetStopAt({ budgetUSD: 50, spentUSD: 51, runningUSDPerHour: 2, now });

    // Assess
    expect(stopAt?.toISOString()).toBe(now.toISOString());
  });

  it('names no time when nothing runs and the budget holds', () => {
    // Act
    const stopAt = budgetStopAt({ budgetUSD: 50, spentUSD: 10, runningUSDPerHour: 0, now });

    // Assess
    expect(stopAt).toBeNull();
  });
});
