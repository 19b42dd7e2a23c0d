/** Instances after launch: describe (filters, pages), stop, start, terminate. */
import type {
  DescribeInstancesRequest,
  DescribeInstancesResult,
  Instance,
  InstanceStateChange,
  _InstanceType as InstanceTypeName,
  Reservation,
  StartInstancesRequest,
  StartInstancesResult,
  StopInstancesRequest,
  StopInstancesResult,
  TerminateInstancesRequest,
  TerminateInstancesResult,
} from '@aws-sdk/client-ec2';
import { SECOND } from './clock';
import { applyFilters, checkId, type FilterFields, paginate, required } from './ec2-filters';
import {
  type Ec2World,
  type InstanceStateName,
  type SimInstance,
  STATE_CODES,
  tagList,
} from './ec2-model';
import { ec2Fault, throttled } from './errors';
import type { FaultPlan } from './faults';
import type { Ec2Throttle } from './throttle';
import { operation } from './transport';

export interface Ec2Context {
  world: Ec2World;
  faults: FaultPlan;
  throttle: Ec2Throttle;
  defaultHostManagement: boolean;
}

/** The agent registers only with an instance profile (or DHMC), and not under the fault. */
export function agentCanRegister(ctx: Ec2Context, instance: SimInstance): boolean {
  if (ctx.faults.agentNeverOnline) return false;
  return Boolean(instance.iamInstanceProfile) || ctx.defaultHostManagement;
}

const stateOf = (name: InstanceStateName) => ({ Code: STATE_CODES[name], Name: name });

const dashed = (ip: string) => ip.replaceAll('.', '-');

export function describeInstance(world: Ec2World, instance: SimInstance, now: number): Instance {
  const state = world.state(instance, now);
  const gone = state === 'terminated';
  const reachable = state === 'pending' || state === 'running';
  const publicIp = reachable ? instance.publicIp : undefined;
  const userStopped =
    state === 'stopped' || state === 'stopping' || state === 'shutting-down' || gone;
  return {
    InstanceId: instance.instanceId,
    ImageId: instance.imageId,
    InstanceType: instance.instanceType as InstanceTypeName,
    KeyName: instance.keyName,
    LaunchTime: new Date(instance.launchTime),
    AmiLaunchIndex: instance.launchIndex,
    Placement: { AvailabilityZone: instance.az, Tenancy: 'default', GroupName: '' },
    SubnetId: gone ? undefined : instance.subnetId,
    VpcId: gone ? undefined : instance.vpcId,
    PrivateIpAddress: gone ? undefined : instance.privateIp,
    PrivateDnsName: gone ? '' : `ip-${dashed(instance.privateIp)}.ec2.internal`,
    PublicIpAddress: publicIp,
    PublicDnsName: publicIp ? `ec2-${dashed(publicIp)}.compute-1.amazonaws.com` : '',
    State: stateOf(state),
    StateTransitionReason: userStopped
      ? `User initiated (${new Date(world.phase(instance, now).at).toISOString().replace('T', ' ').slice(0, 19)} GMT)`
      : '',
    StateReason: userStopped
      ? {
          Code: 'Client.UserInitiatedShutdown',
          Message: 'Client.UserInitiatedShutdown: User initiated shutdown',
        }
      : undefined,
    Architecture: instance.architecture,
    RootDeviceName: instance.volumes[0]?.deviceName,
    RootDeviceType: 'ebs',
    BlockDeviceMappings: gone
      ? []
      : instance.volumes.map((v) => ({
          DeviceName: v.deviceName,
          Ebs: {
            VolumeId: v.volumeId,
            Status: 'attached',
            AttachTime: new Date(instance.launchTime),
            DeleteOnTermination: v.deleteOnTermination,
          },
        })),
    SecurityGroups: gone
      ? []
      : instance.securityGroupIds.map((id) => ({
          GroupId: id,
          GroupName: world.groups.get(id)?.name,
        })),
    IamInstanceProfile: instance.iamInstanceProfile && {
      Arn:
        instance.iamInstanceProfile.Arn ??
        `arn:aws:iam::${world.account}:instance-profile/${instance.iamInstanceProfile.Name}`,
      Id: 'AIPA0000000000000000',
    },
    MetadataOptions: {
      State: 'applied',
      HttpTokens: instance.metadataOptions?.HttpTokens === 'optional' ? 'optional' : 'required',
      HttpEndpoint: instance.metadataOptions?.HttpEndpoint === 'disabled' ? 'disabled' : 'enabled',
      HttpPutResponseHopLimit: Number(instance.metadataOptions?.HttpPutResponseHopLimit ?? 2),
    },
    InstanceLifecycle: instance.market === 'spot' ? 'spot' : undefined,
    SpotInstanceRequestId:
      instance.market === 'spot' ? `sir-${instance.instanceId.slice(2, 10)}` : undefined,
    ClientToken: instance.clientToken ?? '',
    Tags: instance.tags.size ? tagList(instance.tags) : undefined,
    Monitoring: { State: 'disabled' },
    Hypervisor: 'xen',
    VirtualizationType: 'hvm',
    EbsOptimized: false,
    EnaSupport: true,
    SourceDestCheck: true,
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
  };
}

