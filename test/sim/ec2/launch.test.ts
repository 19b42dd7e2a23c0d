import { DescribeInstancesCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { MINUTE, SECOND } from '../../../local/sim/kernel/clock';
import { failure, harness, INSTANCE_PROFILE, launch, launchInput, UBUNTU_ARM } from '../harness';

describe('EC2 RunInstances', () => {
  it('launches pending instances that are running within a minute and describable', async () => {
    // Prepare
    const h = harness();

    // Act
    const reservation = await h.ec2.send(
      new RunInstancesCommand(launchInput({ MinCount: 3, MaxCount: 3 })),
    );
    const right = await h.ec2.send(new DescribeInstancesCommand({}));
    h.advance(MINUTE);
    const later = await h.ec2.send(new DescribeInstancesCommand({}));

    // Assess
    expect(reservation.Instances?.map((i) => i.State?.Name)).toEqual([
      'pending',
      'pending',
      'pending',
    ]);
    expect(reservation.Instances?.map((i) => i.AmiLaunchIndex)).toEqual([0, 1, 2]);
    expect(right.Reservations?.[0]?.Instances?.every((i) => i.State?.Name === 'pending')).toBe(
      true,
    );
    expect(later.Reservations?.[0]?.Instances?.map((i) => i.State)).toEqual(
      Array(3).fill({ Code: 16, Name: 'running' }),
    );
  });

  it('reports the public IP only when describing, from a documentation range', async () => {
    // Prepare
    const h = harness();

    // Act
    const reservation = await h.ec2.send(new RunInstancesCommand(launchInput()));
    h.advance(MINUTE);
    const described = await h.ec2.send(new DescribeInstancesCommand({}));

    // Assess
    expect(reservation.Instances?.[0]?.PublicIpAddress).toBeUndefined();
    expect(described.Reservations?.[0]?.Instances?.[0]?.PublicIpAddress).toMatch(
      /^198\.51\.100\.\d+$/,
    );
  });

  it('records what the launch asked for: tags on instance and volume, profile, metadata, user data', async () => {
    // Prepare
    const h = harness();

    // Act
    await launch(h, {
      TagSpecifications: [
        { ResourceType: 'instance', Tags: [{ Key: 'bakehouse:class', Value: 'bio101' }] },
        { ResourceType: 'volume', Tags: [{ Key: 'bakehouse:class', Value: 'bio101-disk' }] },
      ],
      MetadataOptions: { HttpTokens: 'required' },
      UserData: Buffer.from('#!/bin/bash\necho hi').toString('base64'),
      InstanceInitiatedShutdownBehavior: 'terminate',
      BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { VolumeSize: 30 } }],
    });

    // Assess
    const [instance] = h.sim.ec2.instances();
    expect(instance).toMatchObject({
      tags: { 'bakehouse:class': 'bio101' },
      iamInstanceProfile: { Name: 'bakehouse-dev-instance' },
      metadataOptions: { HttpTokens: 'required' },
      shutdownBehavior: 'terminate',
      market: 'on-demand',
    });
    expect(instance?.volumes).toEqual([
      expect.objectContaining({
        deviceName: '/dev/sda1',
        sizeGb: 30,
        tags: { 'bakehouse:class': 'bio101-disk' },
      }),
    ]);
  });

  it('answers a repeated ClientToken with the same reservation and launches nothing new', async () => {
    // Prepare
    const h = harness();
    const input = launchInput({ ClientToken: 'class-bio101-batch-1', MinCount: 2, MaxCount: 2 });
    const first = await h.ec2.send(new RunInstancesCommand(input));

    // Act
    const second = await h.ec2.send(new RunInstancesCommand(input));

    // Assess
    expect(second.ReservationId).toBe(first.ReservationId);
    expect(second.Instances?.map((i) => i.InstanceId)).toEqual(
      first.Instances?.map((i) => i.InstanceId),
    );
    expect(h.sim.ec2.instances()).toHaveLength(2);
  });

  it('refuses the same ClientToken with other parameters', async () => {
    // Prepare
    const h = harness();
    await h.ec2.send(new RunInstancesCommand(launchInput({ ClientToken: 'tok' })));

    // Act
    const error = await failure(
      h.ec2.send(
        new RunInstancesCommand(launchInput({ ClientToken: 'tok', InstanceType: 't3.large' })),
      ),
    );

    // Assess
    expect(error.name).toBe('IdempotentParameterMismatch');
    expect(h.sim.ec2.instances()).toHaveLength(1);
  });

  it('refuses a ClientToken longer than 64 characters', async () => {
    // Prepare
    const h = harness();

    // Act
    const error = await failure(
      h.ec2.send(new RunInstancesCommand(launchInput({ ClientToken: 'x'.repeat(65) }))),
    );

    // Assess
    expect(error.name).toBe('InvalidParameterValue');
    expect(error.message).toContain('clientToken');
  });

  it('refuses MinCount greater than MaxCount', async () => {
    // Prepare
    const h = harness();

    // Act
    const error = await failure(
      h.ec2.send(new RunInstancesCommand(launchInput({ MinCount: 5, MaxCount: 2 }))),
    );

    // Assess
    expect(error.name).toBe('InvalidParameterValue');
    expect(error.message).toContain('minCount');
  });

  it('launches as many as capacity allows up to MaxCount when that reaches MinCount', async () => {
    // Prepare
    const h = harness({
      faults: { capacity: [{ az: 'us-east-1a', instanceType: 't3.medium', available: 7 }] },
    });

    // Act
    const ids = await launch(h, {
      MinCount: 5,
      MaxCount: 10,
      Placement: { AvailabilityZone: 'us-east-1a' },
    });

    // Assess
    expect(ids).toHaveLength(7);
  });

  it('launches none when capacity is below MinCount, with the AZ in the message', async () => {
    // Prepare
    const h = harness({ faults: { capacity: [{ az: 'us-east-1a', available: 3 }] } });

    // Act
    const error = await failure(
      launch(h, { MinCount: 5, MaxCount: 10, Placement: { AvailabilityZone: 'us-east-1a' } }),
    );

    // Assess
    expect(error.name).toBe('InsufficientInstanceCapacity');
    expect(error.$fault).toBe('server');
    expect(error.message).toContain('(us-east-1a)');
    expect(h.sim.ec2.instances()).toEqual([]);
  });

  it('fails a faulted AZ and type only, so another AZ or type still launches', async () => {
    // Prepare
    const h = harness({ faults: { capacity: [{ az: 'us-east-1b', instanceType: 't3.medium' }] } });

    // Act
    const inB = await failure(launch(h, { Placement: { AvailabilityZone: 'us-east-1b' } }));
    const largeInB = await launch(h, {
      InstanceType: 't3.large',
      Placement: { AvailabilityZone: 'us-east-1b' },
    });
    const inC = await launch(h, { Placement: { AvailabilityZone: 'us-east-1c' } });

    // Assess
    expect(inB.name).toBe('InsufficientInstanceCapacity');
    expect(largeInB).toHaveLength(1);
    expect(inC).toHaveLength(1);
  });

  it('fails spot requests only when the fault names the spot market, and only `count` times', async () => {
    // Prepare
    const h = harness({ faults: { capacity: [{ market: 'spot', count: 1 }] } });
    const spot = { InstanceMarketOptions: { MarketType: 'spot' as const } };

    // Act
    const onDemand = await launch(h);
    const first = await failure(launch(h, spot));
    const second = await launch(h, spot);

    // Assess
    expect(onDemand).toHaveLength(1);
    expect(first.name).toBe('InsufficientInstanceCapacity');
    expect(second).toHaveLength(1);
    expect(h.sim.ec2.instances().map((i) => i.market)).toEqual(['on-demand', 'spot']);
  });

  it('without a subnet, places the launch in an AZ that has capacity', async () => {
    // Prepare
    const h = harness({ faults: { capacity: [{ az: 'us-east-1a' }] } });

    // Act
    await launch(h);

    // Assess
    expect(h.sim.ec2.instances()[0]?.az).toBe('us-east-1b');
  });

  it('refuses launches beyond the vCPU limit', async () => {
    // Prepare
    const h = harness({ faults: { vcpuLimit: 8 } });
    await launch(h, { MinCount: 3, MaxCount: 3 });

    // Act
    const error = await failure(launch(h, { MinCount: 2, MaxCount: 2 }));

    // Assess
    expect(error.name).toBe('VcpuLimitExceeded');
  });

  it('refuses an image that does not exist, and a type of another architecture', async () => {
    // Prepare
    const h = harness();

    // Act
    const missing = await failure(launch(h, { ImageId: 'ami-0000000000000dead' }));
    const malformed = await failure(launch(h, { ImageId: 'ubuntu' }));
    const mismatch = await failure(launch(h, { ImageId: UBUNTU_ARM, InstanceType: 't3.medium' }));
    const matching = await launch(h, { ImageId: UBUNTU_ARM, InstanceType: 't4g.medium' });

    // Assess
    expect(missing.name).toBe('InvalidAMIID.NotFound');
    expect(malformed.name).toBe('InvalidAMIID.Malformed');
    expect(mismatch.name).toBe('InvalidParameterValue');
    expect(mismatch.message).toContain("architecture 'x86_64'");
    expect(matching).toHaveLength(1);
  });

  it('refuses unknown subnets, groups and instance types', async () => {
    // Prepare
    const h = harness();

    // Act
    const subnet = await failure(launch(h, { SubnetId: 'subnet-0123456789abcdef0' }));
    const group = await failure(launch(h, { SecurityGroupIds: ['sg-0123456789abcdef0'] }));
    const type = await failure(launch(h, { InstanceType: 'x9.huge' as 't3.medium' }));

    // Assess
    expect([subnet.name, group.name, type.name]).toEqual([
      'InvalidSubnetID.NotFound',
      'InvalidGroup.NotFound',
      'InvalidParameterValue',
    ]);
  });

  it('refuses an instance profile the account does not have, by name or ARN', async () => {
    // Prepare
    const h = harness();

    // Act
    const byName = await failure(launch(h, { IamInstanceProfile: { Name: 'no-such-profile' } }));
    const byArn = await failure(
      launch(h, {
        IamInstanceProfile: { Arn: 'arn:aws:iam::123456789012:instance-profile/no-such-profile' },
      }),
    );
    const known = await launch(h, {
      IamInstanceProfile: { Arn: `arn:aws:iam::123456789012:instance-profile/${INSTANCE_PROFILE}` },
    });

    // Assess
    expect(byName).toMatchObject({
      name: 'InvalidParameterValue',
      message:
        'Value (no-such-profile) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name',
    });
    expect(byArn.name).toBe('InvalidParameterValue');
    expect(byArn.message).toContain('iamInstanceProfile.arn');
    expect(known).toHaveLength(1);
    expect(h.sim.ec2.instances()).toHaveLength(1);
  });

  it('refuses a tag specification without tags', async () => {
    // Prepare
    const h = harness();

    // Act
    const error = await failure(
      launch(h, {
        TagSpecifications: [
          { ResourceType: 'instance', Tags: [{ Key: 'bakehouse:class', Value: 'bio101' }] },
          { ResourceType: 'volume', Tags: [] },
        ],
      }),
    );

    // Assess
    expect(error).toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Tag specification must have at least one tag',
    });
    expect(h.sim.ec2.instances()).toEqual([]);
  });

  it('refuses a root volume smaller than the image snapshot', async () => {
    // Prepare
    const h = harness();

    // Act
    const error = await failure(
      launch(h, { BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { VolumeSize: 4 } }] }),
    );

    // Assess
    expect(error.name).toBe('InvalidBlockDeviceMapping');
  });

  it('boots in about 15 s (median) and under a minute', async () => {
    // Prepare
    const h = harness({ seed: 3 });
    await launch(h, { MinCount: 200, MaxCount: 200 });
    const runningAfter = async (ms: number) => {
      const out = await h.ec2.send(
        new DescribeInstancesCommand({
          Filters: [{ Name: 'instance-state-name', Values: ['running'] }],
        }),
      );
      h.advance(ms);
      return out.Reservations?.flatMap((r) => r.Instances ?? []).length ?? 0;
    };

    // Act
    const at0 = await runningAfter(15 * SECOND);
    const at15 = await runningAfter(45 * SECOND);
    const at60 = await runningAfter(0);

    // Assess
    expect(at0).toBe(0);
    expect(at15).toBeGreaterThan(60);
    expect(at15).toBeLessThan(140);
    expect(at60).toBeGreaterThanOrEqual(198);
  });
});
