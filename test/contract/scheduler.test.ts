/**
 * The EventBridge Scheduler adapter against moto: the one-time schedule of a class's next step
 * that advanceClass creates, a retry that finds it there, and the clean-up that deletes a class's
 * schedules by prefix. moto never fires a schedule; what else it does not model is listed in ./moto.ts.
 */
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { expect, it } from 'vitest';
import { deleteSchedules, scheduleExecution } from '../../layers/aws/scheduler';
import { schedulePrefix, stepScheduleName } from '../../layers/core/classroom/plan/class-names';
import { atExpression } from '../../layers/core/classroom/request/schedule';
import { ACCOUNT, describeOnMoto, REGION, unique } from './moto';

const scheduler = () => new SchedulerClient({ region: REGION });
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/bakehouse-contract-scheduler`;
const endsAt = new Date('2027-03-02T11:00:00.000Z');

const MACHINE = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:bakehouse-contract-classroom`;

/** The request advanceClass makes for one step of a class. */
const stepRequest = (classId: string, step: string) => ({
  name: stepScheduleName({ classId }, step),
  atExpression: atExpression(endsAt),
  stateMachineArn: MACHINE,
  input: { classId, step: step.replace(/-\d+$/, ''), session: 0 },
  roleArn: ROLE_ARN,
  description: `bakehouse: ${step} intro-genomics`,
});

describeOnMoto('Scheduler adapter on moto', () => {
  it('creates a one-time schedule that starts the classroom machine with the step and deletes itself', async () => {
    // Prepare
    const request = stepRequest(unique('class'), 'stop-0');

    // Act
    await scheduleExecution(REGION, request);

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
        Arn: MACHINE,
        RoleArn: ROLE_ARN,
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
      },
    });
    expect(JSON.parse(schedule.Target?.Input ?? '{}')).toEqual(request.input);
  });

  it('a retried advanceClass keeps the schedule already there (ConflictException tolerated)', async () => {
    // Prepare
    const classId = unique('class');
    await scheduleExecution(REGION, stepRequest(classId, 'stop-0'));

    // Act
    const retry = scheduleExecution(REGION, {
      ...stepRequest(classId, 'stop-0'),
      input: { classId, step: 'stop', session: 1 },
    });

    // Assess
    await expect(retry).resolves.toBeUndefined();
    const schedule = await scheduler().send(
      new GetScheduleCommand({ Name: stepScheduleName({ classId }, 'stop-0') }),
    );
    expect(JSON.parse(schedule.Target?.Input ?? '{}')).toEqual({
      classId,
      step: 'stop',
      session: 0,
    });
  });

  it("deletes every schedule of a class by its prefix, and no other class's", async () => {
    // Prepare
    const classId = unique('class');
    const otherClass = unique('class');
    for (const step of ['stop-0', 'start-1', 'retire']) {
      await scheduleExecution(REGION, stepRequest(classId, step));
    }
    await scheduleExecution(REGION, stepRequest(otherClass, 'stop-0'));

    // Act
    const deleted = await deleteSchedules(REGION, schedulePrefix({ classId }));

    // Assess
    expect([...deleted].sort()).toEqual(
      ['retire', 'start-1', 'stop-0'].map((step) => stepScheduleName({ classId }, step)),
    );
    for (const name of deleted) {
      await expect(scheduler().send(new GetScheduleCommand({ Name: name }))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
      });
    }
    const kept = await scheduler().send(
      new GetScheduleCommand({ Name: stepScheduleName({ classId: otherClass }, 'stop-0') }),
    );
    expect(kept.Name).toBe(stepScheduleName({ classId: otherClass }, 'stop-0'));
    expect(await deleteSchedules(REGION, schedulePrefix({ classId }))).toEqual([]);
  });
});
