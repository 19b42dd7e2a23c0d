import middy from '@middy/core';
import * as z from 'zod';
import { classBatches, putBatches } from '../../layers/aws/dynamodb';
import { launchDeps } from '../../layers/aws/seat-deps';
import { NotFoundError } from '../../layers/base/errors';
import { batchNumber } from '../../layers/core/classroom/plan/batches';
import { ClassPlanSchema } from '../../layers/core/classroom/plan/class-plan';
import { launchWaiting } from '../../layers/core/classroom/seats/launch';
import { BatchStateSchema, launchingSeats } from '../../layers/core/classroom/seats/lifecycle';
import { spreadPlacements } from '../../layers/core/classroom/seats/placement';
import { classStore, config } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  class: ClassPlanSchema,
  securityGroupId: z.string(),
  batchId: z.string(),
});

/**
 * Launches a batch's seats from the class store — one RunInstances per placement tried,
 * idempotent per batch, attempt and seats, each seat's settings in its user data; a retry first
 * takes the instances this launch already started (by their launch tag) — and keeps the batch's
 * instances there. With TLS only seats whose Elastic IP EC2 let through launch; the rest wait for
 * the class's poll. Only counts leave in the state.
 */
export const handler = middy()
  .use(logged('launchSeats'))
  .use(taskInput(Input))
  .handler(async ({ class: plan, securityGroupId, batchId }: z.infer<typeof Input>) => {
    const store = classStore();
    const stored = z.array(BatchStateSchema).parse(await classBatches(store, plan.classId));
    const batch = stored.find((b) => b.batchId === batchId);
    if (!batch) throw new NotFoundError(`no batch ${batchId} of class ${plan.classId}`);
    const launched = await launchWaiting(
      plan,
      batch,
      {
        order: spreadPlacements(plan.placements, batchNumber(batchId)),
        securityGroupId,
        instanceProfileName: config().INSTANCE_PROFILE_NAME,
      },
      launchDeps(plan.region),
    );
    await putBatches(store, plan.classId, [launched]);
    return {
      batchId,
      launched: launched.seats.filter((s) => s.phase === 'booting').length,
      waitingForAddress: launchingSeats(launched).length,
    };
  });
