// The teardown's report: what it did, what it would do (dry run), and what it could not, with the
// error — as JSON for the function's output and as the email to the operator.
import { escapeHtml } from '../classroom/messages/email';
import type { TeardownAction } from './actions';
import type { Outcome } from './apply';

export interface ReportEntry {
  kind: TeardownAction['kind'];
  id: string;
  reason: string;
  /** Where the resource is, when not in the teardown's own region. */
  region?: string;
  error?: string;
}

export interface TeardownReport {
  stackName: string;
  at: string;
  dryRun: boolean;
  done: ReportEntry[];
  wouldDo: ReportEntry[];
  couldNot: ReportEntry[];
}

const entry = (o: Outcome): ReportEntry => ({
  kind: o.kind,
  id: o.id,
  reason: o.reason,
  ...('region' in o && o.region ? { region: o.region } : {}),
  ...(o.error ? { error: o.error } : {}),
});

/** `unresolved`: what could not even be decided (a class whose status could not be read). */
export function teardownReport(
  outcomes: readonly Outcome[],
  context: {
    stackName: string;
    now: Date;
    dryRun: boolean;
    unresolved?: { kind: ReportEntry['kind']; id: string; reason: string; error: string }[];
  },
): TeardownReport {
  return {
    stackName: context.stackName,
    at: context.now.toISOString(),
    dryRun: context.dryRun,
    done: outcomes.filter((o) => o.result === 'done').map(entry),
    wouldDo: outcomes.filter((o) => o.result === 'planned').map(entry),
    couldNot: [
      ...(context.unresolved ?? []),
      ...outcomes.filter((o) => o.result === 'failed').map(entry),
    ],
  };
}

const LABEL: Record<ReportEntry['kind'], string> = {
  'terminate-instance': 'terminate instance',
  'delete-image': 'delete image and its snapshots',
  'delete-snapshot': 'delete snapshot',
  'delete-parameters': 'delete credentials under',
  'delete-schedule': 'delete schedule',
  'delete-security-group': 'delete security group',
  'delete-record': 'delete seat name',
};

const line = (e: ReportEntry) =>
  `${LABEL[e.kind]} ${e.id}${e.region ? ` in ${e.region}` : ''} — ${e.reason}${e.error ? ` (${e.error})` : ''}`;

export function reportEmail(report: TeardownReport): {
  subject: string;
  text: string;
  html: string;
} {
  const sections: [string, ReportEntry[]][] = [
    ['Done', report.done],
    ['Would do (dry run: nothing was changed)', report.wouldDo],
    ['Could not', report.couldNot],
  ];
  const shown = sections.filter(([, entries]) => entries.length > 0);
  const counts = `${report.done.length} done, ${report.wouldDo.length} would do, ${report.couldNot.length} could not`;
  const subject = `bakehouse teardown of ${report.stackName}${report.dryRun ? ' (dry run)' : ''}: ${counts}`;
  const intro = `Nightly teardown of ${report.stackName} at ${report.at}${report.dryRun ? ', dry run' : ''}.`;
  const nothing = 'Nothing of the stack was due for removal.';
  const text = [
    intro,
    '',
    ...(shown.length
      ? shown.flatMap(([title, entries]) => [
          `${title} (${entries.length}):`,
          ...entries.map((e) => `- ${line(e)}`),
          '',
        ])
      : [nothing]),
  ].join('\n');
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5">',
    `<p>${escapeHtml(intro)}</p>`,
    ...(shown.length
      ? shown.flatMap(([title, entries]) => [
          `<h3>${escapeHtml(title)} (${entries.length})</h3>`,
          '<ul>',
          ...entries.map((e) => `<li>${escapeHtml(line(e))}</li>`),
          '</ul>',
        ])
      : [`<p>${escapeHtml(nothing)}</p>`]),
    '</body>',
    '</html>',
  ].join('\n');
  return { subject, text, html };
}
