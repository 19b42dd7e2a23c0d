import middy from '@middy/core';
import * as z from 'zod';
import { sendEmail, sendPaced } from '../../layers/aws/ses';
import { secureParameters } from '../../layers/aws/ssm';
import { describeError } from '../../layers/base/errors';
import { readCredential } from '../../layers/core/classroom/credentials';
import { emailRecipients, studentMessage } from '../../layers/core/classroom/messages/delivery';
import { ClassPlanSchema } from '../../layers/core/classroom/plan/class-plan';
import { credentialName } from '../../layers/core/classroom/plan/parameter-paths';
import { RosterRecordSchema } from '../../layers/core/classroom/roster';
import { config } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  class: ClassPlanSchema,
  batchId: z.string(),
  roster: z.array(RosterRecordSchema),
});

/** One email per ready seat with a student, paced to SES's rate; failures are reported per seat. */
export const handler = middy()
  .use(logged('emailStudents'))
  .use(taskInput(Input))
  .handler(async ({ class: plan, batchId, roster }: z.infer<typeof Input>) => {
    const recipients = emailRecipients(roster);
    const names = recipients.map((r) => credentialName(plan, batchId, r.seatId));
    const stored = names.length
      ? await secureParameters(plan.region, names)
      : new Map<string, string>();
    const outcome = await sendPaced(
      recipients,
      (recipient) => {
        const credential = readCredential(
          stored.get(credentialName(plan, batchId, recipient.seatId)),
        );
        if (!credential) throw new Error('no credential stored for this seat');
        const message = studentMessage(plan, recipient, credential);
        return sendEmail(plan.region, { from: plan.sender, to: recipient.email, ...message });
      },
      { ratePerSecond: config().SES_MAX_SEND_RATE },
    );
    const problems = [...outcome].flatMap(([r, error]) =>
      error ? [{ seatId: r.seatId, reason: `email not delivered: ${describeError(error)}` }] : [],
    );
    return { batchId, sent: recipients.length - problems.length, problems };
  });
