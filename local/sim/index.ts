/**
 * A simulated AWS account for local runs, tests and benchmarks: EC2, SSM, S3 objects, SES v2, Route 53 record
 * sets, EventBridge Scheduler and Step Functions executions (DescribeExecution of recorded runs)
 * behind the real SDK v3 clients, plus the network to the Jupyter seats (which resolves the
 * zones' A records).
 *
 *   const sim = createSimulatedAws({ scale: 600 });
 *   useTransport({ plugin: sim.plugin, fetch: sim.fetch });
 *
 * Time is simulated (`sim.clock`): every latency and bucket refill is computed from timestamps
 * when observed, so nothing keeps the process alive. With `clock: 'exact'` the clock is an
 * `EventClock`: a runner drives it, its own code costs no simulated time, and schedules fire at
 * their exact moment. The scaled clock flows with wall time, can be held around in-process work
 * (`hold()` / `release()`), and its schedules fire when next observed; tests usually pause it
 * (`scale: 0`) and move it with `sim.clock.advance(ms)`.
 *
 * The account's own region is `region` (default us-east-1). EC2, Parameter Store, SES identities
 * and schedules are regional, as on AWS: a client of a region (`pluginFor`) sees and may name
 * only that region's instances, subnets, groups, addresses, images, snapshots, parameters and
 * schedules; AWS's public base images are offered in every region.
 */
import type { MetadataBearer, Pluggable } from '@smithy/types';
import {
  type AddressSnapshot,
  type HeldAddress,
  type ImageSnapshot,
  type InstanceSnapshot,
  type SecurityGroupSnapshot,
  SimulatedEc2,
  type SnapshotSummary,
  type SpotRequestSnapshot,
} from './ec2/ec2';
import { Ec2World } from './ec2/model';
import { Ec2Throttle } from './ec2/throttle';
import { ScaledClock } from './kernel/clock';
import { EventClock } from './kernel/event-clock';
import { EventLog } from './kernel/events';
import { FaultPlan } from './kernel/faults';
import { type ResolvedSimOptions, resolveOptions, type SimOptions } from './kernel/options';
import { Random } from './kernel/random';
import { type Operations, Router } from './kernel/transport';
import { type RecordSnapshot, SimulatedRoute53 } from './route53/route53';
import { type ObjectSnapshot, SimulatedS3 } from './s3/s3';
import {
  type FiredSchedule,
  type ScheduleSnapshot,
  SimulatedScheduler,
} from './scheduler/scheduler';
import { bootSeat, SeatNetwork } from './seat-network';
import { type SentEmail, SimulatedSes } from './ses/ses';
import { type ExecutionSnapshot, SimulatedStepFunctions } from './sfn/executions';
import type { CommandSnapshot } from './ssm/commands';
import type { ParameterSnapshot } from './ssm/parameters';
import { SimulatedSsm } from './ssm/ssm';

export type {
  AddressSnapshot,
  HeldAddress,
  ImageSnapshot,
  InstanceSnapshot,
  SecurityGroupSnapshot,
  SnapshotSummary,
  SpotRequestSnapshot,
} from './ec2/ec2';
export type { SimEvent } from './kernel/events';
export type { ResolvedSimOptions, SimOptions } from './kernel/options';
export { type Operation, type Operations, UnsimulatedOperationError } from './kernel/transport';
export type { RecordSnapshot } from './route53/route53';
export type { ObjectSnapshot } from './s3/s3';
export type { FiredSchedule, ScheduleSnapshot } from './scheduler/scheduler';
export type { SentEmail } from './ses/ses';
export type { ExecutionSnapshot } from './sfn/executions';
export type { CommandSnapshot } from './ssm/commands';
export type { ParameterSnapshot } from './ssm/parameters';

