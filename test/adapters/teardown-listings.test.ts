// The listings and single deletions the nightly teardown adds to the EC2, security group,
// Scheduler and Step Functions adapters: their requests, pagination and what they make of answers.
import {
  DeleteSnapshotCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { DescribeExecutionCommand, ExecutionDoesNotExist, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { deleteSnapshot, listInstances, listOwnImages, snapshotsByTag } from '../../layers/aws/ec2';
import { deleteSchedule, describeSchedule, scheduleNames } from '../../layers/aws/scheduler';
import { listSecurityGroupsByTag } from '../../layers/aws/security-groups';
import { executionStatus } from '../../layers/aws/sfn';

const ec2 = mockClient(EC2Client);
const scheduler = mockClient(SchedulerClient);
const sfn = mockClient(SFNClient);
const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:bakehouse-dev-classroom';
const gone = { $metadata: {}, message: 'gone', Message: 'gone' };

beforeEach(() => {
  ec2.reset();
  scheduler.reset();
  sfn.reset();
});

describe('the EC2 listings', () => {
  it('lists every instance that is not terminated, across pages, with image and groups', async () => {
    ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce({
        Reservations: [
          {
            Instances: [
              {
                InstanceId: 'i-1',
                State: { Name: 'running' },
                ImageId: 'ami-1',
                SecurityGroups: [{ GroupId: 'sg-1' }],
                Tags: [{ Key: 'bakehouse:stack', Value: 'bakehouse-dev' }],
              },
            ],
          },
        ],
        NextToken: 'n',
      })
      .resolvesOnce({
        Reservations: [{ Instances: [{ InstanceId: 'i-2', State: { Name: 'stopped' } }] }],
      });

    const found = await listInstances('us-east-1');

    expect(found).toEqual([
      {
        instanceId: 'i-1',
        state: 'running',
        imageId: 'ami-1',
        securityGroupIds: ['sg-1'],
        tags: { 'bakehouse:stack': 'bakehouse-dev' },
      },
      { instanceId: 'i-2', state: 'stopped', imageId: undefined, securityGroupIds: [], tags: {} },
    ]);
    const input = ec2.commandCalls(DescribeInstancesCommand)[0]?.args[0].input;
    expect(input?.Filters).toEqual([
      {
        Name: 'instance-state-name',
        Values: ['pending', 'running', 'stopping', 'stopped', 'shutting-down'],
      },
    ]);
  });

  it('lists the account’s own images with their creation time and snapshots', async () => {
    ec2.on(DescribeImagesCommand).resolves({
      Images: [
        {
          ImageId: 'ami-1',
          Name: 'stats-abc-bake',
          State: 'available',
          CreationDate: '2026-11-01T00:00:00.000Z',
          BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-1' } }, {}],
        },
      ],
    });

    expect(await listOwnImages('us-east-1')).toEqual([
      {
        imageId: 'ami-1',
        name: 'stats-abc-bake',
        state: 'available',
        createdAt: '2026-11-01T00:00:00.000Z',
        snapshotIds: ['snap-1'],
        tags: {},
      },
    ]);
    expect(ec2).toHaveReceivedCommandWith(DescribeImagesCommand, { Owners: ['self'] });
  });

  it('lists own snapshots by tag and deletes one', async () => {
    ec2.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [{ SnapshotId: 'snap-1', State: 'completed', Tags: [{ Key: 'k', Value: 'v' }] }],
    });

    const found = await snapshotsByTag('us-east-1', { k: 'v' });
    await deleteSnapshot('us-east-1', 'snap-1');

    expect(found).toEqual([{ snapshotId: 'snap-1', state: 'completed', tags: { k: 'v' } }]);
    expect(ec2).toHaveReceivedCommandWith(DescribeSnapshotsCommand, {
      OwnerIds: ['self'],
      Filters: [{ Name: 'tag:k', Values: ['v'] }],
    });
    expect(ec2).toHaveReceivedCommandWith(DeleteSnapshotCommand, { SnapshotId: 'snap-1' });
  });

  it('lists security groups by tag with their names and tags, across pages', async () => {
    ec2
      .on(DescribeSecurityGroupsCommand)
      .resolvesOnce({
        SecurityGroups: [{ GroupId: 'sg-1', GroupName: 'a', Tags: [] }],
        NextToken: 'n',
      })
      .resolvesOnce({
        SecurityGroups: [{ GroupName: 'no id' }, { GroupId: 'sg-2', GroupName: 'b' }],
      });

    expect(await listSecurityGroupsByTag('us-east-1', { k: 'v' })).toEqual([
      { groupId: 'sg-1', name: 'a', tags: {} },
      { groupId: 'sg-2', name: 'b', tags: {} },
    ]);
  });
});

