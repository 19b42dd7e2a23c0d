import middy from '@middy/core';
import * as z from 'zod';
import { getClass, saveClass } from '../../layers/aws/dynamodb';
import { scheduleExecution } from '../../layers/aws/scheduler';
import { ConfigError } from '../../layers/base/errors';
import { stepScheduleName } from '../../layers/core/classroom/plan/class-names';
import {
  ClassStateSchema,
  parseClassRecord,
} from '../../layers/core/classroom/record/class-record';
import { nextStep, scheduledAt } from '../../layers/core/classroom/record/steps';
import { moved } from '../../layers/core/classroom/record/transitions';
import { atExpression } from '../../layers/core/classroom/request/schedule';
import { now } from '../../layers/runtime/clock';
import { classStore, config, stackRegion } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  classId: z.string().min(1),
  /** The state the class has reached, if this step moves it (`ready` after seating). */
  to: ClassStateSchema.optional(),
  /**
   * `ready`: while the class is seating, the step that follows its being ready (its session's
   * stop) is scheduled now, before any student is written to; the class does not move. For a
   * class that is not seating (a change of seats) nothing is done.
   */
  ahead: z.literal('ready').optional(),
  step: z.string().min(1),
});

/**
 * Moves the class to the state it has reached (if any) and schedules the step that follows:
 * one self-deleting schedule that starts the classroom machine with `{ classId, step, session }`.
 * A retirement already due runs at once instead (`runNow`), with no schedule; another step
 * already due is scheduled a minute from now. The operation that started the step, if any, is
 * done: it is cleared. With `ahead`, a seating class's stop is scheduled before its students are
 * emailed, so a class whose stop cannot be scheduled fails before anyone holds a link to it.
 */
export const handler = middy()
  .use(logged('advanceClass'))
  .use(taskInput(Input))
  .handler(async ({ classId, to, ahead, step }: z.infer<typeof Input>) => {
    const store = classStore();
    const { CLASSROOM_STATE_MACHINE_ARN, SCHEDULER_ROLE_ARN } = config();
    if (!CLASSROOM_STATE_MACHINE_ARN)
      throw new ConfigError('no classroom state machine configured');
    const at = now();
    const read = parseClassRecord(await getClass(store, classId));
    if (ahead && read.state !== 'seating') return { state: read.state, next: null, runNow: 'none' };
    const record = to && read.state !== to ? moved(read, to, { at, step }) : read;
    const next = nextStep(ahead ? { ...record, state: ahead } : record, at);
    const when = next ? scheduledAt(next, at) : null;
    if (next && when instanceof Date) {
      const name = stepScheduleName(record.plan, next.name);
      // Scheduled ahead (ScheduleSessionStop) for the same time: the schedule is there already.
      const made = read.next?.schedule === name && read.next.at === when.toISOString();
      if (!made)
        await scheduleExecution(stackRegion(), {
          name,
          atExpression: atExpression(when),
          stateMachineArn: CLASSROOM_STATE_MACHINE_ARN,
          input: { classId, step: next.step, session: next.session },
          roleArn: SCHEDULER_ROLE_ARN,
          description: `bakehouse: ${next.step} ${record.plan.name} (session ${next.session + 1})`,
        });
      await saveClass(store, {
        ...record,
        next: { step: next.step, schedule: name, at: when.toISOString() },
        operation: null,
      });
    } else if (record !== read || read.next || read.operation) {
      await saveClass(store, { ...record, next: null, operation: null });
    }
    return {
      state: record.state,
      next: next ? { step: next.step, session: next.session, at: next.at.toISOString() } : null,
      runNow: when === 'now' ? next?.step : 'none',
    };
  });
