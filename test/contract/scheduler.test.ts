/**
 * The EventBridge Scheduler adapter against moto: the one-time stop schedule ScheduleSeatsStop
 * creates, a retry that finds it there, and the clean-up that deletes a class's schedules by
 * prefix. moto never fires a schedule; what else it does not model is listed in ./moto.ts.
 */
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { expect, it } from 'vitest';
import { deleteSchedules, scheduleStop } from '../../layers/aws/scheduler';
import { stopScheduleName, stopSchedulePrefix } from '../../layers/core/classroom/plan/class-names';
import { atExpression } from '../../layers/core/classroom/request/schedule';
import { ACCOUNT, describeOnMoto, REGION, unique } from './moto';

const scheduler = () => new SchedulerClient({ region: REGION });
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/bakehouse-contract-scheduler`;
const endsAt = new Date('2027-03-02T11:00:00.000Z');

/** The request ScheduleSeatsStop makes for one batch of a class. */
const stopRequest = (classId: string, batchId: string, instanceIds: string[]) => ({
  name: stopScheduleName({ classId }, batchId),
  atExpression: atExpression(endsAt),
  instanceIds,
  roleArn: ROLE_ARN,
  description: `bakehouse: stop intro-genomics (${batchId}) at the end of class`,
});

describeOnMoto('Scheduler adapter on moto', () => {
  it('creates a one-time stop schedule that calls EC2 StopInstances on the batch and deletes itself', async () => {
    // Prepare
    const request = stopRequest(unique('class'), 'b00', [
      'i-0a1b2c3d4e5f60718',
      'i-0f0e0d0c0b0a09081',
    ]);

    // Act
    await scheduleStop(REGION, request);

    // Assess
    const schedule = await scheduler().send(new GetScheduleCommand({ Name: request.name }));
    expect(request.name.length).toBeLessThanOrEqual(64);
    expect(schedule).toMatchObject({
      Name: request.name,
      GroupName: 'default',
      State: 'ENABLED',
      ScheduleExpression: 'at(2027-03-02T11:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: 'arn:aws:scheduler:::aws-sdk:ec2:stopInstances',
        RoleArn: ROLE_ARN,
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
      },
    });
    expect(JSON.parse(schedule.Target?.Input ?? '{}')).toEqual({
      InstanceIds: request.instanceIds,
    });
  });

  it('a retried ScheduleSeatsStop keeps the schedule already there (ConflictException tolerated)', async () => {
    // Prepare
    const classId = unique('class');
    await scheduleStop(REGION, stopRequest(classId, 'b00', ['i-0a1b2c3d4e5f60718']));

    // Act
    const retry = scheduleStop(REGION, stopRequest(classId, 'b00', ['i-0f0e0d0c0b0a09081']));

    // Assess
    await expect(retry).resolves.toBeUndefined();
    const schedule = await scheduler().send(
      new GetScheduleCommand({ Name: stopScheduleName({ classId }, 'b00') }),
    );
    expect(JSON.parse(schedule.Target?.Input ?? '{}')).toEqual({
      InstanceIds: ['i-0a1b2c3d4e5f60718'],
    });
  });

  it("deletes every stop schedule of a class by its prefix, and no other class's", async () => {
    // Prepare
    const classId = unique('class');
    const otherClass = unique('class');
    for (const batchId of ['b00', 'b01', 'b02']) {
      await scheduleStop(REGION, stopRequest(classId, batchId, ['i-0a1b2c3d4e5f60718']));
    }
    await scheduleStop(REGION, stopRequest(otherClass, 'b00', ['i-0a1b2c3d4e5f60718']));

    // Act
    const deleted = await deleteSchedules(REGION, stopSchedulePrefix({ classId }));

    // Assess
    expect([...deleted].sort()).toEqual(
      ['b00', 'b01', 'b02'].map((batchId) => stopScheduleName({ classId }, batchId)),
    );
    for (const name of deleted) {
      await expect(scheduler().send(new GetScheduleCommand({ Name: name }))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
      });
    }
    const kept = await scheduler().send(
      new GetScheduleCommand({ Name: stopScheduleName({ classId: otherClass }, 'b00') }),
    );
    expect(kept.Name).toBe(stopScheduleName({ classId: otherClass }, 'b00'));
    expect(await deleteSchedules(REGION, stopSchedulePrefix({ classId }))).toEqual([]);
  });
});
