import middy from '@middy/core';
import { z } from 'zod';
import { instancesByTag, launchInstances } from '../../layers/aws/ec2';
import { batchNumber } from '../../layers/core/classroom/plan/batches';
import { ClassPlanSchema } from '../../layers/core/classroom/plan/class-plan';
import { launchKey, seatLaunchSpec } from '../../layers/core/classroom/plan/launch-spec';
import { BatchStateSchema, launchAttempt } from '../../layers/core/classroom/seats/lifecycle';
import { placeSeats, spreadPlacements } from '../../layers/core/classroom/seats/placement';
import { TAG } from '../../layers/core/tags';
import { config } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  class: ClassPlanSchema,
  securityGroupId: z.string(),
  batch: BatchStateSchema,
});

/**
 * Launches the batch's seats that wait for an instance — the whole batch at first, failed seats
 * when replacing — one RunInstances per placement tried, idempotent per seats and attempt; a
 * retry first takes the instances this launch already started (by their launch tag).
 */
export const handler = middy()
  .use(logged('launchSeats'))
  .use(taskInput(Input))
  .handler(async ({ class: plan, securityGroupId, batch }: z.infer<typeof Input>) => {
    const attempt = launchAttempt(batch);
    const { INSTANCE_PROFILE_NAME } = config();
    const order = spreadPlacements(plan.placements, batchNumber(batch.batchId));
    const waiting = batch.seats.filter((s) => s.phase === 'launching').map((s) => s.seatId);
    const launch = launchKey(plan.classId, batch.batchId, attempt, waiting);
    const launchedBefore = await instancesByTag(plan.region, { [TAG.launch]: launch });
    const place = (placement: (typeof order)[number], placementIndex: number, seatIds: string[]) =>
      launchInstances(
        plan.region,
        seatLaunchSpec(plan, {
          batchId: batch.batchId,
          attempt,
          placement,
          placementIndex,
          seatIds,
          launch,
          securityGroupId,
          instanceProfileName: INSTANCE_PROFILE_NAME,
        }),
      );
    return placeSeats(batch, order, place, launchedBefore);
  });
