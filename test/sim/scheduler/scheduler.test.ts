import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-scheduler';
import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../../local/sim/kernel/clock';
import { parseExpression } from '../../../local/sim/scheduler/schedule-time';
import { failure, type Harness, harness, launch } from '../harness';

const stopAt = (
  name: string,
  at: string,
  instanceIds: string[],
  zone = 'UTC',
): CreateScheduleCommandInput => ({
  Name: name,
  GroupName: 'default',
  ScheduleExpression: `at(${at})`,
  ScheduleExpressionTimezone: zone,
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'DELETE',
  Target: {
    Arn: 'arn:aws:scheduler:::aws-sdk:ec2:stopInstances',
    RoleArn: 'arn:aws:iam::123456789012:role/bakehouse-scheduler',
    Input: JSON.stringify({ InstanceIds: instanceIds }),
  },
});

const create = (h: Harness, input: CreateScheduleCommandInput) =>
  h.scheduler.send(new CreateScheduleCommand(input));

describe('EventBridge Scheduler', () => {
  it('creates, gets, lists by prefix and deletes schedules', async () => {
    // Prepare
    const h = harness();
    await create(h, stopAt('bio101-end', '2026-11-02T17:00:00', ['i-0123456789abcdef0']));
    await create(h, stopAt('chem7-end', '2026-11-02T18:00:00', ['i-0123456789abcdef1']));

    // Act
    const got = await h.scheduler.send(new GetScheduleCommand({ Name: 'bio101-end' }));
    const listed = await h.scheduler.send(new ListSchedulesCommand({ NamePrefix: 'bio' }));
    await h.scheduler.send(new DeleteScheduleCommand({ Name: 'bio101-end' }));
    const gone = await failure(h.scheduler.send(new GetScheduleCommand({ Name: 'bio101-end' })));

    // Assess
    expect(got).toMatchObject({
      Name: 'bio101-end',
      ScheduleExpression: 'at(2026-11-02T17:00:00)',
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Arn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/bio101-end',
    });
    expect(listed.Schedules?.map((s) => s.Name)).toEqual(['bio101-end']);
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
  });

  it('refuses a second schedule of the same name', async () => {
    // Prepare
    const h = harness();
    await create(h, stopAt('bio101-end', '2026-11-02T17:00:00', []));

    // Act
    const error = await failure(create(h, stopAt('bio101-end', '2026-11-02T18:00:00', [])));

    // Assess
    expect(error).toBeInstanceOf(ConflictException);
  });

  it('refuses bad names, expressions, time zones and target input', async () => {
    // Prepare
    const h = harness();
    const base = stopAt('ok', '2026-11-02T17:00:00', []);

    // Act
    const errors = await Promise.all([
      failure(create(h, { ...base, Name: 'bio 101' })),
      failure(create(h, { ...base, ScheduleExpression: 'at(2026-11-31T17:00:00)' })),
      failure(create(h, { ...base, ScheduleExpressionTimezone: 'Mars/Olympus' })),
      failure(
        create(h, {
          ...base,
          Target: { ...base.Target, Arn: base.Target?.Arn, RoleArn: 'r', Input: '{not json' },
        }),
      ),
    ]);

    // Assess
    expect(errors.map((e) => e.name)).toEqual(Array(4).fill('ValidationException'));
  });

  it('stops the listed instances when due and deletes itself, as ActionAfterCompletion says', async () => {
    // Prepare
    const h = harness();
    const ids = await launch(h, { MinCount: 2, MaxCount: 2 });
    h.advance(MINUTE);
    await create(h, stopAt('bio101-end', '2026-11-02T10:00:00', ids));

    // Act
    const early = h.sim.scheduler.fireDue();
    h.advance(HOUR);
    const described = await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
    h.advance(5 * MINUTE);

    // Assess
    expect(early).toEqual([]);
    expect(described.Reservations?.[0]?.Instances?.map((i) => i.State?.Name)).toEqual([
      'stopping',
      'stopping',
    ]);
    expect(h.sim.ec2.instances().map((i) => i.state)).toEqual(['stopped', 'stopped']);
    expect(h.sim.scheduler.fired.map((f) => [f.name, f.error])).toEqual([
      ['bio101-end', undefined],
    ]);
    expect(h.sim.scheduler.schedules()).toEqual([]);
    expect(h.sim.calls['EC2:StopInstances']).toBeUndefined();
  });

  it('reads at() in the schedule time zone', async () => {
    // Prepare
    const h = harness();
    const [id] = (await launch(h)) as [string];
    h.advance(MINUTE);
    await create(h, stopAt('berlin', '2026-11-02T11:30:00', [id], 'Europe/Berlin'));

    // Act
    h.advance(59 * MINUTE);
    const before = h.sim.scheduler.fireDue();
    h.advance(31 * MINUTE);
    const after = h.sim.scheduler.fireDue();

    // Assess
    expect(before).toEqual([]);
    expect(after.map((f) => f.name)).toEqual(['berlin']);
  });

  it('records a failing target instead of losing it', async () => {
    // Prepare
    const h = harness();
    await create(h, stopAt('ghost', '2026-11-02T09:30:00', ['i-0aaaaaaaaaaaaaaaa']));
    h.advance(HOUR);

    // Act
    const [fired] = h.sim.scheduler.fireDue();

    // Assess
    expect(fired?.error).toContain('InvalidInstanceID.NotFound');
  });
});

