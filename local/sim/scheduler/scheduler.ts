/**
 * EventBridge Scheduler: one-time `at(...)` schedules whose universal target (e.g.
 * `arn:aws:scheduler:::aws-sdk:ec2:stopInstances`) runs against the simulated services when the
 * schedule is due. A templated Step Functions target (the state machine's ARN, `Input` the
 * execution's input) becomes `SFN:StartExecution`, served by whoever registered 'SFN' (the local
 * runner), as a Lambda target (a function's ARN) becomes `Lambda:Invoke`. Due schedules fire whenever the simulated cloud is observed (any API call or
 * snapshot) or through `fireDue()`. Recurring rate()/cron() schedules are stored but never fire.
 * Schedule groups are not modelled: every group name is accepted.
 */
import {
  ConflictException,
  type CreateScheduleInput,
  type CreateScheduleOutput,
  type DeleteScheduleInput,
  type GetScheduleInput,
  type GetScheduleOutput,
  type ListSchedulesInput,
  type ListSchedulesOutput,
  ResourceNotFoundException,
  type UpdateScheduleInput,
  type UpdateScheduleOutput,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { describeError } from '../../../layers/base/errors';
import type { SimClock } from '../kernel/clock';
import { fault } from '../kernel/errors';
import type { EventLog } from '../kernel/events';
import { operation, type Router } from '../kernel/transport';
import { isValidTimeZone, parseExpression } from './schedule-time';

interface SimSchedule {
  input: CreateScheduleInput;
  name: string;
  group: string;
  /** Scheduler is regional: the region of the client that made it, and only its clients see it. */
  region: string;
  arn: string;
  fireAt?: number;
  createdAt: number;
  modifiedAt: number;
}

export interface ScheduleSnapshot {
  name: string;
  group: string;
  expression: string;
  /** Simulated epoch ms of the next firing; absent once fired or for recurring schedules. */
  fireAt?: number;
  input?: string;
}

export interface FiredSchedule {
  name: string;
  group: string;
  target: string;
  at: number;
  error?: string;
}

const NAME = /^[0-9a-zA-Z-_.]{1,64}$/;
const UNIVERSAL = /^arn:aws:scheduler:::aws-sdk:([a-z0-9]+):([a-zA-Z0-9]+)$/;
const SERVICES: Record<string, string> = { ec2: 'EC2', ssm: 'SSM', sesv2: 'SESv2' };
const STATE_MACHINE = /^arn:aws:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]+$/;
const LAMBDA = /^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+$/;

/** The simulated call a target makes: service, action and its input. */
function targetCall(arn: string, input: string | undefined): [string, string, object] | undefined {
  if (STATE_MACHINE.test(arn))
    return ['SFN', 'StartExecution', { stateMachineArn: arn, input: input ?? '{}' }];
  if (LAMBDA.test(arn)) return ['Lambda', 'Invoke', { FunctionName: arn, Payload: input ?? '{}' }];
  const universal = UNIVERSAL.exec(arn);
  const service = universal ? SERVICES[universal[1] ?? ''] : undefined;
  if (!universal?.[2] || !service) return undefined;
  const action = universal[2].charAt(0).toUpperCase() + universal[2].slice(1);
  return [service, action, JSON.parse(input ?? '{}')];
}

const invalid = (message: string) => fault(ValidationException, message);

export class SimulatedScheduler {
  readonly fired: FiredSchedule[] = [];
  private readonly schedules = new Map<string, SimSchedule>();

  constructor(
    private readonly clock: SimClock,
    private readonly router: Router,
    private readonly events: EventLog,
    private readonly region: string,
    private readonly account: string,
  ) {}

