import middy from '@middy/core';
import * as z from 'zod';
import { putSeats } from '../../layers/aws/dynamodb';
import { ClassPlanSchema } from '../../layers/core/classroom/plan/class-plan';
import { seatRecordsOf } from '../../layers/core/classroom/record/seat-records';
import { batchRoster } from '../../layers/core/classroom/seats/batch-roster';
import { BatchStateSchema } from '../../layers/core/classroom/seats/lifecycle';
import { classStore } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ class: ClassPlanSchema, batch: BatchStateSchema });

/**
 * Once a batch is settled: its seats go to the class store (instances, students, links — what
 * later stops, starts and the retirement act on), and the batch's roster lines are all the Map
 * keeps.
 */
export const handler = middy()
  .use(logged('finishBatch'))
  .use(taskInput(Input))
  .handler(async ({ class: plan, batch }: z.infer<typeof Input>) => {
    await putSeats(classStore(), plan.classId, seatRecordsOf(batch, plan));
    return { batchId: batch.batchId, roster: batchRoster(batch, plan) };
  });
