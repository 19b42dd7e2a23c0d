import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ListSchedulesCommand,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { deleteSchedules, scheduleExecution } from '../../layers/aws/scheduler';

const scheduler = mockClient(SchedulerClient);

beforeEach(() => {
  scheduler.reset();
});

const MACHINE = 'arn:aws:states:us-east-1:1:stateMachine:bakehouse-dev-classroom';
const request = {
  name: 'bakehouse-0123-stop-0',
  atExpression: 'at(2027-03-02T11:00:00)',
  stateMachineArn: MACHINE,
  input: { classId: 'class-1', step: 'stop', session: 0 },
  roleArn: 'arn:aws:iam::1:role/s',
  description: 'stop',
};

describe('scheduleExecution', () => {
  it('creates a one-time, self-deleting schedule that starts the state machine with the step', async () => {
    await scheduleExecution('us-east-1', request);

    expect(scheduler).toHaveReceivedCommandWith(CreateScheduleCommand, {
      Name: 'bakehouse-0123-stop-0',
      ScheduleExpression: 'at(2027-03-02T11:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: expect.objectContaining({
        Arn: MACHINE,
        RoleArn: 'arn:aws:iam::1:role/s',
        Input: JSON.stringify({ classId: 'class-1', step: 'stop', session: 0 }),
      }),
    });
  });

  it('keeps a schedule a first attempt already created', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ $metadata: {}, message: 'exists', Message: 'exists' }));

    await expect(scheduleExecution('us-east-1', request)).resolves.toBeUndefined();
  });
});

describe('deleteSchedules', () => {
  it('deletes every schedule under the prefix, across pages', async () => {
    scheduler
      .on(ListSchedulesCommand)
      .resolvesOnce({ Schedules: [{ Name: 'p-b00' }], NextToken: 'n' })
      .resolvesOnce({ Schedules: [{ Name: 'p-b01' }] });

    expect(await deleteSchedules('us-east-1', 'p-')).toEqual(['p-b00', 'p-b01']);
    expect(scheduler).toHaveReceivedCommandTimes(DeleteScheduleCommand, 2);
    expect(scheduler).toHaveReceivedNthCommandWith(ListSchedulesCommand, 1, { NamePrefix: 'p-' });
  });
});