export interface SimulatedAws {
  readonly options: ResolvedSimOptions;
  /** Hand to `useTransport`, or `client.middlewareStack.use(sim.plugin)`. */
  readonly plugin: Pluggable<object, MetadataBearer>;
  /** The same, telling the simulator the client's region (images copied to a region live there). */
  pluginFor(region: string): Pluggable<object, MetadataBearer>;
  /** The HTTP client seat probes use: reaches simulated seats only. */
  readonly fetch: typeof fetch;
  readonly clock: ScaledClock | EventClock;
  /** Calls per `Service:Operation` ('EC2:RunInstances'), failed and throttled ones included. */
  readonly calls: Record<string, number>;
  /** Of those, calls refused by throttling. */
  readonly throttled: Record<string, number>;
  /** Of those, calls answered with any other error. */
  readonly failed: Record<string, number>;
  /**
   * Seeded draws in [0, 1) for the orchestration side (retry jitter, backoff inside Lambdas),
   * apart from the cloud's own draws.
   */
  readonly draw: () => number;
  /** Each instance's timeline as drawn (launch, running, seat scripts): what benchmarks model. */
  timelines(): InstanceTimeline[];
  readonly ec2: {
    instances(): InstanceSnapshot[];
    images(): ImageSnapshot[];
    snapshots(): SnapshotSummary[];
    securityGroups(): SecurityGroupSnapshot[];
    spotRequests(): SpotRequestSnapshot[];
    addresses(): AddressSnapshot[];
    /** Every Elastic IP held, released ones included, with when (what AWS bills by). */
    heldAddresses(): HeldAddress[];
  };
  readonly ssm: {
    commands(): CommandSnapshot[];
    parameters(): ParameterSnapshot[];
  };
  readonly ses: { readonly outbox: readonly SentEmail[] };
  readonly s3: { objects(): ObjectSnapshot[] };
  readonly route53: { records(): RecordSnapshot[] };
  readonly scheduler: {
    schedules(): ScheduleSnapshot[];
    fireDue(): FiredSchedule[];
    readonly fired: readonly FiredSchedule[];
  };
  readonly stepFunctions: {
    /** Enter a run of the local runner, so DescribeExecution knows how it ended. */
    record(entry: Parameters<SimulatedStepFunctions['record']>[0]): string;
    /** A state the execution entered or (with its output) exited now, for GetExecutionHistory. */
    entered(executionArn: string, state: { name: string; type: string; output?: unknown }): void;
    executions(): ExecutionSnapshot[];
  };
  readonly events: EventLog;
  /** Serve more operations (e.g. 'SFN' for a local state-machine runner). */
  register(service: string, operations: Operations): void;
}

export interface InstanceTimeline {
  instanceId: string;
  publicIp?: string;
  launchedAt: number;
  /** When the first boot reached `running`, and when its SSM agent came Online. */
  runningAt?: number;
  agentOnlineAt?: number;
  /**
   * Seat scripts run, oldest first (the first boot's, then those sent through SSM): from
   * `running` their run time (cloud-init's stages included) and Jupyter's warm-up after them.
   */
  seatRuns: { sentAt: number; scriptMs: number; warmUpMs: number; certificateMs?: number }[];
  /** When the seat it serves now answered (undefined: it serves none). */
  readyAt?: number;
}

