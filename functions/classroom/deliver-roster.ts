import middy from '@middy/core';
import { z } from 'zod';
import { sendRawEmail } from '../../layers/aws/ses';
import { rosterMessage, withUndelivered } from '../../layers/core/classroom/messages/delivery';
import { ClassPlanSchema } from '../../layers/core/classroom/plan/class-plan';
import { countSeats, RosterRecordSchema } from '../../layers/core/classroom/roster';
import { CostEstimateSchema } from '../../layers/core/cost/estimate';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  class: ClassPlanSchema,
  batches: z.array(z.object({ batchId: z.string(), roster: z.array(RosterRecordSchema) })),
  emailed: z.array(
    z.object({ problems: z.array(z.object({ seatId: z.string(), reason: z.string() })) }),
  ),
  estimate: CostEstimateSchema,
});

/** The instructor's roster: a summary email with the CSV attached, and the execution's output. */
export const handler = middy()
  .use(logged('deliverRoster'))
  .use(taskInput(Input))
  .handler(async ({ class: plan, batches, emailed, estimate }: z.infer<typeof Input>) => {
    const roster = withUndelivered(
      batches.flatMap((b) => b.roster),
      emailed.flatMap((e) => e.problems),
    );
    const raw = rosterMessage(plan, roster, estimate);
    await sendRawEmail(plan.region, { from: plan.sender, to: plan.instructor.email, raw });
    return { classId: plan.classId, counts: countSeats(roster), estimate, roster };
  });
