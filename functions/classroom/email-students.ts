import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { emailDeps } from '../../layers/aws/email-deps';
import { onceInClass } from '../../layers/aws/idempotency';
import { sendRate } from '../../layers/aws/ses';
import { emailRecipients } from '../../layers/core/classroom/messages/delivery';
import { ClassPlanSchema } from '../../layers/core/classroom/plan/class-plan';
import { RosterRecordSchema } from '../../layers/core/classroom/roster';
import { emailStudents } from '../../layers/core/classroom/seats/student-emails';
import { classStore, stackRegion } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  class: ClassPlanSchema,
  batchId: z.string(),
  roster: z.array(RosterRecordSchema),
  /** The step's execution: a retry or redrive of it sends nothing twice. */
  occasion: z.string().min(1),
});

/**
 * One email per ready seat with a student (a link that changed, or a resend), through the same
 * pacer and idempotency records as at seating; failures are reported per seat.
 */
export const handler = middy()
  .use(logged('emailStudents'))
  .use(taskInput(Input))
  .handler(
    async ({ class: plan, batchId, roster, occasion }: z.infer<typeof Input>, context: Context) => {
      const recipients = emailRecipients(roster);
      const once = onceInClass(classStore(), plan.classId, context);
      const outcome = await emailStudents(
        plan,
        recipients.map((recipient) => ({ batchId, recipient, occasion })),
        emailDeps(plan.sender, once),
        recipients.length ? await sendRate(stackRegion()) : 1,
      );
      const problems = [...outcome].flatMap(([seatId, reason]) =>
        reason ? [{ seatId, reason }] : [],
      );
      return { batchId, sent: recipients.length - problems.length, problems };
    },
  );
