import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { MINUTE } from '../../../local/sim/kernel/clock';
import { failure, type Harness, harness, launch } from '../harness';

async function seatGroup(h: Harness, name = 'bakehouse-bio101') {
  const { GroupId } = await h.ec2.send(
    new CreateSecurityGroupCommand({ GroupName: name, Description: 'seats' }),
  );
  return GroupId as string;
}

describe('EC2 default VPC and security groups', () => {
  it('has one default subnet in each of four AZs', async () => {
    // Prepare
    const h = harness();

    // Act
    const { Subnets } = await h.ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }),
    );

    // Assess
    expect(Subnets?.map((s) => s.AvailabilityZone)).toEqual([
      'us-east-1a',
      'us-east-1b',
      'us-east-1c',
      'us-east-1d',
    ]);
    expect(Subnets?.every((s) => s.MapPublicIpOnLaunch)).toBe(true);
  });

  it('places an instance in the AZ of the subnet it names', async () => {
    // Prepare
    const h = harness();
    const { Subnets } = await h.ec2.send(
      new DescribeSubnetsCommand({
        Filters: [{ Name: 'availability-zone', Values: ['us-east-1c'] }],
      }),
    );

    // Act
    await launch(h, { SubnetId: Subnets?.[0]?.SubnetId });

    // Assess
    expect(h.sim.ec2.instances()[0]).toMatchObject({
      az: 'us-east-1c',
      subnetId: Subnets?.[0]?.SubnetId,
    });
  });

  it('records ingress rules, port 22 included, and refuses duplicates', async () => {
    // Prepare
    const h = harness();
    const groupId = await seatGroup(h);
    const rule = {
      IpProtocol: 'tcp',
      FromPort: 8888,
      ToPort: 8888,
      IpRanges: [{ CidrIp: '0.0.0.0/0' }],
    };

    // Act
    await h.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [rule] }),
    );
    await h.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        CidrIp: '10.0.0.0/8',
      }),
    );
    const duplicate = await failure(
      h.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [rule] }),
      ),
    );
    const described = await h.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));

    // Assess
    expect(duplicate.name).toBe('InvalidPermission.Duplicate');
    expect(described.SecurityGroups?.[0]?.IpPermissions).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 8888,
        ToPort: 8888,
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
      }),
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        IpRanges: [{ CidrIp: '10.0.0.0/8' }],
      }),
    ]);
  });

  it('refuses malformed rules and duplicate group names', async () => {
    // Prepare
    const h = harness();
    const groupId = await seatGroup(h);

    // Act
    const ports = await failure(
      h.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: [
            {
              IpProtocol: 'tcp',
              FromPort: 9000,
              ToPort: 8000,
              IpRanges: [{ CidrIp: '0.0.0.0/0' }],
            },
          ],
        }),
      ),
    );
    const cidr = await failure(
      h.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: [
            { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '300.0.0.0/8' }] },
          ],
        }),
      ),
    );
    const duplicate = await failure(seatGroup(h));

    // Assess
    expect([ports.name, cidr.name, duplicate.name]).toEqual([
      'InvalidParameterValue',
      'InvalidParameterValue',
      'InvalidGroup.Duplicate',
    ]);
  });

  it('refuses to delete a group while a live instance uses it, and deletes it once terminated', async () => {
    // Prepare
    const h = harness();
    const groupId = await seatGroup(h);
    const [id] = (await launch(h, { SecurityGroupIds: [groupId] })) as [string];

    // Act
    const inUse = await failure(h.ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId })));
    await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    const shuttingDown = await failure(
      h.ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId })),
    );
    h.advance(5 * MINUTE);
    const deleted = await h.ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }));

    // Assess
    expect(inUse.name).toBe('DependencyViolation');
    expect(inUse.message).toBe(`resource ${groupId} has a dependent object`);
    expect(shuttingDown.name).toBe('DependencyViolation');
    expect(deleted.Return).toBe(true);
    expect(h.sim.ec2.securityGroups().map((g) => g.name)).toEqual(['default']);
  });

  it('will not delete the default group', async () => {
    // Prepare
    const h = harness();

    // Act
    const error = await failure(
      h.ec2.send(new DeleteSecurityGroupCommand({ GroupName: 'default' })),
    );

    // Assess
    expect(error.name).toBe('CannotDelete');
  });

  it('offers instance types per AZ', async () => {
    // Prepare
    const h = harness();

    // Act
    const { InstanceTypeOfferings } = await h.ec2.send(
      new DescribeInstanceTypeOfferingsCommand({
        LocationType: 'availability-zone',
        Filters: [{ Name: 'instance-type', Values: ['t3.medium'] }],
      }),
    );

    // Assess
    expect(InstanceTypeOfferings?.map((o) => o.Location)).toEqual([
      'us-east-1a',
      'us-east-1b',
      'us-east-1c',
      'us-east-1d',
    ]);
  });
});
