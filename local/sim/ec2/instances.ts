/** Instances after launch: describe (filters, pages), stop, start, terminate. */
import type {
  DescribeInstancesRequest,
  DescribeInstancesResult,
  InstanceStateChange,
  StartInstancesRequest,
  StartInstancesResult,
  StopInstancesRequest,
  StopInstancesResult,
  TerminateInstancesRequest,
  TerminateInstancesResult,
} from '@aws-sdk/client-ec2';
import { SECOND } from '../kernel/clock';
import { ec2Fault, throttled } from '../kernel/errors';
import { operation } from '../kernel/transport';
import { agentCanRegister, type Ec2Context } from './context';
import { applyFilters, paginate, required } from './filters';
import { findInstances, INSTANCE_FILTERS, reservations, stateOf } from './instance-view';
import type { InstanceStateName, SimInstance } from './model';
import { instanceTerminated, stoppable } from './spot';

type Transition = (instance: SimInstance, state: InstanceStateName, now: number) => void;

export function instanceOperations(ctx: Ec2Context) {
  const { world } = ctx;

  /** Validate every instance, take resource tokens, then apply: all or nothing, as EC2 does. */
  function change(
    op: 'StopInstances' | 'StartInstances' | 'TerminateInstances',
    ids: string[] | undefined,
    region: string | undefined,
    check: (instance: SimInstance, state: InstanceStateName) => void,
    apply: Transition,
  ): InstanceStateChange[] {
    const now = world.now();
    const instances = findInstances(
      world,
      required(ids?.length ? ids : undefined, 'InstanceId'),
      now,
      region,
    );
    for (const instance of instances) check(instance, world.state(instance, now));
    if (!ctx.throttle.admitResources(op, instances.length)) throw throttled('EC2');
    return instances.map((instance) => {
      const previous = world.state(instance, now);
      apply(instance, previous, now);
      return {
        InstanceId: instance.instanceId,
        PreviousState: stateOf(previous),
        CurrentState: stateOf(world.state(instance, now)),
      };
    });
  }

  const incorrect = (instance: SimInstance, verb: string) =>
    ec2Fault(
      'IncorrectInstanceState',
      `The instance '${instance.instanceId}' is not in a state from which it can be ${verb}.`,
    );

  return {
    DescribeInstances: operation(
      (input: DescribeInstancesRequest, { region }): DescribeInstancesResult => {
        world.applyGuestReports();
        const now = world.now();
        const ids = input.InstanceIds ?? [];
        if (ids.length && input.MaxResults !== undefined) {
          throw ec2Fault(
            'InvalidParameterCombination',
            'The parameter instancesSet cannot be used with the parameter maxResults',
          );
        }
        const chosen = ids.length
          ? findInstances(world, ids, now, region)
          : [...world.instances.values()].filter(
              (i) => !world.isGone(i, now) && world.seenFrom(i, region),
            );
        const withState = chosen.map((instance) => ({
          instance,
          state: world.state(instance, now),
        }));
        const filtered = applyFilters(
          withState,
          input.Filters,
          INSTANCE_FILTERS,
          (r) => r.instance.tags,
        );
        const page = paginate(filtered, input.MaxResults, input.NextToken);
        return {
          Reservations: reservations(
            world,
            page.items.map((r) => r.instance),
            now,
          ),
          NextToken: page.nextToken,
        };
      },
    ),

    StopInstances: operation(
      (input: StopInstancesRequest, { region }): StopInstancesResult => ({
        StoppingInstances: change(
          'StopInstances',
          input.InstanceIds,
          region,
          (instance, state) => {
            if (state === 'pending' || state === 'shutting-down' || state === 'terminated') {
              throw incorrect(instance, 'stopped');
            }
            if (!stoppable(world, instance)) {
              throw ec2Fault(
                'UnsupportedOperation',
                `You can't stop the Spot Instance '${instance.instanceId}' because it is associated with a one-time Spot Instance request. You can only stop Spot Instances associated with persistent Spot Instance requests.`,
              );
            }
          },
          (instance, state, now) => {
            if (state !== 'running') return;
            world.reschedule(instance, now, [
              { state: 'stopping', at: now },
              { state: 'stopped', at: now + world.random.latency(30 * SECOND, 60 * SECOND) },
            ]);
            world.releasePublicIp(instance, { keepElastic: true });
            world.events.record('EC2', `${instance.instanceId} stopping`);
          },
        ),
      }),
    ),

    StartInstances: operation(
      (input: StartInstancesRequest, { region }): StartInstancesResult => ({
        StartingInstances: change(
          'StartInstances',
          input.InstanceIds,
          region,
          (instance, state) => {
            if (state === 'stopping' || state === 'shutting-down' || state === 'terminated') {
              throw incorrect(instance, 'started');
            }
          },
          (instance, state, now) => {
            if (state !== 'stopped') return;
            world.reschedule(
              instance,
              now,
              world.boot(instance, now, agentCanRegister(ctx, instance)),
            );
            instance.publicIp =
              world.elasticIpOf(instance.instanceId)?.publicIp ??
              world.allocatePublicIp(instance.instanceId);
            world.events.record('EC2', `${instance.instanceId} starting`);
          },
        ),
      }),
    ),

    TerminateInstances: operation(
      (input: TerminateInstancesRequest, { region }): TerminateInstancesResult => ({
        TerminatingInstances: change(
          'TerminateInstances',
          input.InstanceIds,
          region,
          () => {},
          (instance, state, now) => {
            if (state === 'terminated' || state === 'shutting-down') return;
            const terminatedAt = now + world.random.latency(30 * SECOND, 60 * SECOND);
            world.reschedule(instance, now, [
              { state: 'shutting-down', at: now },
              { state: 'terminated', at: terminatedAt },
            ]);
            instanceTerminated(world, instance, terminatedAt);
            // An Elastic IP stays associated until the instance is terminated (settleAddresses).
            world.releasePublicIp(instance, { keepElastic: true });
            world.events.record('EC2', `${instance.instanceId} terminating`);
          },
        ),
      }),
    ),
  };
}
