import { describe, expect, it } from 'vitest';
import { reportEmail, teardownReport } from '../../../layers/core/teardown/report';

const NOW = new Date('2027-01-14T03:00:00Z');

describe('the teardown report', () => {
  it('sorts outcomes into done, would do and could not, each with its reason and error', () => {
    // Act
    const report = teardownReport(
      [
        {
          kind: 'terminate-instance',
          id: 'i-1',
          reason: 'seat past its retention',
          result: 'done',
        },
        {
          kind: 'delete-security-group',
          id: 'sg-1',
          reason: 'no instance uses it',
          result: 'failed',
          error: 'DependencyViolation: held',
        },
      ],
      {
        stackName: 'bakehouse-dev',
        now: NOW,
        dryRun: false,
        unresolved: [
          {
            kind: 'delete-parameters',
            id: '/p/classes/c',
            reason: 'status unknown',
            error: 'Boom',
          },
        ],
      },
    );

    // Assess
    expect(report.done.map((e) => e.id)).toEqual(['i-1']);
    expect(report.wouldDo).toEqual([]);
    expect(report.couldNot.map((e) => [e.id, e.error])).toEqual([
      ['/p/classes/c', 'Boom'],
      ['sg-1', 'DependencyViolation: held'],
    ]);
  });

  it('emails a dry run as what would be done, with resource names made inert in HTML', () => {
    // Prepare
    const report = teardownReport(
      [{ kind: 'delete-schedule', id: 'bakehouse-<b>', reason: 'orphan & old', result: 'planned' }],
      { stackName: 'bakehouse-dev', now: NOW, dryRun: true },
    );

    // Act
    const email = reportEmail(report);

    // Assess
    expect(email.subject).toBe(
      'bakehouse teardown of bakehouse-dev (dry run): 0 done, 1 would do, 0 could not',
    );
    expect(email.text).toContain('Would do (dry run: nothing was changed) (1):');
    expect(email.text).toContain('- delete schedule bakehouse-<b> — orphan & old');
    expect(email.html).toContain('bakehouse-&lt;b&gt; — orphan &amp; old');
    expect(email.html).not.toContain('<b>');
  });

  it('says so when nothing was due', () => {
    const email = reportEmail(
      teardownReport([], { stackName: 'bakehouse-dev', now: NOW, dryRun: false }),
    );
    expect(email.text).toContain('Nothing of the stack was due for removal.');
    expect(email.subject).toContain('0 done, 0 would do, 0 could not');
  });
});
