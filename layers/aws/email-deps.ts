/**
 * The adapters a student's email needs (the core's EmailDeps), bound to a sender: the credentials
 * and SES are the stack's, in its own region, wherever the class's seats are.
 */
import type { EmailDeps } from '../core/classroom/seats/student-emails';
import { stackRegion } from '../runtime/config';
import type { Once } from './idempotency';
import { sendEmail, sendPaced } from './ses';
import { secureParameters } from './ssm';

/** Emails go from `sender`, each once for its key (`once`). */
export const emailDeps = (sender: string, once: Once): EmailDeps => ({
  secureParameters: (names) => secureParameters(stackRegion(), names),
  sendPaced: (items, message, ratePerSecond) =>
    sendPaced(
      items,
      (item) => {
        const { key, to, email } = message(item);
        return once(key, () => sendEmail(stackRegion(), { from: sender, to, ...email }));
      },
      { ratePerSecond },
    ),
});
