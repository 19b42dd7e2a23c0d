import { describe, expect, it } from 'vitest';
import { budgetStopEmail } from '../../../../layers/core/classroom/messages/budget-stop';
import { planned } from '../record/fixtures';

describe("the instructor's budget stop email", () => {
  const stop = {
    at: '2027-03-09T09:30:00.000Z',
    session: 1,
    budgetUSD: 20,
    spentUSD: 18.5,
    crossesAt: '2027-03-09T09:40:00.000Z',
  };

  it('says when the seats stopped, at what spend against which budget, in the class time zone', () => {
    const email = budgetStopEmail(planned(), stop);

    expect(email.subject).toBe('genomics-101: seats stopped to stay within the budget of $20.00');
    expect(email.text).toContain(
      'stopped on Tuesday 9 March 2027 at 10:30 (Europe/Berlin time), in session 2',
    );
    expect(email.text).toContain('had cost $18.50 so far');
    expect(email.text).toContain('on Tuesday 9 March 2027 at 10:40 (Europe/Berlin time)');
  });

  it('says the work is kept until retirement and that only a start takes the class past its budget', () => {
    const email = budgetStopEmail(planned(), stop);

    expect(email.text).toContain(
      'kept on the stopped seats until Wednesday 17 March 2027 at 12:00',
    );
    expect(email.text).toContain('The later sessions will not start on their own');
    expect(email.text).toContain('bakehouse classroom start');
    expect(email.html).toContain('The later sessions will not start on their own.</p>');
    expect(email.html).toContain('The students&#39; work');
  });

  it('makes the class name inert in HTML', () => {
    const email = budgetStopEmail({ ...planned(), name: 'a<b>' }, stop);

    expect(email.html).toContain('a&lt;b&gt;');
    expect(email.html).not.toContain('a<b>');
  });
});
