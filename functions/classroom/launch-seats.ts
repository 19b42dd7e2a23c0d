import middy from '@middy/core';
import * as z from 'zod';
import { launchInstances } from '../../layers/aws/ec2';
import { batchNumber } from '../../layers/core/classroom/plan/batches';
import { ClassPlanSchema } from '../../layers/core/classroom/plan/class-plan';
import { seatLaunchSpec } from '../../layers/core/classroom/plan/launch-spec';
import { BatchStateSchema, launchAttempt } from '../../layers/core/classroom/seats/lifecycle';
import { placeSeats, spreadPlacements } from '../../layers/core/classroom/seats/placement';
import { config } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  class: ClassPlanSchema,
  securityGroupId: z.string(),
  batch: BatchStateSchema,
});

/**
 * Launches the batch's seats that wait for an instance — the whole batch at first, failed seats
 * when replacing — one RunInstances per placement tried, idempotent per batch and attempt.
 */
export const handler = middy()
  .use(logged('launchSeats'))
  .use(taskInput(Input))
  .handler(async ({ class: plan, securityGroupId, batch }: z.infer<typeof Input>) => {
    const attempt = launchAttempt(batch);
    const { INSTANCE_PROFILE_NAME } = config();
    const order = spreadPlacements(plan.placements, batchNumber(batch.batchId));
    return placeSeats(batch, order, (placement, placementIndex, count) =>
      launchInstances(
        plan.region,
        seatLaunchSpec(plan, {
          batchId: batch.batchId,
          attempt,
          placement,
          placementIndex,
          count,
          securityGroupId,
          instanceProfileName: INSTANCE_PROFILE_NAME,
        }),
      ),
    );
  });
