// Patience with throttling: what counts as a throttle, the waits between attempts, and the
// teardown's ports, which ask again for the one call refused instead of redoing what succeeded.
import {
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { launchDeps } from '../../layers/aws/seat-deps';
import { teardownPorts } from '../../layers/aws/teardown-fleet';
import { isThrottle, patiently } from '../../layers/aws/throttling';
import { useDraw, useSleep } from '../../layers/runtime/sleep';

const ec2 = mockClient(EC2Client);
const slept: number[] = [];

const named = (name: string) => Object.assign(new Error(`${name} says no`), { name });
const throttle = () => named('RequestLimitExceeded');

beforeEach(() => {
  ec2.reset();
  slept.length = 0;
  useSleep(async (ms) => {
    slept.push(ms);
  });
  useDraw(() => 0.5);
});

afterEach(() => {
  useSleep(undefined);
  useDraw(undefined);
});

describe('isThrottle', () => {
  it('knows the rate refusals of EC2, SSM, Scheduler, SES and Route 53, and nothing else', () => {
    for (const name of [
      'RequestLimitExceeded',
      'ThrottlingException',
      'Throttling',
      'TooManyRequestsException',
      'PriorRequestNotComplete',
    ])
      expect(isThrottle(named(name)), name).toBe(true);
    for (const name of ['InsufficientInstanceCapacity', 'AccessDeniedException', 'Error'])
      expect(isThrottle(named(name)), name).toBe(false);
    expect(isThrottle('RequestLimitExceeded')).toBe(false);
  });
});

describe('patiently', () => {
  it('asks again after a growing, capped, jittered wait until the call goes through', async () => {
    let calls = 0;
    const answer = await patiently(async () => {
      calls += 1;
      if (calls < 8) throw throttle();
      return 'done';
    });
    expect(answer).toBe('done');
    expect(calls).toBe(8);
    // Half (the draw) of 250 ms × 2^attempt, never more than half of 10 s.
    expect(slept).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
  });

  it('gives up after its attempts with the last throttle', async () => {
    let calls = 0;
    const work = async () => {
      calls += 1;
      throw throttle();
    };
    await expect(patiently(work, 3)).rejects.toThrow('RequestLimitExceeded says no');
    expect(calls).toBe(3);
    expect(slept).toHaveLength(2);
  });

  it('never repeats a call refused for another reason', async () => {
    let calls = 0;
    const work = async () => {
      calls += 1;
      throw named('InvalidGroup.InUse');
    };
    await expect(patiently(work)).rejects.toThrow('InvalidGroup.InUse');
    expect(calls).toBe(1);
    expect(slept).toEqual([]);
  });
});

describe("the teardown's ports", () => {
  it('deregisters an image once when deleting one of its snapshots is throttled', async () => {
    ec2.on(DeregisterImageCommand).resolves({});
    ec2.on(DeleteSnapshotCommand).rejectsOnce(throttle()).resolves({});

    await teardownPorts('eu-west-1').deleteImage({
      id: 'ami-1',
      snapshotIds: ['snap-1', 'snap-2'],
    });

    expect(ec2.commandCalls(DeregisterImageCommand)).toHaveLength(1);
    expect(ec2.commandCalls(DeleteSnapshotCommand).map((c) => c.args[0].input.SnapshotId)).toEqual([
      'snap-1',
      'snap-1',
      'snap-2',
    ]);
  });

  it('terminates through a throttle', async () => {
    ec2
      .on(TerminateInstancesCommand)
      .rejectsOnce(throttle())
      .resolves({ TerminatingInstances: [{ InstanceId: 'i-1' }] });

    expect(await teardownPorts('eu-west-1').terminateInstances(['i-1'])).toEqual(['i-1']);
    expect(ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(2);
  });
});

describe("a seat launch's RunInstances", () => {
  it('waits out a throttle and sends the same request again, its ClientToken with it', async () => {
    ec2
      .on(RunInstancesCommand)
      .rejectsOnce(throttle())
      .rejectsOnce(throttle())
      .resolves({ Instances: [{ InstanceId: 'i-1', State: { Name: 'pending' } }] });

    const launched = await launchDeps('eu-west-1').runInstances({
      imageId: 'ami-0123456789abcdef0',
      instanceType: 't3.medium',
      count: 1,
      clientToken: 'bh-seat-token',
      market: 'on-demand',
      instanceProfileName: 'bakehouse-dev-seat',
      rootDeviceName: '/dev/xvda',
      rootVolumeGiB: 20,
      userData: '#!/bin/sh\n',
      shutdownBehavior: 'stop',
      tags: { 'bakehouse:stack': 'bakehouse-dev' },
    });

    expect(launched.map((i) => i.instanceId)).toEqual(['i-1']);
    const tokens = ec2.commandCalls(RunInstancesCommand).map((c) => c.args[0].input.ClientToken);
    expect(tokens).toEqual(['bh-seat-token', 'bh-seat-token', 'bh-seat-token']);
    expect(slept).toHaveLength(2);
  });
});
