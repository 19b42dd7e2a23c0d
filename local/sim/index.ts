/**
 * A simulated AWS account for local runs, tests and benchmarks: EC2, SSM, SES v2 and
 * EventBridge Scheduler behind the real SDK v3 clients, plus the network to the Jupyter seats.
 *
 *   const sim = createSimulatedAws({ scale: 600 });
 *   useTransport({ plugin: sim.plugin, fetch: sim.fetch });
 *
 * Time is simulated (`sim.clock`): every latency, bucket refill and schedule is computed from
 * timestamps when observed, with no timers, so nothing keeps the process alive. A runner holds
 * the clock while its own code runs (`sim.clock.hold()` / `release()`); tests usually pause it
 * (`scale: 0`) and move it with `sim.clock.advance(ms)`.
 *
 * The account lives in one region (`region`, default us-east-1); clients of any region reach it.
 */
import type { MetadataBearer, Pluggable } from '@smithy/types';
import {
  type AddressSnapshot,
  type ImageSnapshot,
  type InstanceSnapshot,
  type SecurityGroupSnapshot,
  SimulatedEc2,
  type SnapshotSummary,
} from './ec2/ec2';
import { Ec2World } from './ec2/model';
import { Ec2Throttle } from './ec2/throttle';
import { SimClock } from './kernel/clock';
import { EventLog } from './kernel/events';
import { FaultPlan } from './kernel/faults';
import { type ResolvedSimOptions, resolveOptions, type SimOptions } from './kernel/options';
import { Random } from './kernel/random';
import { type Operations, Router } from './kernel/transport';
import {
  type FiredSchedule,
  type ScheduleSnapshot,
  SimulatedScheduler,
} from './scheduler/scheduler';
import { SeatNetwork } from './seat-network';
import { type SentEmail, SimulatedSes } from './ses/ses';
import type { CommandSnapshot } from './ssm/commands';
import type { ParameterSnapshot } from './ssm/parameters';
import { SimulatedSsm } from './ssm/ssm';

export type {
  AddressSnapshot,
  ImageSnapshot,
  InstanceSnapshot,
  SecurityGroupSnapshot,
  SnapshotSummary,
} from './ec2/ec2';
export type { SimEvent } from './kernel/events';
export type { ResolvedSimOptions, SimOptions } from './kernel/options';
export { type Operation, type Operations, UnsimulatedOperationError } from './kernel/transport';
export type { FiredSchedule, ScheduleSnapshot } from './scheduler/scheduler';
export type { SentEmail } from './ses/ses';
export type { CommandSnapshot } from './ssm/commands';
export type { ParameterSnapshot } from './ssm/parameters';

export interface SimulatedAws {
  readonly options: ResolvedSimOptions;
  /** Hand to `useTransport`, or `client.middlewareStack.use(sim.plugin)`. */
  readonly plugin: Pluggable<object, MetadataBearer>;
  /** The HTTP client seat probes use: reaches simulated seats only. */
  readonly fetch: typeof fetch;
  readonly clock: SimClock;
  /** Calls per `Service:Operation` ('EC2:RunInstances'), failed and throttled ones included. */
  readonly calls: Record<string, number>;
  /** Of those, calls refused by throttling. */
  readonly throttled: Record<string, number>;
  readonly ec2: {
    instances(): InstanceSnapshot[];
    images(): ImageSnapshot[];
    snapshots(): SnapshotSummary[];
    securityGroups(): SecurityGroupSnapshot[];
    addresses(): AddressSnapshot[];
  };
  readonly ssm: {
    commands(): CommandSnapshot[];
    parameters(): ParameterSnapshot[];
  };
  readonly ses: { readonly outbox: readonly SentEmail[] };
  readonly scheduler: {
    schedules(): ScheduleSnapshot[];
    fireDue(): FiredSchedule[];
    readonly fired: readonly FiredSchedule[];
  };
  readonly events: EventLog;
  /** Serve more operations (e.g. 'SFN' for a local state-machine runner). */
  register(service: string, operations: Operations): void;
}

export function createSimulatedAws(options: SimOptions = {}): SimulatedAws {
  const resolved = resolveOptions(options);
  const clock = new SimClock(resolved.scale, resolved.start ?? Date.now());
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
  });
  const ssm = new SimulatedSsm(world, faults);
  const ses = new SimulatedSes(
    {
      region: resolved.region,
      outboxDir: resolved.outboxDir,
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
  const seats = new SeatNetwork(world, ssm.commandCenter, new Random(resolved.seed ^ 0x5ea7));

  router.register('EC2', ec2.operations, (operation, input) =>
    throttle.admitRequest(operation, input),
  );
  router.register('SSM', ssm.operations);
  router.register('SESv2', ses.operations());
  router.register('Scheduler', scheduler.operations());

  const observe = () => {
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
    fetch: (input, init) => {
      observe();
      return seats.fetch(input, init);
    },
    clock,
    calls: router.calls,
    throttled: router.throttled,
    ec2: {
      instances: observed(() => ec2.instances()),
      images: observed(() => ec2.images()),
      snapshots: observed(() => ec2.snapshots()),
      securityGroups: observed(() => ec2.securityGroups()),
      addresses: observed(() => ec2.addresses()),
    },
    ssm: {
      commands: () => ssm.commands(),
      parameters: () => ssm.parameters(),
    },
    ses: { outbox: ses.outbox },
    scheduler: {
      schedules: observed(() => scheduler.schedulesNow()),
      fireDue: () => scheduler.fireDue(),
      fired: scheduler.fired,
    },
    events,
    register: (service, operations) => router.register(service, operations),
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
