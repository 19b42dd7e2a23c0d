import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nightlyTeardown as handler } from '../../functions/teardown/teardown';
import type { TeardownReport } from '../../layers/core/teardown/report';
import { resetConfig } from '../../layers/runtime/config';
import { setLogSink } from '../../layers/runtime/logger';

const ec2 = mockClient(EC2Client);
const ssm = mockClient(SSMClient);
const scheduler = mockClient(SchedulerClient);
const ses = mockClient(SESv2Client);
const sfn = mockClient(SFNClient);
const dynamodb = mockClient(DynamoDBClient);
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:bakehouse-dev-classroom';
const ENV = ['CLASSROOM_STATE_MACHINE_ARN', 'OPERATOR_EMAIL', 'REPORT_SENDER'];

const seat = (id: string) => ({
  InstanceId: id,
  State: { Name: 'running' as const },
  Tags: [
    { Key: 'bakehouse:stack', Value: 'bakehouse-dev' },
    { Key: 'bakehouse:kind', Value: 'seat' },
    { Key: 'bakehouse:class', Value: 'class-1' },
    { Key: 'bakehouse:expires-at', Value: '2099-01-01T00:00:00.000Z' },
  ],
});

const run = (event: unknown) => handler(event as never, {} as never) as Promise<TeardownReport>;

beforeEach(() => {
  for (const client of [ec2, ssm, scheduler, ses, sfn, dynamodb]) client.reset();
  for (const key of ENV) delete process.env[key];
  resetConfig();
  setLogSink(() => {});
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [seat('i-1')] }] });
  ec2.on(DescribeImagesCommand).resolves({ Images: [] });
  ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
  ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
  ec2.on(TerminateInstancesCommand).resolves({ TerminatingInstances: [{ InstanceId: 'i-1' }] });
  ssm.on(GetParametersByPathCommand).resolves({ Parameters: [] });
  scheduler.on(ListSchedulesCommand).resolves({ Schedules: [] });
  // The class store does not know class-1: its status comes from its execution.
  dynamodb.on(GetItemCommand).resolves({});
  sfn.on(DescribeExecutionCommand).resolves({ status: 'FAILED' } as never);
  ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
});

afterEach(() => {
  setLogSink(undefined);
  for (const key of ENV) delete process.env[key];
  resetConfig();
});

describe('the nightly teardown handler', () => {
  it('ends the seats of a failed class and emails the operator the report', async () => {
    process.env.CLASSROOM_STATE_MACHINE_ARN = MACHINE;
    process.env.OPERATOR_EMAIL = 'ops@example.edu';

    const report = await run({ now: '2027-01-14T03:00:00Z' });

    expect(report.done).toEqual([
      { kind: 'terminate-instance', id: 'i-1', reason: 'seat of class class-1, which is failed' },
    ]);
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, {
      executionArn: `${MACHINE.replace(':stateMachine:', ':execution:')}:class-1`,
    });
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, {
      FromEmailAddress: 'ops@example.edu',
      Destination: { ToAddresses: ['ops@example.edu'] },
    });
  });

  it('in a dry run changes nothing, and without an operator address sends no email', async () => {
    process.env.CLASSROOM_STATE_MACHINE_ARN = MACHINE;

    const report = await run({ dryRun: true, now: '2027-01-14T03:00:00Z' });

    expect(report.wouldDo.map((e) => e.id)).toEqual(['i-1']);
    expect(ec2).not.toHaveReceivedCommand(TerminateInstancesCommand);
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('refuses to run without the classroom machine to read class statuses from', async () => {
    await expect(run({})).rejects.toMatchObject({ name: 'ConfigError' });
    expect(ec2).not.toHaveReceivedCommand(DescribeInstancesCommand);
  });

  it('rejects an input that is not a teardown request', async () => {
    await expect(run({ dryRun: 'yes' })).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
