import middy from '@middy/core';
import { z } from 'zod';
import { seatPorts } from '../../layers/aws/seat-ports';
import { ClassPlanSchema } from '../../layers/core/classroom/class-plan';
import { advanceBatch } from '../../layers/core/classroom/seat-poll';
import { BatchStateSchema } from '../../layers/core/classroom/seats';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ class: ClassPlanSchema, batch: BatchStateSchema });

/** One poll of a batch: boot → configure → readiness, for all its seats at once. */
export const handler = middy()
  .use(logged('advanceSeats'))
  .use(taskInput(Input))
  .handler(async ({ class: plan, batch }: z.infer<typeof Input>) =>
    advanceBatch(batch, seatPorts(plan, batch.batchId)),
  );
