import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeRegionsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nightlyTeardown as handler } from '../../functions/teardown/teardown';
import { classLabel } from '../../layers/core/classroom/request/dns';
import type { TeardownReport } from '../../layers/core/teardown/report';
import { resetConfig } from '../../layers/runtime/config';
import { setLogSink } from '../../layers/runtime/logger';
import { record } from '../unit/classroom/record/fixtures';

const ec2 = mockClient(EC2Client);
const ssm = mockClient(SSMClient);
const scheduler = mockClient(SchedulerClient);
const ses = mockClient(SESv2Client);
const sfn = mockClient(SFNClient);
const dynamodb = mockClient(DynamoDBClient);
const route53 = mockClient(Route53Client);
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
  for (const client of [ec2, ssm, scheduler, ses, sfn, dynamodb, route53]) client.reset();
  for (const key of ENV) delete process.env[key];
  resetConfig();
  setLogSink(() => {});
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [seat('i-1')] }] });
  ec2.on(DescribeImagesCommand).resolves({ Images: [] });
  ec2.on(DescribeRegionsCommand).resolves({ Regions: [{ RegionName: 'us-east-1' }] });
  ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
  ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
  ec2.on(TerminateInstancesCommand).resolves({ TerminatingInstances: [{ InstanceId: 'i-1' }] });
  ssm.on(GetParametersByPathCommand).resolves({ Parameters: [] });
  scheduler.on(ListSchedulesCommand).resolves({ Schedules: [] });
  // The class store does not know class-1: its status comes from its execution.
  dynamodb.on(GetItemCommand).resolves({});
  dynamodb.on(ScanCommand).resolves({ Items: [] });
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

  it('keeps what it removed when SES will not send the report, and says so', async () => {
    process.env.CLASSROOM_STATE_MACHINE_ARN = MACHINE;
    process.env.OPERATOR_EMAIL = 'ops@example.edu';
    ses
      .on(SendEmailCommand)
      .rejects(
        Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' }),
      );

    const report = (await run({ now: '2027-01-14T03:00:00Z' })) as { reportNotSent?: string };

    expect(ec2).toHaveReceivedCommand(TerminateInstancesCommand);
    expect(report).toMatchObject({
      reportNotSent: 'MessageRejected: Email address is not verified.',
    });
  });

  it('in a dry run changes nothing, and without an operator address sends no email', async () => {
    process.env.CLASSROOM_STATE_MACHINE_ARN = MACHINE;

    const report = await run({ dryRun: true, now: '2027-01-14T03:00:00Z' });

    expect(report.wouldDo.map((e) => e.id)).toEqual(['i-1']);
    expect(ec2).not.toHaveReceivedCommand(TerminateInstancesCommand);
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('deletes the seat names of a failed class exactly as listed, and no other name', async () => {
    // Prepare: the store knows class-1 as failed, with its seats named in a hosted zone
    process.env.CLASSROOM_STATE_MACHINE_ARN = MACHINE;
    const zone = 'Z0123456789ABC';
    const failed = {
      ...record({ dns: { hostedZoneId: zone, domain: 'classes.example.org' } }),
      state: 'failed',
    };
    const item = marshall(
      { pk: 'CLASS#class-1', sk: 'CLASS', ...failed },
      { removeUndefinedValues: true },
    );
    dynamodb.on(ScanCommand).resolves({ Items: [item] });
    dynamodb.on(GetItemCommand).resolves({ Item: item });
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const label = classLabel('genomics-101', 'class-1');
    const seatName = {
      Name: `seat-001.${label}.classes.example.org.`,
      Type: 'A' as const,
      TTL: 60,
      ResourceRecords: [{ Value: '203.0.113.1' }],
    };
    route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        { ...seatName, Name: `www.${label}.classes.example.org.` },
        seatName,
        { ...seatName, Name: 'seat-001.other-0a1b2c.classes.example.org.' },
      ],
      IsTruncated: false,
    });
    route53.on(ChangeResourceRecordSetsCommand).resolves({});

    // Act
    const report = await run({ now: '2027-03-20T03:00:00Z' });

    // Assess
    expect(route53).toHaveReceivedCommandWith(ListResourceRecordSetsCommand, {
      HostedZoneId: zone,
      StartRecordName: 'classes.example.org.',
    });
    expect(route53).toHaveReceivedCommandTimes(ChangeResourceRecordSetsCommand, 1);
    expect(route53).toHaveReceivedCommandWith(ChangeResourceRecordSetsCommand, {
      HostedZoneId: zone,
      ChangeBatch: {
        Comment: 'bakehouse seats of a class that is over',
        Changes: [{ Action: 'DELETE', ResourceRecordSet: seatName }],
      },
    });
    expect(report.done).toEqual([
      {
        kind: 'delete-record',
        id: `seat-001.${label}.classes.example.org`,
        reason: 'seat name of a class that is over: class class-1 is failed',
      },
    ]);
  });

  it('refuses to run without the classroom machine to read class statuses from', async () => {
    await expect(run({})).rejects.toMatchObject({ name: 'ConfigError' });
    expect(ec2).not.toHaveReceivedCommand(DescribeInstancesCommand);
  });

  it('rejects an input that is not a teardown request', async () => {
    await expect(run({ dryRun: 'yes' })).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
