// The instructor's email when a class's seats were stopped to keep it within its budget.
import type { ClassPlan } from '../plan/class-plan';
import type { BudgetStop } from '../record/class-record';
import { retireAt } from '../record/timeline';
import { toLocal } from '../request/schedule';
import { describeLocalTime, escapeHtml, htmlDocument, type RenderedEmail } from './email';

const money = (amount: number) => `$${amount.toFixed(2)}`;

/** When `at` is in the class's time zone, as the other emails say it. */
const local = (plan: ClassPlan, at: string | Date) =>
  `${describeLocalTime(toLocal(new Date(at), plan.schedule.timezone))} (${plan.schedule.timezone} time)`;

/**
 * What the instructor is told: the seats were stopped, at what spend against which budget and
 * why then, that the students' work is kept until retirement, and that only the start operation
 * starts the class again (its later sessions do not start on their own), past the budget.
 */
export function budgetStopEmail(plan: ClassPlan, stop: BudgetStop): RenderedEmail {
  const subject = `${plan.name}: seats stopped to stay within the budget of ${money(stop.budgetUSD)}`;
  const paragraphs = [
    `The seats of ${plan.name} were stopped on ${local(plan, stop.at)}, in session ${stop.session + 1}.`,
    `The class had cost ${money(stop.spentUSD)} so far. At the rate its running seats cost, and with ` +
      `its stopped volumes kept until they are deleted, it would have gone over its budget of ` +
      `${money(stop.budgetUSD)} on ${local(plan, stop.crossesAt)}; the seats were stopped before that.`,
    `The students' work is kept on the stopped seats until ${local(plan, retireAt(plan))}, when ` +
      `the seats are deleted. The later sessions will not start on their own.`,
    'To go on past the budget, start the class again (bakehouse classroom start, or the Start ' +
      'button on the class page); it then runs as scheduled and is not stopped for its budget again.',
  ];
  return {
    subject,
    text: `${paragraphs.join('\n\n')}\n`,
    html: htmlDocument(
      subject,
      paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ),
  };
}
