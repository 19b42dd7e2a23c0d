/**
 * Spot Instance requests behind RunInstances' spot launches: one request per instance, one-time or
 * persistent. From the Amazon EC2 User Guide and API Reference:
 * - SpotMarketOptions: "For RunInstances, persistent Spot Instance requests are only supported
 *   when the instance interruption behavior is either hibernate or stop"; and (Interruption
 *   behavior) to stop interrupted instances "the Spot Instance request type must be persistent".
 * - Spot Instance requests: a one-time request is `closed` once its instance is terminated; a
 *   persistent one "is opened again" and "will try to relaunch a Spot Instance whenever it is
 *   interrupted or terminated. If you want to end both the Spot request and its Spot Instance,
 *   make sure you cancel the Spot request before you terminate the Spot Instance" (Canceling Spot
 *   Instance Requests); a stopped instance's request is `disabled`.
 * - CancelSpotInstanceRequests: "Canceling a Spot Instance request does not terminate running Spot
 *   Instances associated with the request."
 * A relaunch is a new instance with the same launch settings and tags, a few minutes after the
 * last one was terminated (EC2 does not document how long).
 */
import type {
  CancelSpotInstanceRequestsRequest,
  CancelSpotInstanceRequestsResult,
  InstanceMarketOptionsRequest,
} from '@aws-sdk/client-ec2';
import { MINUTE } from '../kernel/clock';
import { ec2Fault } from '../kernel/errors';
import { operation } from '../kernel/transport';
import { agentCanRegister, type Ec2Context } from './context';
import { checkId, required } from './filters';
import type { Ec2World, SimInstance, SimSpotRequest, SimSubnet, Tags } from './model';

export type SpotRequestState = 'active' | 'open' | 'disabled' | 'closed' | 'cancelled';

type SpotKind = Pick<SimSpotRequest, 'type' | 'interruption'>;

/**
 * The request type and interruption behaviour a spot launch asks for (EC2's defaults: one-time,
 * terminate), refused in the combinations EC2 refuses. The messages are EC2's as reported in
 * github.com/pahud/cdk-spot-one#206 and github.com/diux-dev/cluster#27 (InvalidParameterCombination).
 */
export function spotRequestKind(options: InstanceMarketOptionsRequest | undefined): SpotKind {
  const type = options?.SpotOptions?.SpotInstanceType ?? 'one-time';
  const interruption = options?.SpotOptions?.InstanceInterruptionBehavior ?? 'terminate';
  if (type === 'persistent' && interruption === 'terminate') {
    throw ec2Fault(
      'InvalidParameterCombination',
      'The terminate InstanceInterruptionBehavior is not supported when requestType is set to persistent.',
    );
  }
  if (type === 'one-time' && interruption !== 'terminate') {
    throw ec2Fault(
      'InvalidParameterCombination',
      `The request with type 'one-time' is not supported when instanceInterruptionBehavior is set to '${interruption}'.`,
    );
  }
  return { type, interruption };
}

export function openSpotRequest(
  world: Ec2World,
  instance: SimInstance,
  request: SpotKind & { publicIp: boolean; tags: Tags },
): void {
  const requestId = world.newId('sir');
  world.spotRequests.set(requestId, {
    requestId,
    type: request.type,
    interruption: request.interruption,
    instanceId: instance.instanceId,
    publicIp: request.publicIp,
    tags: new Map(request.tags),
  });
  instance.spotRequestId = requestId;
}

export function spotRequestOf(world: Ec2World, instance: SimInstance): SimSpotRequest | undefined {
  return instance.spotRequestId ? world.spotRequests.get(instance.spotRequestId) : undefined;
}

/** Only instances of persistent requests can be stopped (their interruption is stop or hibernate). */
export function stoppable(world: Ec2World, instance: SimInstance): boolean {
  return instance.market !== 'spot' || spotRequestOf(world, instance)?.type === 'persistent';
}