  /** Run every enabled schedule that is due; returns what fired now. */
  fireDue(): FiredSchedule[] {
    const now = this.clock.now();
    const due = [...this.schedules.values()]
      .filter((s) => s.fireAt !== undefined && s.fireAt <= now && s.input.State !== 'DISABLED')
      .sort((a, b) => (a.fireAt ?? 0) - (b.fireAt ?? 0));
    return due.map((schedule) => {
      schedule.fireAt = undefined;
      if (schedule.input.ActionAfterCompletion === 'DELETE')
        this.schedules.delete(this.key(schedule.region, schedule.group, schedule.name));
      const fired = this.invoke(schedule, now);
      this.fired.push(fired);
      this.events.record(
        'Scheduler',
        `${schedule.name} fired ${fired.target}${fired.error ? ` (failed: ${fired.error})` : ''}`,
      );
      return fired;
    });
  }

  schedulesNow(): ScheduleSnapshot[] {
    return [...this.schedules.values()].map((s) => ({
      name: s.name,
      group: s.group,
      expression: s.input.ScheduleExpression ?? '',
      fireAt: s.fireAt,
      input: s.input.Target?.Input,
    }));
  }

  private invoke(schedule: SimSchedule, now: number): FiredSchedule {
    const arn = schedule.input.Target?.Arn ?? '';
    const fired = { name: schedule.name, group: schedule.group, target: arn, at: now };
    try {
      const call = targetCall(arn, schedule.input.Target?.Input);
      if (!call) return { ...fired, error: `target ${arn} is not simulated` };
      const result = this.router.internal(...call);
      if (result instanceof Promise)
        result.catch((e) =>
          this.events.record('Scheduler', `${schedule.name}: ${describeError(e)}`),
        );
      return fired;
    } catch (error) {
      return { ...fired, error: describeError(error) };
    }
  }

  private key(region: string, group: string, name: string): string {
    return `${region} ${group}/${name}`;
  }

  private find(
    name: string | undefined,
    group: string | undefined,
    region = this.region,
  ): SimSchedule {
    const found = this.schedules.get(this.key(region, group ?? 'default', name ?? ''));
    if (!found) throw fault(ResourceNotFoundException, `Schedule ${name} does not exist.`, 404);
    return found;
  }

  private validated(
    input: CreateScheduleInput,
    region = this.region,
  ): Omit<SimSchedule, 'createdAt' | 'modifiedAt'> {
    const name = input.Name ?? '';
    if (!NAME.test(name))
      throw invalid(
        `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9a-zA-Z-_.]+`,
      );
    const group = input.GroupName ?? 'default';
    const zone = input.ScheduleExpressionTimezone ?? 'UTC';
    if (!isValidTimeZone(zone)) throw invalid(`Invalid ScheduleExpressionTimezone ${zone}.`);
    const parsed = parseExpression(input.ScheduleExpression ?? '', zone);
    if (!parsed) throw invalid(`Invalid Schedule Expression ${input.ScheduleExpression}.`);
    const mode = input.FlexibleTimeWindow?.Mode;
    if (mode !== 'OFF' && mode !== 'FLEXIBLE')
      throw invalid(
        "1 validation error detected: Value null at 'flexibleTimeWindow.mode' failed to satisfy constraint: Member must not be null",
      );
    if (mode === 'FLEXIBLE' && !input.FlexibleTimeWindow?.MaximumWindowInMinutes) {
      throw invalid('MaximumWindowInMinutes is required when FlexibleTimeWindow mode is FLEXIBLE.');
    }
    const target = input.Target;
    if (!target?.Arn || !target.RoleArn) throw invalid('Target Arn and RoleArn are required.');
    // A templated target (a state machine, a function) is in the schedule's own region.
    const targetRegion = /^arn:aws:(?:states|lambda):([a-z0-9-]+):/.exec(target.Arn)?.[1];
    if (targetRegion !== undefined && targetRegion !== region)
      throw invalid(
        `Target ${target.Arn} is in ${targetRegion}: it must be in the schedule's Region, ${region}.`,
      );
    if (UNIVERSAL.test(target.Arn) && target.Input !== undefined) {
      try {
        JSON.parse(target.Input);
      } catch {
        throw invalid(
          'Invalid request provided: Target Input must be valid JSON for a universal target.',
        );
      }
    }
    return {
      input: structuredClone(input),
      name,
      group,
      region,
      arn: `arn:aws:scheduler:${region}:${this.account}:schedule/${group}/${name}`,
      fireAt: parsed.kind === 'at' ? parsed.at : undefined,
    };
  }

