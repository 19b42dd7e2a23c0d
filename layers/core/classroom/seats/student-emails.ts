// Each student's own email: the one way a seat's link and credentials reach its student.
/**
 * At seating (the class's poll, as each seat is ready), after a restart that changed a link, and
 * when a resend is asked for: every message goes through one pacer at the account's SES rate and
 * is sent at most once for its key (an idempotency record in the class store), so a retried or
 * redriven step sends only what was not sent.
 */
import { readCredential } from '../credentials';
import { type Recipient, studentMessage } from '../messages/delivery';
import type { RenderedEmail } from '../messages/email';
import type { ClassPlan } from '../plan/class-plan';
import { credentialName } from '../plan/parameter-paths';

/** The adapters a student's email needs, already bound to the class's region and sender. */
export interface EmailDeps {
  /** Values by name; a name that does not exist is absent. */
  secureParameters(names: string[]): Promise<Map<string, string>>;
  /**
   * Sends each message no faster than `ratePerSecond`, each at most once for its key (a retried
   * step finds what was sent); each item's error, or undefined when sent.
   */
  sendPaced<T>(
    items: readonly T[],
    message: (item: T) => { key: string; to: string; email: RenderedEmail },
    ratePerSecond: number,
  ): Promise<Map<T, Error | undefined>>;
}

export interface StudentEmail {
  /** The batch whose credential path holds the seat's credential. */
  batchId: string;
  recipient: Recipient;
  /** What makes this message news: the seat's instance at seating, the step's execution later. */
  occasion: string;
}

/** Each student's email, in order; by seat id: undefined when sent, else why not. */
export async function emailStudents(
  plan: ClassPlan,
  emails: readonly StudentEmail[],
  deps: EmailDeps,
  ratePerSecond: number,
): Promise<Map<string, string | undefined>> {
  if (emails.length === 0) return new Map();
  const nameOf = (e: StudentEmail) => credentialName(plan, e.batchId, e.recipient.seatId);
  const stored = await deps.secureParameters(emails.map(nameOf));
  const outcome = await deps.sendPaced(
    emails,
    (e) => {
      const credential = readCredential(stored.get(nameOf(e)));
      if (!credential) throw new Error('no credential stored for this seat');
      const { seatId, email, url } = e.recipient;
      return {
        // One message per seat, link and occasion: a replacement, a new link or a resend is news.
        key: `${plan.classId} ${seatId} ${e.occasion} ${url}`,
        to: email,
        email: studentMessage(plan, e.recipient, credential),
      };
    },
    ratePerSecond,
  );
  return new Map(
    [...outcome].map(([e, error]) => [
      e.recipient.seatId,
      error ? `email not delivered: ${error.name}: ${error.message}`.slice(0, 300) : undefined,
    ]),
  );
}