/** TerminateInstances ended `instance` at `terminatedAt`: an uncancelled persistent request reopens. */
export function instanceTerminated(world: Ec2World, instance: SimInstance, terminatedAt: number) {
  const request = spotRequestOf(world, instance);
  if (request?.type !== 'persistent' || request.cancelledAt !== undefined) return;
  request.relaunchAt = terminatedAt + world.random.latency(2 * MINUTE, 5 * MINUTE, 10 * MINUTE);
}

export function spotRequestState(
  world: Ec2World,
  request: SimSpotRequest,
  now: number,
): SpotRequestState {
  if (request.cancelledAt !== undefined && request.cancelledAt <= now) return 'cancelled';
  const instance = world.instances.get(request.instanceId) as SimInstance;
  const state = world.state(instance, now);
  if (state === 'stopped' || state === 'stopping') return 'disabled';
  if (state !== 'terminated') return 'active';
  return request.type === 'persistent' ? 'open' : 'closed';
}

/** Launch the instances that reopened persistent requests are due to get by `now`. */
export function fulfilSpotRequests(ctx: Ec2Context, now: number): void {
  const { world } = ctx;
  for (const request of world.spotRequests.values()) {
    const at = request.relaunchAt;
    if (at === undefined || at > now) continue;
    request.relaunchAt = undefined;
    const last = world.instances.get(request.instanceId) as SimInstance;
    const subnet = world.subnets.find((s) => s.subnetId === last.subnetId) as SimSubnet;
    const instance: SimInstance = {
      ...last,
      instanceId: world.newId('i'),
      reservationId: world.newId('r'),
      launchIndex: 0,
      privateIp: world.allocatePrivateIp(subnet),
      publicIp: undefined,
      clientToken: undefined,
      launchTime: at,
      tags: new Map(last.tags),
      volumes: last.volumes.map((v) => ({
        ...v,
        volumeId: world.newId('vol'),
        tags: new Map(v.tags),
      })),
      coldImage: false,
      phases: [],
    };
    instance.phases = world.boot(instance, at, agentCanRegister(ctx, instance));
    if (request.publicIp) instance.publicIp = world.allocatePublicIp(instance.instanceId);
    for (const volume of instance.volumes) world.volumes.set(volume.volumeId, volume);
    world.instances.set(instance.instanceId, instance);
    request.instanceId = instance.instanceId;
    world.events.record(
      'EC2',
      `spot request ${request.requestId} launched ${instance.instanceId} in place of ${last.instanceId}`,
    );
  }
}

export function spotOperations(ctx: Ec2Context) {
  const { world } = ctx;
  return {
    CancelSpotInstanceRequests: operation(
      (input: CancelSpotInstanceRequestsRequest): CancelSpotInstanceRequestsResult => {
        const now = world.now();
        const ids = required(
          input.SpotInstanceRequestIds?.length ? input.SpotInstanceRequestIds : undefined,
          'SpotInstanceRequestId',
        );
        for (const id of ids) checkId(id, 'sir', 'InvalidSpotInstanceRequestID');
        const missing = ids.find((id) => !world.spotRequests.has(id));
        if (missing) {
          throw ec2Fault(
            'InvalidSpotInstanceRequestID.NotFound',
            `The spot instance request ID '${missing}' does not exist`,
          );
        }
        return {
          CancelledSpotInstanceRequests: ids.map((id) => {
            const request = world.spotRequests.get(id) as SimSpotRequest;
            const state = spotRequestState(world, request, now);
            if (state !== 'closed' && state !== 'cancelled') {
              request.cancelledAt = now;
              request.relaunchAt = undefined;
              world.events.record('EC2', `spot request ${id} cancelled`);
            }
            return {
              SpotInstanceRequestId: id,
              State: state === 'closed' ? 'closed' : 'cancelled',
            };
          }),
        };
      },
    ),
  };
}