const INSTANCE_FILTERS: FilterFields<{ instance: SimInstance; state: InstanceStateName }> = {
  'instance-state-name': ({ state }) => [state],
  'instance-state-code': ({ state }) => [String(STATE_CODES[state])],
  'instance-id': ({ instance }) => [instance.instanceId],
  'image-id': ({ instance }) => [instance.imageId],
  'instance-type': ({ instance }) => [instance.instanceType],
  'availability-zone': ({ instance }) => [instance.az],
  'subnet-id': ({ instance }) => [instance.subnetId],
  'vpc-id': ({ instance }) => [instance.vpcId],
  'reservation-id': ({ instance }) => [instance.reservationId],
  'client-token': ({ instance }) => [instance.clientToken],
  'instance-lifecycle': ({ instance }) => [instance.market === 'spot' ? 'spot' : undefined],
  'ip-address': ({ instance }) => [instance.publicIp],
  'private-ip-address': ({ instance }) => [instance.privateIp],
  'instance.group-id': ({ instance }) => instance.securityGroupIds,
  'iam-instance-profile.arn': ({ instance }) => [instance.iamInstanceProfile?.Arn],
};

/** The named instances, or InvalidInstanceID.NotFound naming every one that is missing. */
export function findInstances(world: Ec2World, ids: string[], now: number): SimInstance[] {
  for (const id of ids) checkId(id, 'i', 'InvalidInstanceID');
  const missing = ids.filter((id) => {
    const instance = world.instances.get(id);
    return !instance || world.isGone(instance, now);
  });
  if (missing.length === 1) {
    throw ec2Fault('InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`);
  }
  if (missing.length > 1) {
    throw ec2Fault(
      'InvalidInstanceID.NotFound',
      `The instance IDs '${missing.join(', ')}' do not exist`,
    );
  }
  return ids.map((id) => world.instances.get(id) as SimInstance);
}

function reservations(world: Ec2World, instances: SimInstance[], now: number): Reservation[] {
  const byReservation = new Map<string, Reservation>();
  for (const instance of instances) {
    const reservation = byReservation.get(instance.reservationId) ?? {
      ReservationId: instance.reservationId,
      OwnerId: world.account,
      Groups: [],
      Instances: [],
    };
    reservation.Instances?.push(describeInstance(world, instance, now));
    byReservation.set(instance.reservationId, reservation);
  }
  return [...byReservation.values()];
}

export function reservationOf(world: Ec2World, instances: SimInstance[], now: number): Reservation {
  return reservations(world, instances, now)[0] ?? {};
}

type Transition = (instance: SimInstance, state: InstanceStateName, now: number) => void;

export function instanceOperations(ctx: Ec2Context) {
  const { world } = ctx;

  /** Validate every instance, take resource tokens, then apply: all or nothing, as EC2 does. */
  function change(
    op: 'StopInstances' | 'StartInstances' | 'TerminateInstances',
    ids: string[] | undefined,
    check: (instance: SimInstance, state: InstanceStateName) => void,
    apply: Transition,
  ): InstanceStateChange[] {
    const now = world.now();
    const instances = findInstances(
      world,
      required(ids?.length ? ids : undefined, 'InstanceId'),
      now,
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
    DescribeInstances: operation((input: DescribeInstancesRequest): DescribeInstancesResult => {
      const now = world.now();
      const ids = input.InstanceIds ?? [];
      if (ids.length && input.MaxResults !== undefined) {
        throw ec2Fault(
          'InvalidParameterCombination',
          'The parameter instancesSet cannot be used with the parameter maxResults',
        );
      }
      const chosen = ids.length
        ? findInstances(world, ids, now)
        : [...world.instances.values()].filter((i) => !world.isGone(i, now));
      const withState = chosen.map((instance) => ({ instance, state: world.state(instance, now) }));
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
    }),

    StopInstances: operation(
      (input: StopInstancesRequest): StopInstancesResult => ({
        StoppingInstances: change(
          'StopInstances',
          input.InstanceIds,
          (instance, state) => {
            if (state === 'pending' || state === 'shutting-down' || state === 'terminated') {
              throw incorrect(instance, 'stopped');
            }
            if (instance.market === 'spot' && !instance.spotStoppable) {
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
            world.releasePublicIp(instance);
            world.events.record('EC2', `${instance.instanceId} stopping`);
          },
        ),
      }),
    ),

    StartInstances: operation(
      (input: StartInstancesRequest): StartInstancesResult => ({
        StartingInstances: change(
          'StartInstances',
          input.InstanceIds,
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
            instance.publicIp = world.allocatePublicIp(instance.instanceId);
            world.events.record('EC2', `${instance.instanceId} starting`);
          },
        ),
      }),
    ),

    TerminateInstances: operation(
      (input: TerminateInstancesRequest): TerminateInstancesResult => ({
        TerminatingInstances: change(
          'TerminateInstances',
          input.InstanceIds,
          () => {},
          (instance, state, now) => {
            if (state === 'terminated' || state === 'shutting-down') return;
            world.reschedule(instance, now, [
              { state: 'shutting-down', at: now },
              { state: 'terminated', at: now + world.random.latency(30 * SECOND, 60 * SECOND) },
            ]);
            world.releasePublicIp(instance);
            world.events.record('EC2', `${instance.instanceId} terminating`);
          },
        ),
      }),
    ),
  };
}
