import middy from '@middy/core';
import * as z from 'zod';
import { classSeats, getClass, saveClass } from '../../layers/aws/dynamodb';
import { scheduleExecution } from '../../layers/aws/scheduler';
import { ConfigError } from '../../layers/base/errors';
import { stepScheduleName } from '../../layers/core/classroom/plan/class-names';
import {
  parseClassRecord,
  parseSeatRecords,
} from '../../layers/core/classroom/record/class-record';
import { atExpression } from '../../layers/core/classroom/request/schedule';
import { budgetStopOf, budgetVerdict, budgetWatchStep } from '../../layers/core/cost/budget-watch';
import { now } from '../../layers/runtime/clock';
import { classStore, config, stackRegion } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ classId: z.string().min(1) });

/**
 * A ready class's budget: when its projected crossing (less the margin) has come, the budget stop
 * is recorded and `stop` returned (the machine then stops the seats and tells the instructor);
 * before, one self-deleting schedule looks again by then (`watch`). `none` without a budget.
 */
export const handler = middy()
  .use(logged('watchBudget'))
  .use(taskInput(Input))
  .handler(async ({ classId }: z.infer<typeof Input>) => {
    const store = classStore();
    const { CLASSROOM_STATE_MACHINE_ARN, SCHEDULER_ROLE_ARN } = config();
    if (!CLASSROOM_STATE_MACHINE_ARN)
      throw new ConfigError('no classroom state machine configured');
    const at = now();
    const record = parseClassRecord(await getClass(store, classId));
    const seats = parseSeatRecords(await classSeats(store, classId));
    const verdict = budgetVerdict(record, seats, at);
    if (verdict.kind === 'stop') {
      // A retry whose first attempt recorded the stop finds it there.
      if (!record.budgetStop)
        await saveClass(store, {
          ...record,
          budgetStop: budgetStopOf(record, verdict, at),
          budgetWatch: null,
        });
      return { budget: 'stop', classId };
    }
    if (verdict.kind === 'none') return { budget: 'none', why: verdict.why };
    const name = stepScheduleName(record.plan, budgetWatchStep(record.session, verdict.checkAt));
    await scheduleExecution(stackRegion(), {
      name,
      atExpression: atExpression(verdict.checkAt),
      stateMachineArn: CLASSROOM_STATE_MACHINE_ARN,
      input: { classId, step: 'budget', session: record.session },
      roleArn: SCHEDULER_ROLE_ARN,
      description: `bakehouse: budget of ${record.plan.name} (session ${record.session + 1})`,
    });
    const crossesAt = verdict.crossesAt?.toISOString() ?? null;
    await saveClass(store, {
      ...record,
      budgetWatch: { schedule: name, at: verdict.checkAt.toISOString(), crossesAt },
    });
    return { budget: 'watch', at: verdict.checkAt.toISOString(), crossesAt };
  });
