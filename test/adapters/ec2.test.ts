import {
  CancelSpotInstanceRequestsCommand,
  CreateImageCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  EC2ServiceException,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  cancelSpotRequests,
  createImage,
  deleteImage,
  instancesByTag,
  launchInstances,
  terminateInstances,
} from '../../layers/aws/ec2';
import type { LaunchSpec } from '../../layers/core/launch';

const ec2 = mockClient(EC2Client);

const spec: LaunchSpec = {
  imageId: 'ami-0123456789abcdef0',
  instanceType: 't3.large',
  count: 1,
  clientToken: 'bh-token',
  market: 'on-demand',
  instanceProfileName: 'bakehouse-dev-instance',
  rootDeviceName: '/dev/sda1',
  rootVolumeGiB: 30,
  volumes: [{ device: '/dev/sdf', sizeGiB: 100, type: 'gp3', encrypted: true }],
  userData: '#!/bin/sh\nshutdown -P +180\n',
  shutdownBehavior: 'terminate',
  tags: { 'bakehouse:stack': 'bakehouse-dev', 'bakehouse:bake-id': 'b1' },
};

beforeEach(() => {
  ec2.reset();
});

describe('launchInstances', () => {
  it('requires IMDSv2, encrypts every volume, tags instance and volumes, and sends no key pair', async () => {
    ec2
      .on(RunInstancesCommand)
      .resolves({ Instances: [{ InstanceId: 'i-1', State: { Name: 'pending' } }] });

    const launched = await launchInstances('us-east-1', spec);

    expect(launched).toEqual([expect.objectContaining({ instanceId: 'i-1', state: 'pending' })]);
    const input = ec2.commandCalls(RunInstancesCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      ImageId: spec.imageId,
      MinCount: 1,
      MaxCount: 1,
      ClientToken: 'bh-token',
      InstanceInitiatedShutdownBehavior: 'terminate',
      MetadataOptions: { HttpTokens: 'required' },
      IamInstanceProfile: { Name: 'bakehouse-dev-instance' },
    });
    expect(input?.KeyName).toBeUndefined();
    expect(input?.BlockDeviceMappings?.map((b) => [b.DeviceName, b.Ebs?.Encrypted])).toEqual([
      ['/dev/sda1', true],
      ['/dev/sdf', true],
    ]);
    expect(input?.TagSpecifications?.map((t) => t.ResourceType)).toEqual(['instance', 'volume']);
    expect(Buffer.from(input?.UserData ?? '', 'base64').toString()).toBe(spec.userData);
  });

  it('asks for spot capacity only when the spec says so, with a floor of minCount', async () => {
    ec2.on(RunInstancesCommand).resolves({ Instances: [] });

    await launchInstances('us-east-1', { ...spec, market: 'spot', count: 50, minCount: 1 });

    expect(ec2).toHaveReceivedCommandWith(RunInstancesCommand, {
      MinCount: 1,
      MaxCount: 50,
      InstanceMarketOptions: expect.objectContaining({ MarketType: 'spot' }),
    });
  });

  it('asks for spot seats as persistent requests that stop, so they can be stopped, and tags the request', async () => {
    ec2.on(RunInstancesCommand).resolves({ Instances: [] });

    await launchInstances('us-east-1', { ...spec, market: 'spot' });

    const input = ec2.commandCalls(RunInstancesCommand)[0]?.args[0].input;
    expect(input?.InstanceMarketOptions).toEqual({
      MarketType: 'spot',
      SpotOptions: { SpotInstanceType: 'persistent', InstanceInterruptionBehavior: 'stop' },
    });
    expect(
      input?.TagSpecifications?.find((t) => t.ResourceType === 'spot-instances-request'),
    ).toEqual({
      ResourceType: 'spot-instances-request',
      Tags: expect.arrayContaining([{ Key: 'bakehouse:stack', Value: 'bakehouse-dev' }]),
    });
  });

  it('reports the spot request of each instance it launched', async () => {
    ec2.on(RunInstancesCommand).resolves({
      Instances: [
        { InstanceId: 'i-1', State: { Name: 'pending' }, SpotInstanceRequestId: 'sir-1' },
        { InstanceId: 'i-2', State: { Name: 'pending' } },
      ],
    });

    const launched = await launchInstances('us-east-1', { ...spec, market: 'spot' });

    expect(launched.map((i) => i.spotRequestId)).toEqual(['sir-1', undefined]);
  });
});

