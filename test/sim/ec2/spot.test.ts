import {
  CancelSpotInstanceRequestsCommand,
  DescribeInstancesCommand,
  type RunInstancesCommandInput,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { MINUTE } from '../../../local/sim/kernel/clock';
import { failure, type Harness, harness, launch } from '../harness';

const TAGS = [{ Key: 'bakehouse:class', Value: 'bio101' }];

const persistent: Partial<RunInstancesCommandInput> = {
  InstanceMarketOptions: {
    MarketType: 'spot',
    SpotOptions: { SpotInstanceType: 'persistent', InstanceInterruptionBehavior: 'stop' },
  },
  TagSpecifications: [
    { ResourceType: 'instance', Tags: TAGS },
    { ResourceType: 'spot-instances-request', Tags: TAGS },
  ],
};

async function requestOf(h: Harness, instanceId: string): Promise<string> {
  const out = await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return out.Reservations?.[0]?.Instances?.[0]?.SpotInstanceRequestId as string;
}

const terminate = (h: Harness, ids: string[]) =>
  h.ec2.send(new TerminateInstancesCommand({ InstanceIds: ids }));

describe('EC2 Spot Instance requests', () => {
  it('refuses a persistent request that terminates on interruption, and a one-time one that stops', async () => {
    // Prepare
    const h = harness();

    // Act
    const persistentTerminate = await failure(
      launch(h, {
        InstanceMarketOptions: {
          MarketType: 'spot',
          SpotOptions: { SpotInstanceType: 'persistent' },
        },
      }),
    );
    const oneTimeStop = await failure(
      launch(h, {
        InstanceMarketOptions: {
          MarketType: 'spot',
          SpotOptions: { InstanceInterruptionBehavior: 'stop' },
        },
      }),
    );

    // Assess
    expect(persistentTerminate).toMatchObject({
      name: 'InvalidParameterCombination',
      message:
        'The terminate InstanceInterruptionBehavior is not supported when requestType is set to persistent.',
    });
    expect(oneTimeStop.name).toBe('InvalidParameterCombination');
    expect(h.sim.ec2.instances()).toEqual([]);
  });

  it('gives each spot instance its own tagged request, shown by DescribeInstances', async () => {
    // Prepare
    const h = harness();

    // Act
    const ids = await launch(h, { ...persistent, MinCount: 2, MaxCount: 2 });
    const requests = await Promise.all(ids.map((id) => requestOf(h, id)));
    const byRequest = await h.ec2.send(
      new DescribeInstancesCommand({
        Filters: [{ Name: 'spot-instance-request-id', Values: [requests[1] as string] }],
      }),
    );

    // Assess
    expect(byRequest.Reservations?.[0]?.Instances?.map((i) => i.InstanceId)).toEqual([ids[1]]);
    expect(requests).toEqual([expect.stringMatching(/^sir-/), expect.stringMatching(/^sir-/)]);
    expect(new Set(requests).size).toBe(2);
    expect(h.sim.ec2.spotRequests()).toEqual(
      ids.map((instanceId, i) => ({
        requestId: requests[i],
        type: 'persistent',
        state: 'active',
        instanceId,
        tags: { 'bakehouse:class': 'bio101' },
      })),
    );
  });

  it('stops an instance of a persistent request, disabling the request', async () => {
    // Prepare
    const h = harness();
    const [id] = (await launch(h, persistent)) as [string];
    h.advance(MINUTE);

    // Act
    const stopping = await h.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    h.advance(2 * MINUTE);

    // Assess
    expect(stopping.StoppingInstances?.[0]?.CurrentState?.Name).toBe('stopping');
    expect(h.sim.ec2.instances()[0]?.state).toBe('stopped');
    expect(h.sim.ec2.spotRequests()[0]?.state).toBe('disabled');
  });

  it('launches a new instance with the same tags for a persistent request whose instance was terminated', async () => {
    // Prepare
    const h = harness();
    const [id] = (await launch(h, persistent)) as [string];
    const request = await requestOf(h, id);
    h.advance(MINUTE);

    // Act
    await terminate(h, [id]);
    h.advance(20 * MINUTE);
    const live = await h.ec2.send(
      new DescribeInstancesCommand({
        Filters: [{ Name: 'instance-state-name', Values: ['pending', 'running'] }],
      }),
    );

    // Assess
    const replacement = live.Reservations?.flatMap((r) => r.Instances ?? []) ?? [];
    expect(replacement).toHaveLength(1);
    expect(replacement[0]).toMatchObject({
      SpotInstanceRequestId: request,
      Tags: [{ Key: 'bakehouse:class', Value: 'bio101' }],
      State: { Name: 'running' },
    });
    expect(replacement[0]?.InstanceId).not.toBe(id);
    expect(h.sim.ec2.spotRequests()[0]).toMatchObject({
      state: 'active',
      instanceId: replacement[0]?.InstanceId,
    });
  });

  it('launches nothing more once the request is cancelled before its instance is terminated', async () => {
    // Prepare
    const h = harness();
    const [id] = (await launch(h, persistent)) as [string];
    const request = await requestOf(h, id);
    h.advance(MINUTE);

    // Act
    const cancelled = await h.ec2.send(
      new CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [request] }),
    );
    const stillRunning = h.sim.ec2.instances()[0]?.state;
    await terminate(h, [id]);
    h.advance(20 * MINUTE);

    // Assess
    expect(cancelled.CancelledSpotInstanceRequests).toEqual([
      { SpotInstanceRequestId: request, State: 'cancelled' },
    ]);
    expect(stillRunning).toBe('running');
    expect(h.sim.ec2.instances().map((i) => i.state)).toEqual(['terminated']);
    expect(h.sim.ec2.spotRequests()[0]?.state).toBe('cancelled');
  });

  it('closes a one-time request with its instance and relaunches nothing', async () => {
    // Prepare
    const h = harness();
    const [id] = (await launch(h, { InstanceMarketOptions: { MarketType: 'spot' } })) as [string];
    h.advance(MINUTE);

    // Act
    await terminate(h, [id]);
    h.advance(20 * MINUTE);

    // Assess
    expect(h.sim.ec2.instances().map((i) => i.state)).toEqual(['terminated']);
    expect(h.sim.ec2.spotRequests()[0]).toMatchObject({ type: 'one-time', state: 'closed' });
  });

  it('refuses to cancel a request that does not exist, or a malformed id', async () => {
    // Prepare
    const h = harness();
    const cancel = (ids: string[]) =>
      h.ec2.send(new CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: ids }));

    // Act
    const missing = await failure(cancel(['sir-0123456789abcdef0']));
    const malformed = await failure(cancel(['request-1']));

    // Assess
    expect(missing.name).toBe('InvalidSpotInstanceRequestID.NotFound');
    expect(malformed.name).toBe('InvalidSpotInstanceRequestID.Malformed');
  });
});
