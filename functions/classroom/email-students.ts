import middy from '@middy/core';
import { z } from 'zod';
import { sendEmail, sendPaced } from '../../layers/aws/ses';
import { secureParameters } from '../../layers/aws/ssm';
import { ClassPlanSchema, credentialName } from '../../layers/core/classroom/class-plan';
import { studentEmail } from '../../layers/core/classroom/email';
import { RosterRecordSchema } from '../../layers/core/classroom/roster';
import { config } from '../../layers/runtime/config';
import { describeError } from '../../layers/runtime/errors';
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
    const recipients = roster.filter(
      (r) => r.state === 'ready' && r.email && r.studentName && r.url,
    );
    const secrets = recipients.length
      ? await secureParameters(
          plan.region,
          recipients.map((r) => credentialName(plan, batchId, r.seatId)),
        )
      : new Map();
    const outcome = await sendPaced(
      recipients,
      (record) => {
        const { password, token } =
          JSON.parse(secrets.get(credentialName(plan, batchId, record.seatId)) ?? 'null') ?? {};
        if (!password || !token) throw new Error('no credential stored for this seat');
        const email = studentEmail({
          className: plan.name,
          student: { name: record.studentName as string, email: record.email as string },
          url: record.url as string,
          password,
          token,
          schedule: plan.schedule,
          instructor: plan.instructor,
        });
        return sendEmail(plan.region, { from: plan.sender, to: record.email as string, ...email });
      },
      { ratePerSecond: config().SES_MAX_SEND_RATE },
    );
    const problems = [...outcome].flatMap(([record, error]) =>
      error
        ? [{ seatId: record.seatId, reason: `email not delivered: ${describeError(error)}` }]
        : [],
    );
    return { batchId, sent: recipients.length - problems.length, problems };
  });