export function createSimulatedAws(options: SimOptions = {}): SimulatedAws {
  const resolved = resolveOptions(options);
  const start = resolved.start ?? Date.now();
  const clock =
    resolved.clock === 'exact'
      ? new EventClock(resolved.scale, start)
      : new ScaledClock(resolved.scale, start);
  const orchestration = new Random(resolved.seed ^ 0x0c1a55);
  const random = new Random(resolved.seed);
  const events = new EventLog(clock);
  const faults = new FaultPlan(resolved.faults);
  const router = new Router(new Random(resolved.seed ^ 0x5eed), faults);
  const world = new Ec2World(clock, random, events, resolved.region, resolved.account);
  const throttle = new Ec2Throttle(clock, resolved.throttling);
  const ec2 = new SimulatedEc2({
    world,
    faults,
    throttle,
    defaultHostManagement: resolved.defaultHostManagement,
    instanceProfiles: new Set(resolved.instanceProfiles),
  });
  const s3 = new SimulatedS3(clock, resolved.buckets);
  const ssm = new SimulatedSsm(world, faults, s3);
  const ses = new SimulatedSes(
    {
      region: resolved.region,
      outboxDir: resolved.outboxDir,
      identities: resolved.sesIdentities,
      sandbox: resolved.sesSandbox,
      maxSendRate: resolved.sesMaxSendRate,
    },
    clock,
    new Random(resolved.seed ^ 0xe3a1),
    events,
  );
  const scheduler = new SimulatedScheduler(
    clock,
    router,
    events,
    resolved.region,
    resolved.account,
  );
  const stepFunctions = new SimulatedStepFunctions(clock, events);
  const route53 = new SimulatedRoute53(resolved.hostedZones, clock);
  const seats = new SeatNetwork(
    world,
    ssm.commandCenter,
    new Random(resolved.seed ^ 0x5ea7),
    (host) => route53.resolve(host),
  );

  router.register('EC2', ec2.operations, (operation, input) =>
    throttle.admitRequest(operation, input),
  );
  router.register('SSM', ssm.operations);
  router.register('SESv2', ses.operations());
  router.register('S3', s3.operations());
  router.register(
    'Scheduler',
    clock instanceof EventClock
      ? firedOnTime(scheduler.operations(), scheduler, clock)
      : scheduler.operations(),
  );
  router.register('SFN', stepFunctions.operations());
  router.register('Route53', route53.operations());

  const observe = () => {
    seats.stopIdleSeats(clock.now());
    ec2.settle();
    scheduler.fireDue();
  };
  router.beforeEachCall(observe);
  const observed =
    <T>(read: () => T) =>
    () => {
      observe();
      return read();
    };

  return {
    options: resolved,
    plugin: router.plugin(),
    pluginFor: (region) => router.plugin(region),
    fetch: (input, init) => {
      observe();
      return seats.fetch(input, init);
    },
    clock,
    calls: router.calls,
    throttled: router.throttled,
    failed: router.failed,
    draw: () => orchestration.next(),
    timelines: () =>
      [...world.instances.values()].map((instance) => {
        const now = clock.now();
        return {
          instanceId: instance.instanceId,
          publicIp: instance.publicIp,
          launchedAt: instance.launchTime,
          runningAt: instance.phases.find((p) => p.state === 'running')?.at,
          agentOnlineAt: instance.phases.find((p) => p.state === 'running')?.agentAt,
          seatRuns: [
            ...(instance.firstBoot
              ? [
                  {
                    sentAt: instance.launchTime,
                    scriptMs: instance.firstBoot.cloudInitMs + instance.firstBoot.run.duration,
                    warmUpMs: instance.firstBoot.warmUpMs,
                    ...(instance.firstBoot.seat?.TLS_MODE === 'acme'
                      ? { certificateMs: instance.firstBoot.certificateMs }
                      : {}),
                  },
                ]
              : []),
            ...ssm.commandCenter.seatRunsOn(instance.instanceId).map((inv) => ({
              sentAt: inv.sentAt,
              scriptMs: inv.run.duration,
              warmUpMs: inv.warmUpMs,
            })),
          ],
          readyAt: (ssm.commandCenter.seatOn(instance, now) ?? bootSeat(world, instance, now))
            ?.readyAt,
        };
      }),
    ec2: {
      instances: observed(() => ec2.instances()),
      images: observed(() => ec2.images()),
      snapshots: observed(() => ec2.snapshots()),
      securityGroups: observed(() => ec2.securityGroups()),
      spotRequests: observed(() => ec2.spotRequests()),
      addresses: observed(() => ec2.addresses()),
      heldAddresses: observed(() => ec2.heldAddresses()),
    },
    ssm: {
      commands: () => ssm.commands(),
      parameters: () => ssm.parameters(),
    },
    ses: { outbox: ses.outbox },
    s3: { objects: () => s3.objects() },
    route53: { records: () => route53.records() },
    scheduler: {
      schedules: observed(() => scheduler.schedulesNow()),
      fireDue: () => scheduler.fireDue(),
      fired: scheduler.fired,
    },
    stepFunctions: {
      record: (entry) => stepFunctions.record(entry),
      entered: (executionArn, state) => stepFunctions.entered(executionArn, state),
      executions: () => stepFunctions.snapshots(),
    },
    events,
    register: (service, operations) => router.register(service, operations),
  };
}

/** On the exact clock, a timer for every schedule created or updated, at the moment it is due. */
function firedOnTime(
  operations: Operations,
  scheduler: SimulatedScheduler,
  clock: EventClock,
): Operations {
  const timed = new Set<number>();
  const arm = () => {
    for (const { fireAt } of scheduler.schedulesNow()) {
      if (fireAt === undefined || timed.has(fireAt)) continue;
      timed.add(fireAt);
      clock.at(fireAt, () => {
        timed.delete(fireAt);
        scheduler.fireDue();
      });
    }
  };
  const armed = (name: string): Operations[string] | undefined => {
    const op = operations[name];
    return (
      op &&
      (async (input, call) => {
        const result = await op(input, call);
        arm();
        return result;
      })
    );
  };
  return {
    ...operations,
    ...Object.fromEntries(
      ['CreateSchedule', 'UpdateSchedule'].flatMap((name) => {
        const op = armed(name);
        return op ? [[name, op]] : [];
      }),
    ),
  };
}

export interface ServiceSummary {
  calls: number;
  throttled: number;
  operations: Record<string, number>;
}

/** Call counts grouped by service, for benchmark output. */
export function summarize(
  sim: Pick<SimulatedAws, 'calls' | 'throttled'>,
): Record<string, ServiceSummary> {
  const out: Record<string, ServiceSummary> = {};
  for (const [key, count] of Object.entries(sim.calls)) {
    const [service = '', operation = ''] = key.split(':');
    const entry = out[service] ?? { calls: 0, throttled: 0, operations: {} };
    out[service] = entry;
    entry.calls += count;
    entry.throttled += sim.throttled[key] ?? 0;
    entry.operations[operation] = count;
  }
  return out;
}
