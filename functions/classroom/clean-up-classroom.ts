import middy from '@middy/core';
import * as z from 'zod';
import { tearDownClass } from '../../layers/aws/class-teardown';
import { getClass, saveClass } from '../../layers/aws/dynamodb';
import { NotFoundError } from '../../layers/base/errors';
import { schedulePrefix, seatNames } from '../../layers/core/classroom/plan/class-names';
import { classParameterPath } from '../../layers/core/classroom/plan/parameter-paths';
import { parseClassRecord } from '../../layers/core/classroom/record/class-record';
import { canMove, moved } from '../../layers/core/classroom/record/transitions';
import { FailureSchema, failureOutcome } from '../../layers/core/failure';
import { TAG } from '../../layers/core/tags';
import { now } from '../../layers/runtime/clock';
import { classStore, config } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ region: z.string(), classId: z.string(), failed: FailureSchema });

/** The class record says failed, and why (a class the store does not know is left alone). */
async function recordFailure(classId: string, failed: z.infer<typeof FailureSchema>) {
  const store = classStore();
  try {
    const record = parseClassRecord(await getClass(store, classId));
    if (!canMove(record.state, 'failed')) return;
    const note = Object.entries(failed)
      .map(([step, f]) => `${step}: ${f.Error}`)
      .join('; ');
    await saveClass(store, {
      ...moved(record, 'failed', { at: now(), step: 'clean-up', note }),
      next: null,
    });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}

/** The seat names of a stored class (a class never stored named no seat). */
async function storedSeatNames(classId: string) {
  try {
    return seatNames(parseClassRecord(await getClass(classStore(), classId)).plan);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/**
 * The Catch path of the classroom: every seat of the class is found by tag and terminated (the
 * spot requests of spot seats cancelled first, so none is launched again), its credentials,
 * schedules, seat names and Elastic IPs deleted, and its security group deleted (or left, and named so,
 * while terminating instances still hold it); the class record says failed.
 */
export const handler = middy()
  .use(logged('cleanUpClassroom'))
  .use(taskInput(Input))
  .handler(async ({ region, classId, failed }: z.infer<typeof Input>) => {
    const { terminated, removed } = await tearDownClass(region, {
      classTag: { [TAG.classroom]: classId },
      parameterPath: classParameterPath(config().PARAMETER_PREFIX, classId),
      schedulePrefix: schedulePrefix({ classId }),
      dns: await storedSeatNames(classId),
    });
    await recordFailure(classId, failed);
    return failureOutcome(failed, [...terminated, ...removed]);
  });
