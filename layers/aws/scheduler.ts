/** EventBridge Scheduler adapter: one-time schedules that stop seats when a class ends. */
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  paginateListSchedules,
  ResourceNotFoundException,
} from '@aws-sdk/client-scheduler';
import type { FleetSchedule } from '../core/teardown/fleet';
import { schedulerClient } from './clients';

/** The universal target: the scheduler calls EC2 StopInstances itself, no Lambda in between. */
const STOP_INSTANCES = 'arn:aws:scheduler:::aws-sdk:ec2:stopInstances';

/**
 * Stop `instanceIds` at `atExpression` (`at(yyyy-mm-ddThh:mm:ss)`, UTC); the schedule deletes
 * itself once it has run. Idempotent: a schedule of the same name already there is kept.
 */
export async function scheduleStop(
  region: string,
  request: {
    name: string;
    atExpression: string;
    instanceIds: string[];
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
          Arn: STOP_INSTANCES,
          RoleArn: request.roleArn,
          Input: JSON.stringify({ InstanceIds: request.instanceIds }),
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

/** Names of the schedules (default group) whose names start with `namePrefix`. */
export async function scheduleNames(region: string, namePrefix: string): Promise<string[]> {
  const names: string[] = [];
  const pages = paginateListSchedules(
    { client: schedulerClient(region) },
    { NamePrefix: namePrefix },
  );
  for await (const page of pages)
    for (const s of page.Schedules ?? []) if (s.Name) names.push(s.Name);
  return names;
}

/** A schedule's role and the instances its target stops; undefined once it is gone. */
export async function describeSchedule(
  region: string,
  name: string,
): Promise<FleetSchedule | undefined> {
  try {
    const output = await schedulerClient(region).send(new GetScheduleCommand({ Name: name }));
    let instanceIds: string[] = [];
    try {
      const input = JSON.parse(output.Target?.Input ?? '{}') as { InstanceIds?: unknown };
      if (Array.isArray(input.InstanceIds)) instanceIds = input.InstanceIds.map(String);
    } catch {
      // A target input that is not JSON names no instance.
    }
    return { name, roleArn: output.Target?.RoleArn, instanceIds };
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/** Deletes one schedule; one already gone counts as deleted. */
export async function deleteSchedule(region: string, name: string): Promise<void> {
  try {
    await schedulerClient(region).send(new DeleteScheduleCommand({ Name: name }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
}
