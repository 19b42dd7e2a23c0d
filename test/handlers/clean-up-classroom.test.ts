import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import {
  DeleteParametersCommand,
  GetParametersByPathCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as cleanUpClassroom } from '../../functions/classroom/clean-up-classroom';
import { classPlan } from '../../layers/core/classroom/plan/class-plan';
import { credentialName } from '../../layers/core/classroom/plan/parameter-paths';
import { parseClassroomRequest } from '../../layers/core/classroom/request/classroom-request';
import { config, resetConfig } from '../../layers/runtime/config';

const ec2 = mockClient(EC2Client);
const ssm = mockClient(SSMClient);
const scheduler = mockClient(SchedulerClient);
const dynamodb = mockClient(DynamoDBClient);

beforeEach(() => {
  ec2.reset();
  ssm.reset();
  scheduler.reset();
  dynamodb.reset();
  delete process.env.PARAMETER_PREFIX;
  resetConfig();
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
  ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
  ec2.on(DescribeAddressesCommand).resolves({ Addresses: [] });
  scheduler.on(ListSchedulesCommand).resolves({ Schedules: [] });
  ssm.on(DeleteParametersCommand).resolves({});
  // A class the store does not know: nothing to record.
  dynamodb.on(GetItemCommand).resolves({});
});

/** The class plan PlanClassroom makes for `classId` under this deployment's configuration. */
function planFor(classId: string) {
  const request = parseClassroomRequest(
    {
      name: 'genomics-101',
      image: 'ami-0123456789abcdef0',
      seats: 1,
      schedule: { start: '2026-03-10T09:00', end: '2026-03-10T17:00', timezone: 'Europe/Berlin' },
      instructor: { email: 'grace@example.org' },
      sender: 'classes@example.org',
    },
    new Date('2026-03-01T12:00:00Z'),
  );
  const context = {
    classId,
    rootDeviceName: '/dev/xvda',
    rootVolumeGiB: 8,
    parameterPrefix: config().PARAMETER_PREFIX,
    stackName: config().STACK_NAME,
  };
  return classPlan(request, context, [{ instanceType: 't3.medium', market: 'on-demand' }]);
}

describe('the classroom clean-up', () => {
  it('deletes the credentials the seats stored, under the path the plan gave them', async () => {
    // Prepare: the class as PlanClassroom plans it, and a credential stored where its seat keeps it
    const plan = planFor('exec-7');
    const stored = credentialName(plan, 'b00', 'seat-001');
    ssm.on(GetParametersByPathCommand).callsFake(({ Path }: { Path: string }) => ({
      Parameters: stored.startsWith(`${Path}/`) ? [{ Name: stored }] : [],
    }));

    // Act
    await cleanUpClassroom(
      { region: 'us-east-1', classId: 'exec-7', failed: { SeatBatches: { Error: 'X' } } },
      {} as Context,
    );

    // Assess
    expect(ssm).toHaveReceivedCommandWith(GetParametersByPathCommand, {
      Path: plan.parameterPath,
      Recursive: true,
    });
    expect(ssm).toHaveReceivedCommandWith(DeleteParametersCommand, { Names: [stored] });
  });
});
