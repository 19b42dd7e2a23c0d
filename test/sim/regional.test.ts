/**
 * EC2, Parameter Store, SES and Scheduler are regional: a client of one region neither sees nor
 * may name what was made in another, as AWS refuses it. The account's own region is the
 * harness's (us-east-1); a class seated in another region must make everything EC2 there.
 */
import {
  AllocateAddressCommand,
  CreateImageCommand,
  CreateSecurityGroupCommand,
  DescribeAddressesCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateScheduleCommand, ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { GetParametersCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../local/sim/kernel/clock';
import { clientsIn, failure, harness, launch, SENDER } from './harness';

const EU = 'eu-west-1';

describe('a simulated account across regions', () => {
  it("keeps each region's instances, subnets, groups and Elastic IPs to that region's clients", async () => {
    const h = harness();
    const eu = clientsIn(h, EU);
    const [home] = await launch(h);
    const group = await h.ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'seats', Description: 'seats' }),
    );
    await h.ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));

    const subnets = await eu.ec2.send(new DescribeSubnetsCommand({}));
    const instances = await eu.ec2.send(new DescribeInstancesCommand({}));
    const groups = await eu.ec2.send(new DescribeSecurityGroupsCommand({}));
    const addresses = await eu.ec2.send(new DescribeAddressesCommand({}));

    expect(subnets.Subnets?.map((s) => s.AvailabilityZone?.slice(0, -1))).toEqual(
      Array(4).fill(EU),
    );
    expect(instances.Reservations).toEqual([]);
    expect(groups.SecurityGroups?.map((g) => g.GroupName)).toEqual(['default']);
    expect(addresses.Addresses).toEqual([]);
    const named = await failure(
      eu.ec2.send(new TerminateInstancesCommand({ InstanceIds: [home as string] })),
    );
    expect(named.name).toBe('InvalidInstanceID.NotFound');
    // The same group name again is no duplicate in another region's default VPC.
    await eu.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'seats', Description: 'seats' }));
    const launchedWithHomeGroup = await failure(
      launch({ ...h, ec2: eu.ec2 }, { SecurityGroupIds: [group.GroupId as string] }),
    );
    expect(launchedWithHomeGroup.name).toBe('InvalidGroup.NotFound');
  });

  it("launches in a region's own subnets, and refuses a subnet of another", async () => {
    const h = harness();
    const eu = clientsIn(h, EU);
    const [homeSubnet] = (await h.ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [];

    const [seat] = await launch({ ...h, ec2: eu.ec2 });
    const refused = await failure(
      launch({ ...h, ec2: eu.ec2 }, { SubnetId: homeSubnet?.SubnetId as string }),
    );

    const seen = await eu.ec2.send(new DescribeInstancesCommand({ InstanceIds: [seat as string] }));
    expect(seen.Reservations?.[0]?.Instances?.[0]?.Placement?.AvailabilityZone).toMatch(
      /^eu-west-1/,
    );
    expect(refused.name).toBe('InvalidSubnetID.NotFound');
    expect((await h.ec2.send(new DescribeInstancesCommand({}))).Reservations).toEqual([]);
  });

  it("launches AWS's base images anywhere, and the account's own images only in their region", async () => {
    const h = harness();
    const eu = clientsIn(h, EU);
    const [instance] = await launch(h);
    h.advance(MINUTE);
    const { ImageId } = await h.ec2.send(
      new CreateImageCommand({ InstanceId: instance as string, Name: 'stats-abc-b-1' }),
    );
    h.advance(HOUR);

    const [seat] = await launch({ ...h, ec2: eu.ec2 });
    const refused = await failure(launch({ ...h, ec2: eu.ec2 }, { ImageId: ImageId as string }));

    expect(seat).toMatch(/^i-/);
    expect(refused.name).toBe('InvalidAMIID.NotFound');
    expect((await eu.ec2.send(new DescribeImagesCommand({ Owners: ['self'] }))).Images).toEqual([]);
  });

  it("keeps parameters to their region, and has the sender verified in the account's region only", async () => {
    const h = harness();
    const eu = clientsIn(h, EU);
    await h.ssm.send(
      new PutParameterCommand({ Name: '/classes/c1/seat-001', Value: 'x', Type: 'SecureString' }),
    );
    const email = {
      FromEmailAddress: SENDER,
      Destination: { ToAddresses: ['ada@example.edu'] },
      Content: { Simple: { Subject: { Data: 'seat' }, Body: { Text: { Data: 'hello' } } } },
    };

    const there = await eu.ssm.send(new GetParametersCommand({ Names: ['/classes/c1/seat-001'] }));
    const refused = await failure(eu.ses.send(new SendEmailCommand(email)));
    await h.ses.send(new SendEmailCommand(email));

    expect(there.InvalidParameters).toEqual(['/classes/c1/seat-001']);
    expect(refused.name).toBe('MessageRejected');
    expect(refused.message).toContain('in region EU-WEST-1');
    expect(h.sim.ses.outbox).toHaveLength(1);
  });

  it('keeps schedules to their region, and refuses a state machine of another region as target', async () => {
    const h = harness();
    const eu = clientsIn(h, EU);
    const schedule = (name: string, region: string) => ({
      Name: name,
      ScheduleExpression: 'at(2026-11-03T09:00:00)',
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      Target: {
        Arn: `arn:aws:states:${region}:123456789012:stateMachine:bakehouse-dev-classroom`,
        RoleArn: 'arn:aws:iam::123456789012:role/bakehouse-scheduler',
        Input: '{}',
      },
    });
    await h.scheduler.send(new CreateScheduleCommand(schedule('stop-home', 'us-east-1')));
    await eu.scheduler.send(new CreateScheduleCommand(schedule('stop-eu', EU)));

    const refused = await failure(
      eu.scheduler.send(new CreateScheduleCommand(schedule('stop-across', 'us-east-1'))),
    );
    const listed = async (client: typeof h.scheduler) =>
      ((await client.send(new ListSchedulesCommand({}))).Schedules ?? []).map((s) => s.Name);

    expect(refused.name).toBe('ValidationException');
    expect(await listed(h.scheduler)).toEqual(['stop-home']);
    expect(await listed(eu.scheduler)).toEqual(['stop-eu']);
  });
});