describe('the Scheduler listings', () => {
  it('lists schedule names by prefix across pages', async () => {
    scheduler
      .on(ListSchedulesCommand)
      .resolvesOnce({ Schedules: [{ Name: 'bakehouse-1' }], NextToken: 'n' })
      .resolvesOnce({ Schedules: [{ Name: 'bakehouse-2' }] });

    expect(await scheduleNames('us-east-1', 'bakehouse-')).toEqual(['bakehouse-1', 'bakehouse-2']);
    expect(scheduler).toHaveReceivedCommandWith(ListSchedulesCommand, { NamePrefix: 'bakehouse-' });
  });

  it('reads a schedule’s role and the instances it stops; a vanished one is undefined', async () => {
    scheduler
      .on(GetScheduleCommand, { Name: 'bakehouse-1' })
      .resolves({ Target: { Arn: 'x', RoleArn: 'r', Input: '{"InstanceIds":["i-1","i-2"]}' } })
      .on(GetScheduleCommand, { Name: 'bakehouse-2' })
      .resolves({ Target: { Arn: 'x', RoleArn: 'r', Input: 'not json' } })
      .on(GetScheduleCommand, { Name: 'bakehouse-3' })
      .rejects(new ResourceNotFoundException(gone));

    expect(await describeSchedule('us-east-1', 'bakehouse-1')).toEqual({
      name: 'bakehouse-1',
      roleArn: 'r',
      instanceIds: ['i-1', 'i-2'],
    });
    expect((await describeSchedule('us-east-1', 'bakehouse-2'))?.instanceIds).toEqual([]);
    expect(await describeSchedule('us-east-1', 'bakehouse-3')).toBeUndefined();
  });

  it('deletes one schedule, and one already gone counts as deleted', async () => {
    scheduler.on(DeleteScheduleCommand).rejects(new ResourceNotFoundException(gone));

    await expect(deleteSchedule('us-east-1', 'bakehouse-1')).resolves.toBeUndefined();
    expect(scheduler).toHaveReceivedCommandWith(DeleteScheduleCommand, { Name: 'bakehouse-1' });
  });
});

describe('executionStatus', () => {
  it('describes the execution named after the class in the machine’s region', async () => {
    sfn.on(DescribeExecutionCommand).resolves({ status: 'ABORTED' } as never);

    expect(await executionStatus(MACHINE, 'class-1')).toBe('ABORTED');
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, {
      executionArn:
        'arn:aws:states:eu-west-1:123456789012:execution:bakehouse-dev-classroom:class-1',
    });
    expect(await sfn.call(0).thisValue.config.region()).toBe('eu-west-1');
  });

  it('is undefined when no such execution exists, and passes other errors on', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .rejectsOnce(new ExecutionDoesNotExist(gone))
      .rejectsOnce(new Error('Throttled'));

    expect(await executionStatus(MACHINE, 'class-1')).toBeUndefined();
    await expect(executionStatus(MACHINE, 'class-2')).rejects.toThrow('Throttled');
  });
});