describe('EventBridge Scheduler targets beyond the universal ones', () => {
  const templated = (name: string, arn: string, input: object): CreateScheduleCommandInput => ({
    ...stopAt(name, '2026-11-02T09:30:00', []),
    Target: {
      Arn: arn,
      RoleArn: 'arn:aws:iam::123456789012:role/bakehouse-scheduler',
      Input: JSON.stringify(input),
    },
  });

  it('starts a state machine with the schedule input, through whoever serves SFN', async () => {
    // Prepare
    const h = harness();
    const started: unknown[] = [];
    h.sim.register('SFN', {
      StartExecution: (input) => {
        started.push(input);
        return { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e' };
      },
    });
    const machine = 'arn:aws:states:us-east-1:123456789012:stateMachine:bakehouse-dev-classroom';
    await create(h, templated('class-stop-0', machine, { classId: 'c1', step: 'stop' }));
    h.advance(HOUR);

    // Act
    const fired = h.sim.scheduler.fireDue();

    // Assess
    expect(fired.map((f) => [f.target, f.error])).toEqual([[machine, undefined]]);
    expect(started).toEqual([
      { stateMachineArn: machine, input: JSON.stringify({ classId: 'c1', step: 'stop' }) },
    ]);
    expect(h.sim.scheduler.schedules()).toEqual([]);
  });

  it('invokes a Lambda function with the schedule input as its payload', async () => {
    // Prepare
    const h = harness();
    const invoked: unknown[] = [];
    h.sim.register('Lambda', {
      Invoke: (input) => {
        invoked.push(input);
        return { StatusCode: 202 };
      },
    });
    const fn = 'arn:aws:lambda:us-east-1:123456789012:function:bakehouse-dev-stopSeats';
    await create(h, templated('class-fn', fn, { classId: 'c1' }));
    h.advance(HOUR);

    // Act
    h.sim.scheduler.fireDue();

    // Assess
    expect(invoked).toEqual([{ FunctionName: fn, Payload: JSON.stringify({ classId: 'c1' }) }]);
  });

  it('records a state machine target nobody serves as a failed firing', async () => {
    // Prepare
    const h = harness();
    const machine = 'arn:aws:states:us-east-1:123456789012:stateMachine:nobody';
    await create(h, templated('orphan', machine, {}));
    h.advance(HOUR);

    // Act
    const [fired] = h.sim.scheduler.fireDue();

    // Assess
    expect(fired?.error).toContain('does not implement SFN:StartExecution');
  });
});

describe('schedule expressions', () => {
  it('converts local wall time to UTC across daylight saving', () => {
    // Act
    const winter = parseExpression('at(2026-01-15T09:00:00)', 'America/New_York');
    const summer = parseExpression('at(2026-07-15T09:00:00)', 'America/New_York');

    // Assess
    expect(winter).toEqual({ kind: 'at', at: Date.UTC(2026, 0, 15, 14, 0, 0) });
    expect(summer).toEqual({ kind: 'at', at: Date.UTC(2026, 6, 15, 13, 0, 0) });
  });

  it('accepts rate() and cron() as recurring, and nothing else', () => {
    // Act / Assess
    expect(parseExpression('rate(5 minutes)', 'UTC')).toEqual({ kind: 'recurring' });
    expect(parseExpression('cron(0 17 ? * MON-FRI *)', 'UTC')).toEqual({ kind: 'recurring' });
    expect(parseExpression('at(tomorrow)', 'UTC')).toBeUndefined();
  });
});
