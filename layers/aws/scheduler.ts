/**
 * EventBridge Scheduler adapter: one-time schedules that start a class's next step, an execution
 * of the classroom state machine (a templated target: the machine's ARN, `Input` the execution's
 * input), or invoke a function (the teardown on request). They delete themselves once they have
 * run; a class's schedules share a name prefix, so they can be found, moved or cancelled.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  paginateListSchedules,
  ResourceNotFoundException,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { FleetSchedule } from '../core/teardown/fleet';
import { schedulerClient } from './clients';

/** A one-time schedule: at `atExpression` (`at(yyyy-mm-ddThh:mm:ss)`, UTC) it sends `input` to its target. */
interface OneTimeSchedule {
  name: string;
  atExpression: string;
  input: unknown;
  roleArn: string;
  description: string;
}

/** A schedule that starts an execution of `stateMachineArn`. */
export interface ExecutionSchedule extends OneTimeSchedule {
  stateMachineArn: string;
}

/** A schedule that invokes the Lambda function `functionArn`. */
export interface InvocationSchedule extends OneTimeSchedule {
  functionArn: string;
}

const definition = (request: OneTimeSchedule, targetArn: string) => ({
  Name: request.name,
  Description: request.description.slice(0, 512),
  ScheduleExpression: request.atExpression,
  ScheduleExpressionTimezone: 'UTC',
  FlexibleTimeWindow: { Mode: 'OFF' as const },
  ActionAfterCompletion: 'DELETE' as const,
  Target: {
    Arn: targetArn,
    RoleArn: request.roleArn,
    Input: JSON.stringify(request.input),
    RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
  },
});

/** Creates the schedule; one of the same name already there is kept. */
async function createOnce(region: string, request: OneTimeSchedule, targetArn: string) {
  try {
    await schedulerClient(region).send(new CreateScheduleCommand(definition(request, targetArn)));
  } catch (error) {
    if (!(error instanceof ConflictException)) throw error;
  }
}

/** Start `stateMachineArn` with `input` at `atExpression`. Idempotent: a schedule of the same name already there is kept. */
export async function scheduleExecution(region: string, request: ExecutionSchedule): Promise<void> {
  await createOnce(region, request, request.stateMachineArn);
}

/** Invoke the Lambda function `functionArn` with `input` at `atExpression`, as scheduleExecution. */
export async function scheduleInvocation(
  region: string,
  request: InvocationSchedule,
): Promise<void> {
  await createOnce(region, request, request.functionArn);
}

/**
 * The schedule `request.name` made to fire at `request.atExpression`: created, or — when it
 * exists — replaced in one UpdateSchedule (which sets the whole definition), so the class is
 * never without it.
 */
export async function moveSchedule(region: string, request: ExecutionSchedule): Promise<void> {
  try {
    await schedulerClient(region).send(
      new CreateScheduleCommand(definition(request, request.stateMachineArn)),
    );
  } catch (error) {
    if (!(error instanceof ConflictException)) throw error;
    await schedulerClient(region).send(
      new UpdateScheduleCommand(definition(request, request.stateMachineArn)),
    );
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

/**
 * A schedule's role, the instances its target stops and the class whose step it starts;
 * undefined once it is gone.
 */
export async function describeSchedule(
  region: string,
  name: string,
): Promise<FleetSchedule | undefined> {
  try {
    const output = await schedulerClient(region).send(new GetScheduleCommand({ Name: name }));
    let instanceIds: string[] = [];
    let classId: string | undefined;
    try {
      const input = JSON.parse(output.Target?.Input ?? '{}') as {
        InstanceIds?: unknown;
        classId?: unknown;
      };
      if (Array.isArray(input.InstanceIds)) instanceIds = input.InstanceIds.map(String);
      if (typeof input.classId === 'string' && input.classId) classId = input.classId;
    } catch {
      // A target input that is not JSON names no instance and no class.
    }
    return { name, roleArn: output.Target?.RoleArn, instanceIds, ...(classId ? { classId } : {}) };
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