  operations() {
    return {
      CreateSchedule: operation((input: CreateScheduleInput, { region }): CreateScheduleOutput => {
        const schedule = this.validated(input, region);
        const key = this.key(schedule.region, schedule.group, schedule.name);
        if (this.schedules.has(key))
          throw fault(ConflictException, `Schedule ${schedule.name} already exists.`, 409);
        const now = this.clock.now();
        this.schedules.set(key, { ...schedule, createdAt: now, modifiedAt: now });
        this.events.record(
          'Scheduler',
          `${schedule.name} created: ${input.ScheduleExpression} ${input.ScheduleExpressionTimezone ?? 'UTC'}`,
        );
        return { ScheduleArn: schedule.arn };
      }),

      UpdateSchedule: operation((input: UpdateScheduleInput, { region }): UpdateScheduleOutput => {
        const existing = this.find(input.Name, input.GroupName, region);
        const schedule = this.validated(input, region);
        this.schedules.set(this.key(schedule.region, schedule.group, schedule.name), {
          ...schedule,
          createdAt: existing.createdAt,
          modifiedAt: this.clock.now(),
        });
        return { ScheduleArn: schedule.arn };
      }),

      GetSchedule: operation((input: GetScheduleInput, { region }): GetScheduleOutput => {
        const s = structuredClone(this.find(input.Name, input.GroupName, region));
        return {
          Arn: s.arn,
          Name: s.name,
          GroupName: s.group,
          ScheduleExpression: s.input.ScheduleExpression,
          ScheduleExpressionTimezone: s.input.ScheduleExpressionTimezone ?? 'UTC',
          Description: s.input.Description,
          State: s.input.State ?? 'ENABLED',
          Target: s.input.Target,
          FlexibleTimeWindow: s.input.FlexibleTimeWindow,
          ActionAfterCompletion: s.input.ActionAfterCompletion ?? 'NONE',
          StartDate: s.input.StartDate,
          EndDate: s.input.EndDate,
          CreationDate: new Date(s.createdAt),
          LastModificationDate: new Date(s.modifiedAt),
        };
      }),

      DeleteSchedule: operation((input: DeleteScheduleInput, { region }) => {
        const s = this.find(input.Name, input.GroupName, region);
        this.schedules.delete(this.key(s.region, s.group, s.name));
        this.events.record('Scheduler', `${s.name} deleted`);
        return {};
      }),

      ListSchedules: operation(
        (input: ListSchedulesInput, { region = this.region }): ListSchedulesOutput => {
          const max = input.MaxResults ?? 100;
          if (max < 1 || max > 100)
            throw invalid(
              `Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100`,
            );
          const matching = [...this.schedules.values()]
            .filter(
              (s) =>
                s.region === region &&
                (!input.GroupName || s.group === input.GroupName) &&
                (!input.NamePrefix || s.name.startsWith(input.NamePrefix)),
            )
            .filter((s) => !input.State || (s.input.State ?? 'ENABLED') === input.State)
            .sort((a, b) => a.name.localeCompare(b.name));
          const offset = input.NextToken
            ? Number(Buffer.from(input.NextToken, 'base64').toString())
            : 0;
          return {
            Schedules: matching.slice(offset, offset + max).map((s) => ({
              Arn: s.arn,
              Name: s.name,
              GroupName: s.group,
              State: s.input.State ?? 'ENABLED',
              CreationDate: new Date(s.createdAt),
              LastModificationDate: new Date(s.modifiedAt),
              Target: { Arn: s.input.Target?.Arn },
            })),
            NextToken:
              offset + max < matching.length
                ? Buffer.from(String(offset + max)).toString('base64')
                : undefined,
          };
        },
      ),
    };
  }
}
