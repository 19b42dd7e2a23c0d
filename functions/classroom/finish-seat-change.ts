import middy from '@middy/core';
import * as z from 'zod';
import { terminateSeats } from '../../layers/aws/class-teardown';
import { classBatches, classSeats, getClass, putSeats, saveClass } from '../../layers/aws/dynamodb';
import { instancesByTag } from '../../layers/aws/ec2';
import { finishedChange } from '../../layers/core/classroom/operations/seat-change-steps';
import {
  parseClassRecord,
  parseSeatRecords,
} from '../../layers/core/classroom/record/class-record';
import { seatRecordsOf } from '../../layers/core/classroom/record/seat-records';
import { BatchStateSchema } from '../../layers/core/classroom/seats/lifecycle';
import { batchEmails } from '../../layers/core/classroom/seats/poll';
import { TAG } from '../../layers/core/tags';
import { classStore } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  classId: z.string().min(1),
  change: z.string().min(1),
  emailed: z
    .array(
      z.object({
        sent: z.number(),
        problems: z.array(z.object({ seatId: z.string(), reason: z.string() })),
      }),
    )
    .optional(),
  failed: z
    .record(z.string(), z.object({ Error: z.string().optional(), Cause: z.string().optional() }))
    .optional(),
});

/**
 * The end of a seat change: recorded done with what was emailed (the seats of its batch go to the
 * class store as its poll left them), or failed with the step's cause — then every instance it
 * launched that no ready seat holds is terminated. The class's state comes back: a class that
 * stopped or ended meanwhile has the seats it brought up stopped next.
 */
export const handler = middy()
  .use(logged('finishSeatChange'))
  .use(taskInput(Input))
  .handler(async ({ classId, change, emailed, failed }: z.infer<typeof Input>) => {
    const store = classStore();
    const record = parseClassRecord(await getClass(store, classId));
    const seats = parseSeatRecords(await classSeats(store, classId));
    const stored = await classBatches(store, classId);
    const batch = stored.map((b) => BatchStateSchema.parse(b)).find((b) => b.batchId === change);
    const sent = [...(emailed ?? []), ...(batch ? [batchEmails(batch)] : [])];
    const settled = !failed && batch ? seatRecordsOf(batch, record.plan) : [];
    const result = finishedChange(record, [...seats, ...settled], change, {
      emailed: sent,
      failed,
    });
    const { region } = record.plan;
    if (result.failure) {
      const held = new Set(seats.filter((s) => s.state === 'ready').map((s) => s.instanceId));
      const launched = await instancesByTag(region, {
        [TAG.classroom]: classId,
        [TAG.batch]: change,
      });
      await terminateSeats(
        region,
        launched.filter((i) => !held.has(i.instanceId)),
      );
    }
    await putSeats(store, classId, result.record && !result.failure ? settled : result.items);
    if (result.record) await saveClass(store, result.record);
    return result.failure
      ? {
          state: 'failed',
          classState: record.state,
          error: 'SeatChangeFailed',
          cause: result.failure,
        }
      : { state: 'done', classState: record.state };
  });
