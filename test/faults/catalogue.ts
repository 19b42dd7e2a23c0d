/**
 * Every fault the simulator and the local runner can inject, as named entries of the fault
 * suite: simulator faults (local/sim/kernel/options.ts), SES limits, responses lost after a
 * Task's work (the runner's `loseResponses`) and an execution aborted mid-way.
 */
import type { SimOptions } from '../../local/sim';

type Faults = NonNullable<SimOptions['faults']>;

export interface Fault {
  name: string;
  machine: 'bake' | 'classroom';
  /** Simulator faults; a function of the class's size for those that scale with it. */
  faults?: Faults | ((seats: number) => Faults);
  ses?: Pick<SimOptions, 'sesMaxSendRate' | 'sesSandbox'>;
  /** Task states whose first N responses are lost after their work. */
  lose?: Record<string, number>;
  /** Abort the execution when it first enters this state (classroom: once credentials exist). */
  abortAt?: string;
}

const ec2EveryThird: Faults = { errors: [{ call: 'EC2:*', kind: 'throttle', every: 3 }] };

const lost = (machine: Fault['machine'], states: string[]): Fault[] =>
  states.map((state) => ({ name: `lost-response:${state}`, machine, lose: { [state]: 1 } }));

export const BAKE_FAULTS: Fault[] = [
  {
    name: 'throttle-burst',
    machine: 'bake',
    faults: {
      throttle: { RunInstances: 3, DescribeInstanceInformation: 3, SendCommand: 2, CreateImage: 2 },
    },
  },
  { name: 'ec2-every-third-call-throttled', machine: 'bake', faults: ec2EveryThird },
  { name: 'capacity-one-az', machine: 'bake', faults: { capacity: [{ az: 'us-east-1a' }] } },
  { name: 'capacity-all-azs', machine: 'bake', faults: { capacity: [{}] } },
  { name: 'capacity-transient', machine: 'bake', faults: { capacity: [{ count: 1 }] } },
  { name: 'vcpu-limit', machine: 'bake', faults: { vcpuLimit: 1 } },
  { name: 'agent-never-online:builder', machine: 'bake', faults: { agentNeverOnline: true } },
  { name: 'command-fails', machine: 'bake', faults: { commandFails: { count: 1 } } },
  { name: 'command-times-out', machine: 'bake', faults: { commandTimesOut: { count: 1 } } },
  { name: 'image-failed', machine: 'bake', faults: { imageFails: 1 } },
  {
    name: 'access-denied:CreateImage',
    machine: 'bake',
    faults: { errors: [{ call: 'EC2:CreateImage', kind: 'access-denied' }] },
  },
  {
    name: 'access-denied:SendCommand',
    machine: 'bake',
    faults: { errors: [{ call: 'SSM:SendCommand', kind: 'access-denied' }] },
  },
  {
    name: 'internal-error:RunInstances',
    machine: 'bake',
    faults: { errors: [{ call: 'EC2:RunInstances', kind: 'internal', count: 1 }] },
  },
  ...lost('bake', [
    'LaunchBuilder',
    'RunBuildScript',
    'CreateImage',
    'TerminateBuilder',
    'LaunchImageTest',
    'RunImageTest',
    'PassImageTest',
    'CleanUp',
  ]),
  { name: 'aborted:CheckBuildScript', machine: 'bake', abortAt: 'CheckBuildScript' },
];

