import middy from '@middy/core';
import * as z from 'zod';
import { getClass, saveClass } from '../../layers/aws/dynamodb';
import { sendEmail } from '../../layers/aws/ses';
import { ConflictError } from '../../layers/base/errors';
import { budgetStopEmail } from '../../layers/core/classroom/messages/budget-stop';
import { parseClassRecord } from '../../layers/core/classroom/record/class-record';
import { now } from '../../layers/runtime/clock';
import { classStore, stackRegion } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ classId: z.string().min(1) });

/**
 * The message id written on the budget stop; a write another step made meanwhile (the version
 * moved on) is read again and the id written on it, so the send is never repeated for that.
 */
async function markNotified(classId: string, notified: { at: string; messageId: string }) {
  const store = classStore();
  for (let attempt = 1; ; attempt++) {
    const record = parseClassRecord(await getClass(store, classId));
    if (!record.budgetStop || record.budgetStop.notified) return;
    try {
      await saveClass(store, { ...record, budgetStop: { ...record.budgetStop, notified } });
      return;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 5) throw error;
    }
  }
}

/**
 * The instructor is told once that the seats were stopped for the budget: the message id goes on
 * the class's budget stop, and a retry (its answer lost) or a second stop finds it there and sends
 * nothing. SES has no idempotency key, so the class store is the record of what was sent.
 */
export const handler = middy()
  .use(logged('notifyBudgetStop'))
  .use(taskInput(Input))
  .handler(async ({ classId }: z.infer<typeof Input>) => {
    const store = classStore();
    const record = parseClassRecord(await getClass(store, classId));
    const stop = record.budgetStop;
    if (!stop) return { sent: false, why: 'the class was not stopped for its budget' };
    if (stop.notified) return { sent: false, why: 'the instructor was told already' };
    const { plan } = record;
    const message = budgetStopEmail(plan, stop);
    const messageId = await sendEmail(stackRegion(), {
      from: plan.sender,
      to: plan.instructor.email,
      ...message,
    });
    await markNotified(classId, { at: now().toISOString(), messageId });
    return { sent: true, messageId };
  });
