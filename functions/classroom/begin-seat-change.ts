import middy from '@middy/core';
import { terminateSeats } from '../../layers/aws/class-teardown';
import {
  classBatches,
  classSeats,
  getClass,
  putBatches,
  putSeats,
} from '../../layers/aws/dynamodb';
import { describeInstances } from '../../layers/aws/ec2';
import { changeWork } from '../../layers/core/classroom/operations/seat-change-steps';
import {
  parseClassRecord,
  parseSeatRecords,
} from '../../layers/core/classroom/record/class-record';
import {
  type ChangeStepInput,
  ChangeStepInputSchema,
} from '../../layers/core/classroom/record/seat-changes';
import { FIRST_POLL_SECONDS } from '../../layers/core/classroom/seats/poll-bounds';
import { classStore } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

/**
 * The start of a seat change the API recorded: for seats to add or replace, the instance a seat
 * had is terminated, the seats are recorded pending and their batch (the change's id) goes to the
 * class store — kept as it is when a retry finds it there — for the launch and the class's poll;
 * for a resend, the student's roster line for the email step. A change the class has moved past
 * is refused with the reason (`kind: refused`), to be recorded failed.
 */
export const handler = middy()
  .use(logged('beginSeatChange'))
  .use(taskInput(ChangeStepInputSchema))
  .handler(async ({ classId, change }: ChangeStepInput) => {
    const store = classStore();
    const record = parseClassRecord(await getClass(store, classId));
    const seats = parseSeatRecords(await classSeats(store, classId));
    const work = changeWork(record, seats, change);
    const { plan } = record;
    if (work.kind === 'seat') {
      if (work.terminate.length)
        await terminateSeats(plan.region, await describeInstances(plan.region, work.terminate));
      await putSeats(store, classId, work.items);
      const stored = (await classBatches(store, classId)) as { batchId?: string }[];
      if (!stored.some((b) => b.batchId === work.batch.batchId))
        await putBatches(store, classId, [work.batch]);
      const seating = { rounds: 0, waitSeconds: FIRST_POLL_SECONDS };
      return {
        classId,
        change,
        kind: 'seat',
        class: plan,
        batches: [change],
        seating,
        emailed: [],
      };
    }
    if (work.kind === 'email')
      return { classId, change, kind: 'email', class: plan, batches: work.emails };
    if (work.kind === 'refused')
      return {
        classId,
        change,
        kind: 'refused',
        failed: { BeginSeatChange: { Error: 'ConflictError', Cause: work.reason } },
      };
    return { classId, change, kind: 'none' };
  });