describe('cancelSpotRequests', () => {
  it('cancels the requests in one call, and makes none for an empty list', async () => {
    ec2.on(CancelSpotInstanceRequestsCommand).resolves({
      CancelledSpotInstanceRequests: [{ SpotInstanceRequestId: 'sir-1', State: 'cancelled' }],
    });

    expect(await cancelSpotRequests('us-east-1', [])).toEqual([]);
    expect(await cancelSpotRequests('us-east-1', ['sir-1'])).toEqual(['sir-1']);
    expect(ec2).toHaveReceivedCommandTimes(CancelSpotInstanceRequestsCommand, 1);
    expect(ec2).toHaveReceivedCommandWith(CancelSpotInstanceRequestsCommand, {
      SpotInstanceRequestIds: ['sir-1'],
    });
  });
});

describe('instancesByTag', () => {
  it('filters by every tag and live state, and follows pagination', async () => {
    ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce({
        Reservations: [{ Instances: [{ InstanceId: 'i-1', State: { Name: 'running' } }] }],
        NextToken: 'n',
      })
      .resolvesOnce({
        Reservations: [{ Instances: [{ InstanceId: 'i-2', State: { Name: 'stopped' } }] }],
      });

    const found = await instancesByTag('us-east-1', { 'bakehouse:bake-id': 'b1' });

    expect(found.map((i) => i.instanceId)).toEqual(['i-1', 'i-2']);
    expect(ec2).toHaveReceivedCommandTimes(DescribeInstancesCommand, 2);
    const filters = ec2.commandCalls(DescribeInstancesCommand)[0]?.args[0].input.Filters;
    expect(filters).toContainEqual({ Name: 'tag:bakehouse:bake-id', Values: ['b1'] });
    expect(filters?.find((f) => f.Name === 'instance-state-name')?.Values).not.toContain(
      'terminated',
    );
  });
});

describe('terminateInstances', () => {
  it('makes no call for an empty list', async () => {
    expect(await terminateInstances('us-east-1', [])).toEqual([]);
    expect(ec2).not.toHaveReceivedCommand(TerminateInstancesCommand);
  });
});

describe('createImage', () => {
  it('tags the image and its snapshots at creation', async () => {
    ec2.on(CreateImageCommand).resolves({ ImageId: 'ami-new' });

    const id = await createImage('us-east-1', {
      instanceId: 'i-1',
      name: 'n',
      description: 'd',
      tags: { k: 'v' },
    });

    expect(id).toBe('ami-new');
    const input = ec2.commandCalls(CreateImageCommand)[0]?.args[0].input;
    expect(input?.TagSpecifications?.map((t) => t.ResourceType)).toEqual(['image', 'snapshot']);
  });

  it('returns the image a first attempt already registered under the same name', async () => {
    ec2.on(CreateImageCommand).rejects(
      new EC2ServiceException({
        name: 'InvalidAMIName.Duplicate',
        $fault: 'client',
        $metadata: {},
        message: 'dup',
      }),
    );
    ec2
      .on(DescribeImagesCommand)
      .resolves({ Images: [{ ImageId: 'ami-first', Name: 'n', State: 'pending' }] });

    expect(
      await createImage('us-east-1', { instanceId: 'i-1', name: 'n', description: 'd', tags: {} }),
    ).toBe('ami-first');
    expect(ec2).toHaveReceivedCommandWith(DescribeImagesCommand, {
      Filters: [{ Name: 'name', Values: ['n'] }],
    });
  });

  it('passes any other error through', async () => {
    ec2.on(CreateImageCommand).rejects(
      new EC2ServiceException({
        name: 'InvalidInstanceID.NotFound',
        $fault: 'client',
        $metadata: {},
        message: 'gone',
      }),
    );

    await expect(
      createImage('us-east-1', { instanceId: 'i-1', name: 'n', description: 'd', tags: {} }),
    ).rejects.toMatchObject({
      name: 'InvalidInstanceID.NotFound',
    });
  });
});

describe('deleteImage', () => {
  it('deregisters the image and deletes every snapshot behind it', async () => {
    await deleteImage('us-east-1', {
      imageId: 'ami-1',
      state: 'failed',
      snapshotIds: ['snap-1', 'snap-2'],
      tags: {},
    });

    expect(ec2).toHaveReceivedCommandWith(DeregisterImageCommand, { ImageId: 'ami-1' });
    expect(ec2).toHaveReceivedCommandTimes(DeleteSnapshotCommand, 2);
  });
});