export const CLASSROOM_FAULTS: Fault[] = [
  // A burst across operations within one Task's retry budget (8 attempts on throttling).
  {
    name: 'throttle-burst',
    machine: 'classroom',
    faults: {
      throttle: {
        RunInstances: 5,
        DescribeInstances: 2,
        CreateTags: 1,
        SendCommand: 2,
        DescribeInstanceInformation: 2,
      },
    },
  },
  { name: 'ec2-every-third-call-throttled', machine: 'classroom', faults: ec2EveryThird },
  { name: 'capacity-one-az', machine: 'classroom', faults: { capacity: [{ az: 'us-east-1a' }] } },
  { name: 'capacity-all-azs', machine: 'classroom', faults: { capacity: [{}] } },
  { name: 'capacity-transient', machine: 'classroom', faults: { capacity: [{ count: 1 }] } },
  {
    name: 'capacity-partial',
    machine: 'classroom',
    faults: (seats) => ({ capacity: [{ instanceType: 't3.medium', available: seats - 2 }] }),
  },
  // t3.medium has 2 vCPUs: about half the class fits.
  {
    name: 'vcpu-limit-mid-fan-out',
    machine: 'classroom',
    faults: (seats) => ({ vcpuLimit: seats }),
  },
  { name: 'agent-never-online:one-seat', machine: 'classroom', faults: { agentsNeverOnline: 1 } },
  {
    name: 'readiness-fails:one-seat',
    machine: 'classroom',
    faults: { seatAuthBroken: { count: 1 } },
  },
  { name: 'command-fails:one-seat', machine: 'classroom', faults: { commandFails: { count: 1 } } },
  {
    name: 'command-times-out:one-seat',
    machine: 'classroom',
    faults: { commandTimesOut: { count: 1 } },
  },
  { name: 'ses-throttled', machine: 'classroom', ses: { sesMaxSendRate: 1 } },
  {
    name: 'ses-sandbox',
    machine: 'classroom',
    ses: {
      sesSandbox: {
        verified: ['s1@example.edu', 's3@example.edu', 'ada@example.edu', 'classes@example.edu'],
      },
    },
  },
  {
    name: 'scheduler-fails-once',
    machine: 'classroom',
    faults: { errors: [{ call: 'Scheduler:CreateSchedule', kind: 'internal', count: 1 }] },
  },
  {
    name: 'access-denied:CreateSchedule',
    machine: 'classroom',
    faults: { errors: [{ call: 'Scheduler:CreateSchedule', kind: 'access-denied' }] },
  },
  {
    name: 'access-denied:RunInstances',
    machine: 'classroom',
    faults: { errors: [{ call: 'EC2:RunInstances', kind: 'access-denied' }] },
  },
  {
    name: 'access-denied:SendCommand',
    machine: 'classroom',
    faults: { errors: [{ call: 'SSM:SendCommand', kind: 'access-denied' }] },
  },
  {
    name: 'access-denied:PutParameter',
    machine: 'classroom',
    faults: { errors: [{ call: 'SSM:PutParameter', kind: 'access-denied' }] },
  },
  {
    name: 'access-denied:SendEmail',
    machine: 'classroom',
    faults: { errors: [{ call: 'SESv2:SendEmail', kind: 'access-denied' }] },
  },
  ...lost('classroom', [
    'PlanClassroom',
    'PrepareNetwork',
    'LaunchSeats',
    'AdvanceSeats',
    'DeliverRoster',
    'ClassReady',
    'CleanUp',
  ]),
  { name: 'lost-responses:LaunchSeats×3', machine: 'classroom', lose: { LaunchSeats: 3 } },
  { name: 'aborted-mid-fan-out', machine: 'classroom', abortAt: 'WaitForSeats' },
];

export const ALL_FAULTS = [...BAKE_FAULTS, ...CLASSROOM_FAULTS];

/** Two faults at once: their simulator faults, SES limits, lost responses and abort combined. */
export function combine(a: Fault, b: Fault): Fault {
  const faults = (seats: number): Faults => merge(resolve(a, seats), resolve(b, seats));
  const lose = { ...a.lose };
  for (const [state, n] of Object.entries(b.lose ?? {})) lose[state] = (lose[state] ?? 0) + n;
  return {
    name: `${a.name} + ${b.name}`,
    machine: a.machine,
    faults,
    ses: { ...a.ses, ...b.ses },
    lose,
    abortAt: a.abortAt ?? b.abortAt,
  };
}

export const resolve = (fault: Fault, seats: number): Faults =>
  typeof fault.faults === 'function' ? fault.faults(seats) : (fault.faults ?? {});

function merge(a: Faults, b: Faults): Faults {
  const throttle = { ...a.throttle };
  for (const [k, n] of Object.entries(b.throttle ?? {})) throttle[k] = (throttle[k] ?? 0) + n;
  const sum = (x?: number, y?: number) =>
    x === undefined && y === undefined ? undefined : (x ?? 0) + (y ?? 0);
  const min = (x?: number, y?: number) =>
    x === undefined ? y : y === undefined ? x : Math.min(x, y);
  return {
    ...a,
    ...b,
    capacity: [...(a.capacity ?? []), ...(b.capacity ?? [])],
    errors: [...(a.errors ?? []), ...(b.errors ?? [])],
    throttle,
    agentNeverOnline: Boolean(a.agentNeverOnline || b.agentNeverOnline),
    agentsNeverOnline: sum(a.agentsNeverOnline, b.agentsNeverOnline),
    imageFails: sum(a.imageFails, b.imageFails),
    vcpuLimit: min(a.vcpuLimit, b.vcpuLimit),
    seatAuthBroken:
      a.seatAuthBroken || b.seatAuthBroken
        ? { count: (a.seatAuthBroken?.count ?? 0) + (b.seatAuthBroken?.count ?? 0) }
        : undefined,
  };
}
