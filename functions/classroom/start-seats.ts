import middy from '@middy/core';
import * as z from 'zod';
import { classSeats, getClass, putSeats, saveClass } from '../../layers/aws/dynamodb';
import { instancesByTag } from '../../layers/aws/ec2';
import { startEach } from '../../layers/aws/ec2-power';
import { ResourceInUseError } from '../../layers/base/errors';
import {
  parseClassRecord,
  parseSeatRecords,
} from '../../layers/core/classroom/record/class-record';
import {
  afterStart,
  seatsToStart,
  stillStopping,
} from '../../layers/core/classroom/record/restart';
import { moved } from '../../layers/core/classroom/record/transitions';
import { TAG } from '../../layers/core/tags';
import { now } from '../../layers/runtime/clock';
import { classStore } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ classId: z.string().min(1), session: z.number().int().nonnegative() });

/**
 * The lead time before a later session: the class moves to seating (so no other operation can
 * start it twice), and its stopped seats are started; a seat EC2 refuses is recorded as failed.
 * Seats stopped a moment ago (stop now, then start now) may still be stopping: the step is then
 * a ResourceInUseError, which the machine retries once they have had time to stop.
 */
export const handler = middy()
  .use(logged('startSeats'))
  .use(taskInput(Input))
  .handler(async ({ classId, session }: z.infer<typeof Input>) => {
    const store = classStore();
    const record = parseClassRecord(await getClass(store, classId));
    // A retry whose first attempt already moved the class finds it seating this session.
    if (!(record.state === 'seating' && record.session === session))
      await saveClass(store, {
        ...moved(record, 'seating', { at: now(), step: 'start', note: `session ${session + 1}` }),
        session,
        next: null,
      });
    const seats = parseSeatRecords(await classSeats(store, classId));
    const toStart = seatsToStart(seats).map((s) => s.instanceId);
    const classTag = { [TAG.classroom]: classId };
    const stopping = stillStopping(
      seats,
      await instancesByTag(record.plan.region, classTag, ['stopping']),
    );
    if (stopping.length)
      throw new ResourceInUseError(
        `${stopping.length} seat(s) still stopping: ${stopping.join(', ')}`,
      );
    const outcome = await startEach(record.plan.region, toStart);
    await putSeats(store, classId, afterStart(seats, outcome.refused));
    return { class: record.plan, rounds: 0, settled: false, relinked: [] };
  });
