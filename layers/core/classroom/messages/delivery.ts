// What the class's messages say and to whom they go: students their seats, the instructor the roster.
// Pure: the SES adapter sends what this renders.
import type { CostEstimate } from '../../cost/estimate';
import type { StoredCredential } from '../credentials';
import type { ClassPlan } from '../plan/class-plan';
import { retireAt } from '../record/timeline';
import { toLocal } from '../request/schedule';
import { csvField, type RosterRecord, rosterCsv } from '../roster';
import { type ClassLife, instructorEmail, type RenderedEmail, studentEmail } from './email';
import { buildRawMessage } from './mime';

export type Recipient = RosterRecord & { studentName: string; email: string; url: string };

/** Ready seats that have a student to write to. */
export const emailRecipients = (roster: readonly RosterRecord[]): Recipient[] =>
  roster.filter(
    (r): r is Recipient => r.state === 'ready' && !!r.email && !!r.studentName && !!r.url,
  );

/** The class's sessions and when its seats are deleted, in the class's time zone. */
const classLife = (plan: ClassPlan): ClassLife => ({
  sessions: plan.sessions.map(({ start, end }) => ({ start, end })),
  deletedAt: toLocal(retireAt(plan), plan.schedule.timezone),
});

export function studentMessage(
  plan: ClassPlan,
  recipient: Recipient,
  credential: StoredCredential,
): RenderedEmail {
  return studentEmail({
    className: plan.name,
    student: { name: recipient.studentName, email: recipient.email },
    url: recipient.url,
    ...credential,
    schedule: plan.schedule,
    instructor: plan.instructor,
    life: classLife(plan),
  });
}

/** The longest reason a roster line keeps (RosterRecordSchema's bound). */
const MAX_REASON = 500;

/**
 * The roster with each undelivered email noted on its seat's line (after a reason already there
 * when `append`), cut to the length a roster line keeps.
 */
export function withUndelivered(
  roster: readonly RosterRecord[],
  problems: { seatId: string; reason: string }[],
  { append = false } = {},
) {
  const undelivered = new Map(problems.map((p) => [p.seatId, p.reason]));
  return roster.map((record) => {
    const noted = undelivered.get(record.seatId);
    if (!noted) return record;
    const reason = append && record.reason ? `${record.reason}; ${noted}` : noted;
    const bounded = reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason;
    return { ...record, reason: bounded };
  });
}

/**
 * Ready seats whose credentials reached nobody: seats without a student, and students whose
 * email was not delivered (noted by `withUndelivered`). The instructor gets theirs.
 */
export const handedOutByInstructor = (roster: readonly RosterRecord[]) =>
  roster.filter((r) => r.state === 'ready' && (!r.email || r.reason !== undefined));

export interface SeatCredentialLine {
  seatId: string;
  studentName: string | null;
  url: string | null;
  password: string;
  token: string;
}

/** The credentials the instructor hands out, as CSV (one seat a line); never part of the roster. */
export function seatCredentialsCsv(lines: readonly SeatCredentialLine[]): string {
  const rows = [
    ['seat', 'student', 'url', 'password', 'token'],
    ...lines.map((l) => [l.seatId, l.studentName ?? '', l.url ?? '', l.password, l.token]),
  ];
  return `\uFEFF${rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('')}`;
}

/**
 * The instructor's summary, with the roster attached as CSV and, when some ready seats' students
 * were not emailed (or have none), those seats' credentials as a second CSV: a MIME message.
 */
export function rosterMessage(
  plan: ClassPlan,
  roster: readonly RosterRecord[],
  estimate: CostEstimate,
  credentials: readonly SeatCredentialLine[] = [],
  pageLink?: { url: string; expiresAt: string },
): string {
  const credentialsFile = credentials.length ? `${plan.name}-seat-credentials.csv` : undefined;
  const summary = instructorEmail({
    className: plan.name,
    records: roster,
    estimate,
    schedule: plan.schedule,
    credentialsFile,
    life: classLife(plan),
    pageLink,
  });
  return buildRawMessage({
    from: plan.sender,
    to: plan.instructor.email,
    ...summary,
    attachments: [
      {
        filename: `${plan.name}-roster.csv`,
        contentType: 'text/csv; charset=utf-8',
        content: rosterCsv(roster),
      },
      ...(credentialsFile
        ? [
            {
              filename: credentialsFile,
              contentType: 'text/csv; charset=utf-8',
              content: seatCredentialsCsv(credentials),
            },
          ]
        : []),
    ],
  });
}
