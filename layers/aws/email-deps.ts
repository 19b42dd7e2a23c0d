/** The adapters a student's email needs (the core's EmailDeps), bound to a region and sender. */
import type { EmailDeps } from '../core/classroom/seats/student-emails';
import type { Once } from './idempotency';
import { sendEmail, sendPaced } from './ses';
import { secureParameters } from './ssm';

/** Emails go from `sender`, each once for its key (`once`). */
export const emailDeps = (region: string, sender: string, once: Once): EmailDeps => ({
  secureParameters: (names) => secureParameters(region, names),
  sendPaced: (items, message, ratePerSecond) =>
    sendPaced(
      items,
      (item) => {
        const { key, to, email } = message(item);
        return once(key, () => sendEmail(region, { from: sender, to, ...email }));
      },
      { ratePerSecond },
    ),
});
