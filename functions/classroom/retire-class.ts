import middy from '@middy/core';
import * as z from 'zod';
import { tearDownClass } from '../../layers/aws/class-teardown';
import { classSeats, getClass, putSeats, saveClass } from '../../layers/aws/dynamodb';
import { ResourceInUseError } from '../../layers/base/errors';
import { schedulePrefix, seatNames } from '../../layers/core/classroom/plan/class-names';
import {
  parseClassRecord,
  parseSeatRecords,
} from '../../layers/core/classroom/record/class-record';
import { moved } from '../../layers/core/classroom/record/transitions';
import { TAG } from '../../layers/core/tags';
import { now } from '../../layers/runtime/clock';
import { classStore } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ classId: z.string().min(1) });

/**
 * The end of retention: every seat is terminated (its volume, and the students' work, go with
 * it), the credentials and any schedule left are deleted, and so is the security group; the
 * seats and the class are recorded as gone. The class moves to deleted before anything is
 * terminated, so no other operation can start a seat that is going. A group still held by
 * seats that are terminating is a ResourceInUseError: the machine runs the retirement again later.
 */
export const handler = middy()
  .use(logged('retireClass'))
  .use(taskInput(Input))
  .handler(async ({ classId }: z.infer<typeof Input>) => {
    const store = classStore();
    const record = parseClassRecord(await getClass(store, classId));
    // The move comes first: no start can race the termination.
    if (record.state !== 'deleted')
      await saveClass(store, {
        ...moved(record, 'deleted', { at: now(), step: 'retire', note: 'retention over' }),
        next: null,
      });
    const { terminated, removed } = await tearDownClass(record.plan.region, {
      classTag: { [TAG.classroom]: classId },
      parameterPath: record.plan.parameterPath,
      schedulePrefix: schedulePrefix({ classId }),
      dns: seatNames(record.plan),
    });
    const seats = parseSeatRecords(await classSeats(store, classId));
    await putSeats(
      store,
      classId,
      seats.filter((s) => s.instanceId).map((s) => ({ ...s, state: 'terminated' as const })),
    );
    const held = removed.filter((r) => r.includes('still held'));
    if (held.length) throw new ResourceInUseError(`not deleted yet: ${held.join(', ')}`);
    // The delete that started this step, if one did, is done.
    const after = parseClassRecord(await getClass(store, classId));
    if (after.operation) await saveClass(store, { ...after, operation: null });
    return { state: 'deleted', terminated: terminated.length, removed };
  });
