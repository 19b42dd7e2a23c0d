/**
 * EventBridge Scheduler adapter: one-time schedules that start a class's next step, an execution
 * of the classroom state machine (a templated target: the machine's ARN, `Input` the execution's
 * input). They delete themselves once they have run; a class's schedules share a name prefix, so
 * they can be found, moved or cancelled.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  paginateListSchedules,
} from '@aws-sdk/client-scheduler';
import { schedulerClient } from './clients';

/**
 * Start `stateMachineArn` with `input` at `atExpression` (`at(yyyy-mm-ddThh:mm:ss)`, UTC).
 * Idempotent: a schedule of the same name already there is kept.
 */
export async function scheduleExecution(
  region: string,
  request: {
    name: string;
    atExpression: string;
    stateMachineArn: string;
    input: unknown;
    roleArn: string;
    description: string;
  },
): Promise<void> {
  try {
    await schedulerClient(region).send(
      new CreateScheduleCommand({
        Name: request.name,
        Description: request.description.slice(0, 512),
        ScheduleExpression: request.atExpression,
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: {
          Arn: request.stateMachineArn,
          RoleArn: request.roleArn,
          Input: JSON.stringify(request.input),
          RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
        },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConflictException)) throw error;
  }
}

export async function deleteSchedules(region: string, namePrefix: string): Promise<string[]> {
  const client = schedulerClient(region);
  const deleted: string[] = [];
  for await (const page of paginateListSchedules({ client }, { NamePrefix: namePrefix })) {
    for (const schedule of page.Schedules ?? []) {
      if (!schedule.Name) continue;
      await client.send(new DeleteScheduleCommand({ Name: schedule.Name }));
      deleted.push(schedule.Name);
    }
  }
  return deleted;
}
