// What the class's messages say and to whom they go: students their seats, the instructor the roster.
// Pure: the SES adapter sends what this renders.
import type { CostEstimate } from '../../cost';
import type { StoredCredential } from '../credentials';
import type { ClassPlan } from '../plan/class-plan';
import { retireAt } from '../record/timeline';
import { toLocal } from '../request/schedule';
import { type RosterRecord, rosterCsv } from '../roster';
import { type ClassLife, instructorEmail, type RenderedEmail, studentEmail } from './email';
import { buildRawMessage } from './mime';

type Recipient = RosterRecord & { studentName: string; email: string; url: string };

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

/** The roster with each undelivered email noted on its seat's line. */
export function withUndelivered(
  roster: readonly RosterRecord[],
  problems: { seatId: string; reason: string }[],
) {
  const undelivered = new Map(problems.map((p) => [p.seatId, p.reason]));
  return roster.map((record) => {
    const reason = undelivered.get(record.seatId);
    return reason ? { ...record, reason } : record;
  });
}

/** The instructor's summary, with the roster attached as CSV: a complete MIME message. */
export function rosterMessage(
  plan: ClassPlan,
  roster: readonly RosterRecord[],
  estimate: CostEstimate,
): string {
  const summary = instructorEmail({
    className: plan.name,
    records: roster,
    estimate,
    schedule: plan.schedule,
    life: classLife(plan),
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
    ],
  });
}
