import {
  CreateImageCommand,
  CreateTagsCommand,
  DescribeInstancesCommand,
  type DescribeInstancesCommandOutput,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { builderUserData } from '../../../layers/core/recipe/compile';
import { HOUR, MINUTE } from '../../../local/sim/kernel/clock';
import { failure, harness, launch } from '../harness';

const instancesOf = (out: DescribeInstancesCommandOutput) =>
  out.Reservations?.flatMap((r) => r.Instances ?? []) ?? [];

describe('EC2 instances after launch', () => {
  it('pages DescribeInstances with MaxResults and NextToken, grouping by reservation', async () => {
    // Prepare
    const h = harness();
    await launch(h, { MinCount: 7, MaxCount: 7 });
    await launch(h, { MinCount: 5, MaxCount: 5 });

    // Act
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await h.ec2.send(
        new DescribeInstancesCommand({ MaxResults: 5, NextToken: token }),
      );
      pages.push(instancesOf(page).map((i) => i.InstanceId as string));
      token = page.NextToken;
    } while (token);

    // Assess
    expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
    expect(new Set(pages.flat()).size).toBe(12);
  });

  it('refuses InstanceIds together with MaxResults, and a bad page size', async () => {
    // Prepare
    const h = harness();
    const [id] = await launch(h);

    // Act
    const combined = await failure(
      h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id as string], MaxResults: 5 })),
    );
    const tooSmall = await failure(h.ec2.send(new DescribeInstancesCommand({ MaxResults: 2 })));
    const badToken = await failure(
      h.ec2.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken: 'nonsense' })),
    );

    // Assess
    expect(combined.name).toBe('InvalidParameterCombination');
    expect(tooSmall.name).toBe('InvalidParameterValue');
    expect(badToken.name).toBe('InvalidPaginationToken');
  });

  it('filters by tag, tag key, state and id, with wildcards', async () => {
    // Prepare
    const h = harness();
    const tagged = await launch(h, {
      MinCount: 2,
      MaxCount: 2,
      TagSpecifications: [
        { ResourceType: 'instance', Tags: [{ Key: 'bakehouse:class', Value: 'bio101' }] },
      ],
    });
    const [other] = await launch(h);
    await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [tagged[1] as string] }));
    const ids = async (filters: { Name: string; Values: string[] }[]) =>
      instancesOf(await h.ec2.send(new DescribeInstancesCommand({ Filters: filters }))).map(
        (i) => i.InstanceId,
      );

    // Act
    const byTag = await ids([{ Name: 'tag:bakehouse:class', Values: ['bio1*'] }]);
    const byKeyAndState = await ids([
      { Name: 'tag-key', Values: ['bakehouse:class'] },
      { Name: 'instance-state-name', Values: ['pending', 'running'] },
    ]);
    const byId = await ids([{ Name: 'instance-id', Values: [other as string] }]);

    // Assess
    expect(byTag).toEqual(tagged);
    expect(byKeyAndState).toEqual([tagged[0]]);
    expect(byId).toEqual([other]);
  });

  it('refuses a filter name EC2 does not know', async () => {
    // Prepare
    const h = harness();

    // Act
    const error = await failure(
      h.ec2.send(
        new DescribeInstancesCommand({ Filters: [{ Name: 'state', Values: ['running'] }] }),
      ),
    );

    // Assess
    expect(error.name).toBe('InvalidParameterValue');
    expect(error.message).toBe("The filter 'state' is invalid");
  });

  it('names every missing id in InvalidInstanceID.NotFound, and malformed ids as such', async () => {
    // Prepare
    const h = harness();
    const [id] = await launch(h);

    // Act
    const missing = await failure(
      h.ec2.send(
        new DescribeInstancesCommand({
          InstanceIds: [id as string, 'i-0aaaaaaaaaaaaaaaa', 'i-0bbbbbbbbbbbbbbbb'],
        }),
      ),
    );
    const malformed = await failure(
      h.ec2.send(new StopInstancesCommand({ InstanceIds: ['seat-1'] })),
    );

    // Assess
    expect(missing.message).toBe(
      "The instance IDs 'i-0aaaaaaaaaaaaaaaa, i-0bbbbbbbbbbbbbbbb' do not exist",
    );
    expect(malformed.name).toBe('InvalidInstanceID.Malformed');
  });

  it('stops a running instance through stopping, releasing its public IP, and starts it with a new one', async () => {
    // Prepare
    const h = harness();
    const [id] = (await launch(h)) as [string];
    h.advance(MINUTE);
    const before = h.sim.ec2.instances()[0]?.publicIp;

    // Act
    const stopping = await h.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    h.advance(5 * MINUTE);
    const stopped = h.sim.ec2.instances()[0];
    const starting = await h.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    h.advance(MINUTE);
    const after = h.sim.ec2.instances()[0];

    // Assess
    expect(stopping.StoppingInstances?.[0]).toMatchObject({
      PreviousState: { Name: 'running' },
      CurrentState: { Name: 'stopping' },
    });
    expect(stopped).toMatchObject({ state: 'stopped', publicIp: undefined });
    expect(starting.StartingInstances?.[0]?.CurrentState?.Name).toBe('pending');
    expect(after?.state).toBe('running');
    expect(after?.publicIp).toBeDefined();
    expect(after?.publicIp).not.toBe(before);
  });

  it('refuses to stop a pending instance, or a spot instance from a one-time request', async () => {
    // Prepare
    const h = harness();
    const [pending] = (await launch(h)) as [string];
    const [spot] = (await launch(h, { InstanceMarketOptions: { MarketType: 'spot' } })) as [string];
    const [persistent] = (await launch(h, {
      InstanceMarketOptions: {
        MarketType: 'spot',
        SpotOptions: { SpotInstanceType: 'persistent', InstanceInterruptionBehavior: 'stop' },
      },
    })) as [string];

    // Act
    const early = await failure(h.ec2.send(new StopInstancesCommand({ InstanceIds: [pending] })));
    h.advance(MINUTE);
    const oneTime = await failure(h.ec2.send(new StopInstancesCommand({ InstanceIds: [spot] })));
    const stoppable = await h.ec2.send(new StopInstancesCommand({ InstanceIds: [persistent] }));

    // Assess
    expect(early.name).toBe('IncorrectInstanceState');
    expect(oneTime.name).toBe('UnsupportedOperation');
    expect(stoppable.StoppingInstances?.[0]?.CurrentState?.Name).toBe('stopping');
  });

  it('refuses a StopInstances call as a whole when one of its instances is a one-time spot instance', async () => {
    // Prepare
    const h = harness();
    const [onDemand] = (await launch(h)) as [string];
    const [spot] = (await launch(h, { InstanceMarketOptions: { MarketType: 'spot' } })) as [string];
    h.advance(MINUTE);

    // Act
    const error = await failure(
      h.ec2.send(new StopInstancesCommand({ InstanceIds: [onDemand, spot] })),
    );

    // Assess
    expect(error).toMatchObject({
      name: 'UnsupportedOperation',
      message: `You can't stop the Spot Instance '${spot}' because it is associated with a one-time Spot Instance request. You can only stop Spot Instances associated with persistent Spot Instance requests.`,
    });
    expect(h.sim.ec2.instances().map((i) => i.state)).toEqual(['running', 'running']);
  });

  it('terminates through shutting-down, keeps a terminated instance visible for an hour, then forgets it', async () => {
    // Prepare
    const h = harness();
    const [id] = (await launch(h)) as [string];

    // Act
    const terminating = await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    h.advance(5 * MINUTE);
    const visible = instancesOf(
      await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] })),
    );
    h.advance(HOUR);
    const gone = await failure(h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] })));
    const again = await failure(h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] })));

    // Assess
    expect(terminating.TerminatingInstances?.[0]?.CurrentState?.Name).toBe('shutting-down');
    expect(visible[0]?.State?.Name).toBe('terminated');
    expect(gone.name).toBe('InvalidInstanceID.NotFound');
    expect(again.name).toBe('InvalidInstanceID.NotFound');
    expect(h.sim.ec2.instances()[0]?.state).toBe('terminated');
  });

  it('tags existing resources and refuses reserved keys', async () => {
    // Prepare
    const h = harness();
    const [id] = (await launch(h)) as [string];

    // Act
    await h.ec2.send(
      new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'Name', Value: 'seat-01' }] }),
    );
    const reserved = await failure(
      h.ec2.send(
        new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'aws:owner', Value: 'x' }] }),
      ),
    );
    const missing = await failure(
      h.ec2.send(
        new CreateTagsCommand({
          Resources: ['i-0aaaaaaaaaaaaaaaa'],
          Tags: [{ Key: 'a', Value: 'b' }],
        }),
      ),
    );

    // Assess
    expect(h.sim.ec2.instances()[0]?.tags).toEqual({ Name: 'seat-01' });
    expect(reserved.name).toBe('InvalidParameterValue');
    expect(missing.name).toBe('InvalidInstanceID.NotFound');
  });

  it('powers itself off when the user-data timer fires, terminating as its shutdown behaviour says', async () => {
    // Prepare
    const h = harness();
    const [builder] = (await launch(h, {
      UserData: Buffer.from(builderUserData(90)).toString('base64'),
      InstanceInitiatedShutdownBehavior: 'terminate',
    })) as [string];
    const [stopper] = (await launch(h, {
      UserData: Buffer.from('#!/bin/sh\nshutdown -P +30\n').toString('base64'),
    })) as [string];
    const stateOf = (id: string) => h.sim.ec2.instances().find((i) => i.instanceId === id)?.state;

    // Act
    h.advance(80 * MINUTE);
    const before = [stateOf(builder), stateOf(stopper)];
    h.advance(15 * MINUTE);
    const after = [stateOf(builder), stateOf(stopper)];

    // Assess
    expect(before).toEqual(['running', 'stopped']);
    expect(after).toEqual(['terminated', 'stopped']);
  });

  it('re-arms the user-data timer when CreateImage reboots the instance', async () => {
    // Prepare
    const h = harness();
    const [builder] = (await launch(h, {
      UserData: Buffer.from(builderUserData(90)).toString('base64'),
      InstanceInitiatedShutdownBehavior: 'terminate',
    })) as [string];
    h.advance(60 * MINUTE);

    // Act
    await h.ec2.send(new CreateImageCommand({ InstanceId: builder, Name: 'rebooted' }));
    h.advance(60 * MINUTE);
    const afterFirstDeadline = h.sim.ec2.instances()[0]?.state;
    h.advance(45 * MINUTE);

    // Assess
    expect(afterFirstDeadline).toBe('running');
    expect(h.sim.ec2.instances()[0]?.state).toBe('terminated');
  });
});
