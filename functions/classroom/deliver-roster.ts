import middy from '@middy/core';
import { z } from 'zod';
import { sendRawEmail } from '../../layers/aws/ses';
import { ClassPlanSchema } from '../../layers/core/classroom/class-plan';
import { instructorEmail } from '../../layers/core/classroom/email';
import { buildRawMessage } from '../../layers/core/classroom/mime';
import { countSeats, RosterRecordSchema, rosterCsv } from '../../layers/core/classroom/roster';
import { CostEstimateSchema } from '../../layers/core/cost';
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
    const undelivered = new Map(
      emailed.flatMap((e) => e.problems).map((p) => [p.seatId, p.reason]),
    );
    const roster = batches
      .flatMap((b) => b.roster)
      .map((record) =>
        undelivered.has(record.seatId)
          ? { ...record, reason: undelivered.get(record.seatId) }
          : record,
      );
    const summary = instructorEmail({
      className: plan.name,
      records: roster,
      estimate,
      schedule: plan.schedule,
    });
    const raw = buildRawMessage({
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
    await sendRawEmail(plan.region, { from: plan.sender, to: plan.instructor.email, raw });
    return { classId: plan.classId, counts: countSeats(roster), estimate, roster };
  });
