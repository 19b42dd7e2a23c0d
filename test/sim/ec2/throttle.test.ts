import {
  DescribeInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../local/sim';
import { MINUTE, type ScaledClock, SECOND } from '../../../local/sim/kernel/clock';
import { type Harness, harness, launchInput } from '../harness';

const settle = <T>(promises: Promise<T>[]) => Promise.allSettled(promises);
const rejectedNames = (results: PromiseSettledResult<unknown>[]) =>
  results
    .filter((r) => r.status === 'rejected')
    .map((r) => (r as PromiseRejectedResult).reason.name);

const CLASS_TAG = {
  ResourceType: 'instance' as const,
  Tags: [{ Key: 'bakehouse:class', Value: 'big' }],
};

async function launchClassInBatches(h: Harness, seats: number, batch: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < seats; start += batch) {
    const size = Math.min(batch, seats - start);
    const out = await h.ec2.send(
      new RunInstancesCommand(
        launchInput({ MinCount: size, MaxCount: size, TagSpecifications: [CLASS_TAG] }),
      ),
    );
    ids.push(...(out.Instances ?? []).map((i) => i.InstanceId as string));
  }
  return ids;
}

describe('EC2 request throttling', () => {
  it('lets a burst of 5 RunInstances through, throttles the rest, and refills 2 per simulated second', async () => {
    // Prepare
    const h = harness();

    // Act
    const burst = await settle(
      Array.from({ length: 8 }, () => h.ec2.send(new RunInstancesCommand(launchInput()))),
    );
    h.advance(SECOND);
    const refilled = await settle(
      Array.from({ length: 3 }, () => h.ec2.send(new RunInstancesCommand(launchInput()))),
    );

    // Assess
    expect(rejectedNames(burst)).toEqual([
      'RequestLimitExceeded',
      'RequestLimitExceeded',
      'RequestLimitExceeded',
    ]);
    expect(rejectedNames(refilled)).toEqual(['RequestLimitExceeded']);
    expect(h.sim.throttled['EC2:RunInstances']).toBe(4);
    expect(h.sim.calls['EC2:RunInstances']).toBe(11);
  });

  it('throttles with the SDK shape of RequestLimitExceeded', async () => {
    // Prepare
    const h = harness({ faults: { throttle: { 'EC2:DescribeInstances': 1 } } });

    // Act
    const [first, second] = await settle([
      h.ec2.send(new DescribeInstancesCommand({})),
      h.ec2.send(new DescribeInstancesCommand({})),
    ]);

    // Assess
    expect(first?.status).toBe('rejected');
    expect((first as PromiseRejectedResult).reason).toMatchObject({
      name: 'RequestLimitExceeded',
      message: 'Request limit exceeded.',
      $fault: 'server',
      $metadata: { httpStatusCode: 503 },
    });
    expect(second?.status).toBe('fulfilled');
  });

  it('counts instances against the resource bucket: 1000 at once, then 2 per second', async () => {
    // Prepare
    const h = harness();
    await launchClassInBatches(h, 1000, 250);

    // Act
    const empty = await settle([
      h.ec2.send(new RunInstancesCommand(launchInput({ MinCount: 2, MaxCount: 2 }))),
    ]);
    h.advance(SECOND);
    const refilled = await h.ec2.send(
      new RunInstancesCommand(launchInput({ MinCount: 2, MaxCount: 2 })),
    );

    // Assess
    expect(rejectedNames(empty)).toEqual(['RequestLimitExceeded']);
    expect(refilled.Instances).toHaveLength(2);
  });

  it('lets a 1000-seat class that launches in batches and polls with one filtered query run unthrottled', async () => {
    // Prepare
    const h = harness();

    // Act
    await launchClassInBatches(h, 1000, 250);
    let running = 0;
    while (running < 1000) {
      h.advance(5 * SECOND);
      const out = await h.ec2.send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: 'tag:bakehouse:class', Values: ['big'] },
            { Name: 'instance-state-name', Values: ['running'] },
          ],
          MaxResults: 1000,
        }),
      );
      running = out.Reservations?.flatMap((r) => r.Instances ?? []).length ?? 0;
    }

    // Assess
    expect(summarize(h.sim).EC2?.throttled).toBe(0);
  });

  it('throttles most calls of a class that polls every seat with its own DescribeInstances', async () => {
    // Prepare
    const h = harness();
    const ids = await launchClassInBatches(h, 1000, 250);

    // Act
    for (let round = 0; round < 6; round++) {
      h.advance(5 * SECOND);
      await settle(
        ids.map((id) => h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))),
      );
    }

    // Assess
    const polls = h.sim.calls['EC2:DescribeInstances'] ?? 0;
    const throttled = h.sim.throttled['EC2:DescribeInstances'] ?? 0;
    expect(polls).toBe(6000);
    expect(throttled / polls).toBeGreaterThan(0.85);
  });

  it('at the default scale, throttles a burst fired while a runner holds the clock as one instant', async () => {
    // Prepare
    const h = harness({ scale: 600 });
    const ids = await launchClassInBatches(h, 1000, 250);

    const clock = h.sim.clock as ScaledClock;

    // Act
    clock.hold();
    const burst = await settle(
      ids.map((id) => h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))),
    );
    clock.release();

    // Assess
    expect(rejectedNames(burst)).toHaveLength(900);
  });

  it('keeps an own bucket per API: a throttled RunInstances leaves DescribeInstances alone', async () => {
    // Prepare
    const h = harness();
    await settle(
      Array.from({ length: 6 }, () => h.ec2.send(new RunInstancesCommand(launchInput()))),
    );

    // Act
    const describe = await h.ec2.send(new DescribeInstancesCommand({}));

    // Assess
    expect(describe.Reservations).toHaveLength(5);
  });

  it('shares the Run/Start request rate with nobody but StartInstances itself', async () => {
    // Prepare
    const h = harness();
    const [id] = (await h.ec2.send(new RunInstancesCommand(launchInput()))).Instances ?? [];
    h.advance(MINUTE);

    // Act
    const starts = await settle(
      Array.from({ length: 7 }, () =>
        h.ec2.send(new StartInstancesCommand({ InstanceIds: [id?.InstanceId as string] })),
      ),
    );

    // Assess
    expect(rejectedNames(starts)).toEqual(['RequestLimitExceeded', 'RequestLimitExceeded']);
  });

  it('does not throttle when throttling is off', async () => {
    // Prepare
    const h = harness({ throttling: false });

    // Act
    const burst = await settle(
      Array.from({ length: 20 }, () => h.ec2.send(new RunInstancesCommand(launchInput()))),
    );

    // Assess
    expect(rejectedNames(burst)).toEqual([]);
  });
});
