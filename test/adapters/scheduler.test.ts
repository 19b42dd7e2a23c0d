import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ListSchedulesCommand,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { deleteSchedules, scheduleStop } from '../../layers/aws/scheduler';

const scheduler = mockClient(SchedulerClient);

beforeEach(() => {
  scheduler.reset();
});

const request = {
  name: 'bakehouse-0123-b00',
  atExpression: 'at(2027-03-02T11:00:00)',
  instanceIds: ['i-1', 'i-2'],
  roleArn: 'arn:aws:iam::1:role/s',
  description: 'stop',
};

describe('scheduleStop', () => {
  it('creates a one-time, self-deleting schedule that calls EC2 StopInstances directly', async () => {
    await scheduleStop('us-east-1', request);

    expect(scheduler).toHaveReceivedCommandWith(CreateScheduleCommand, {
      Name: 'bakehouse-0123-b00',
      ScheduleExpression: 'at(2027-03-02T11:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: expect.objectContaining({
        Arn: 'arn:aws:scheduler:::aws-sdk:ec2:stopInstances',
        RoleArn: 'arn:aws:iam::1:role/s',
        Input: JSON.stringify({ InstanceIds: ['i-1', 'i-2'] }),
      }),
    });
  });

  it('keeps a schedule a first attempt already created', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ $metadata: {}, message: 'exists', Message: 'exists' }));

    await expect(scheduleStop('us-east-1', request)).resolves.toBeUndefined();
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
