import middy from '@middy/core';
import { z } from 'zod';
import { seatPorts } from '../../layers/aws/seat-ports';
import { ClassPlanSchema } from '../../layers/core/classroom/plan/class-plan';
import { BatchStateSchema } from '../../layers/core/classroom/seats/lifecycle';
import { advanceBatch } from '../../layers/core/classroom/seats/poll';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ class: ClassPlanSchema, batch: BatchStateSchema });

/** One poll of a batch: boot → configure → readiness, for all its seats at once. */
export const handler = middy()
  .use(logged('advanceSeats'))
  .use(taskInput(Input))
  .handler(async ({ class: plan, batch }: z.infer<typeof Input>) =>
    advanceBatch(batch, seatPorts(plan, batch.batchId)),
  );
