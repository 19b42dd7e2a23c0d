import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { classBatches, putBatches } from '../../layers/aws/dynamodb';
import { onceInClass } from '../../layers/aws/idempotency';
import { seatDeps } from '../../layers/aws/seat-deps';
import { sendRate } from '../../layers/aws/ses';
import { ClassPlanSchema } from '../../layers/core/classroom/plan/class-plan';
import { reachableFromAnywhere, seatActions } from '../../layers/core/classroom/seats/actions';
import { BatchStateSchema } from '../../layers/core/classroom/seats/lifecycle';
import { advanceSeating } from '../../layers/core/classroom/seats/poll';
import { classStore, config, stackRegion } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  class: ClassPlanSchema,
  securityGroupId: z.string(),
  /** The batches this execution seats: all of the class's, or a change's one. */
  batches: z.array(z.string()).min(1),
  seating: z.object({ rounds: z.number().int().nonnegative(), sendRate: z.number().optional() }),
});

/**
 * One poll of the class's seats (or of a change's batch): their reports, replacements, the
 * launch of TLS seats whose Elastic IP EC2 lets through now, and each ready student's email.
 */
export const handler = middy()
  .use(logged('advanceSeats'))
  .use(taskInput(Input))
  .handler(
    async (
      { class: plan, securityGroupId, batches: ids, seating }: z.infer<typeof Input>,
      context: Context,
    ) => {
      const store = classStore();
      const rate = seating.sendRate ?? (await sendRate(stackRegion()));
      const batches = z
        .array(BatchStateSchema)
        .parse(await classBatches(store, plan.classId))
        .filter((b) => ids.includes(b.batchId));
      const deps = seatDeps(plan.region, plan.sender, onceInClass(store, plan.classId, context));
      const launch = {
        securityGroupId,
        instanceProfileName: config().INSTANCE_PROFILE_NAME,
        reachable: reachableFromAnywhere(plan),
        sendRate: rate,
      };
      const next = await advanceSeating(batches, seatActions(plan, launch, deps));
      const changed = next.batches.filter(
        (b, i) => JSON.stringify(b) !== JSON.stringify(batches[i]),
      );
      await putBatches(store, plan.classId, changed);
      return { ...next.seating, rounds: seating.rounds + 1, sendRate: rate };
    },
  );
