import middy from '@middy/core';
import { z } from 'zod';
import { scheduleStop } from '../../layers/aws/scheduler';
import { stopScheduleName } from '../../layers/core/classroom/plan/class-names';
import { ClassPlanSchema } from '../../layers/core/classroom/plan/class-plan';
import { atExpression } from '../../layers/core/classroom/request/schedule';
import { batchRoster } from '../../layers/core/classroom/seats/batch-roster';
import { BatchStateSchema, readyInstanceIds } from '../../layers/core/classroom/seats/lifecycle';
import { config } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ class: ClassPlanSchema, batch: BatchStateSchema });

/**
 * Once a batch is settled: schedule its ready seats to stop when the class ends (EventBridge
 * Scheduler calls EC2 itself), and hand back the batch's roster lines — all the Map keeps.
 */
export const handler = middy()
  .use(logged('scheduleSeatsStop'))
  .use(taskInput(Input))
  .handler(async ({ class: plan, batch }: z.infer<typeof Input>) => {
    const instanceIds = readyInstanceIds(batch);
    if (instanceIds.length) {
      await scheduleStop(plan.region, {
        name: stopScheduleName(plan, batch.batchId),
        atExpression: atExpression(new Date(plan.schedule.endsAt)),
        instanceIds,
        roleArn: config().SCHEDULER_ROLE_ARN,
        description: `bakehouse: stop ${plan.name} (${batch.batchId}) at the end of class`,
      });
    }
    return { batchId: batch.batchId, roster: batchRoster(batch, plan) };
  });
