/** A simulated AWS on a paused clock, driven through real SDK clients. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EC2Client, RunInstancesCommand, type RunInstancesCommandInput } from '@aws-sdk/client-ec2';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { createSimulatedAws, type SimOptions, type SimulatedAws } from '../../local/sim';
import { BASE_IMAGES } from '../../local/sim/ec2/base-images';
import { MINUTE } from '../../local/sim/kernel/clock';

export const UBUNTU = BASE_IMAGES[0]?.imageId as string;
export const UBUNTU_ARM = BASE_IMAGES[1]?.imageId as string;
/** The instance profile every harness account has. */
export const INSTANCE_PROFILE = 'bakehouse-dev-instance';
/** A sender every harness account has verified in SES. */
export const SENDER = 'classes@uni.example';

const config = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  maxAttempts: 1,
};

export interface Harness {
  sim: SimulatedAws;
  ec2: EC2Client;
  ssm: SSMClient;
  ses: SESv2Client;
  scheduler: SchedulerClient;
  /** Move simulated time forward by `ms`. */
  advance(ms: number): void;
}

let harnesses = 0;

export function harness(options: SimOptions = {}): Harness {
  harnesses += 1;
  const sim = createSimulatedAws({
    scale: 0,
    seed: 42,
    start: Date.UTC(2026, 10, 2, 9, 0, 0),
    outboxDir: join(
      tmpdir(),
      `bakehouse-outbox-${process.pid}-${harnesses}-${Math.random().toString(36).slice(2)}`,
    ),
    instanceProfiles: [INSTANCE_PROFILE],
    sesIdentities: [SENDER],
    ...options,
  });
  const ec2 = new EC2Client(config);
  const ssm = new SSMClient(config);
  const ses = new SESv2Client(config);
  const scheduler = new SchedulerClient(config);
  for (const client of [ec2, ssm, ses, scheduler]) client.middlewareStack.use(sim.plugin);
  return { sim, ec2, ssm, ses, scheduler, advance: (ms) => sim.clock.advance(ms) };
}

/** Clients of `region` on the harness's simulated account (the harness's own are its account's). */
export function clientsIn(h: Harness, region: string) {
  const inRegion = { ...config, region };
  const clients = {
    ec2: new EC2Client(inRegion),
    ssm: new SSMClient(inRegion),
    ses: new SESv2Client(inRegion),
    scheduler: new SchedulerClient(inRegion),
  };
  for (const client of Object.values(clients)) client.middlewareStack.use(h.sim.pluginFor(region));
  return clients;
}

export const launchInput = (
  overrides: Partial<RunInstancesCommandInput> = {},
): RunInstancesCommandInput => ({
  ImageId: UBUNTU,
  InstanceType: 't3.medium',
  MinCount: 1,
  MaxCount: 1,
  IamInstanceProfile: { Name: INSTANCE_PROFILE },
  ...overrides,
});

export async function launch(
  h: Harness,
  overrides: Partial<RunInstancesCommandInput> = {},
): Promise<string[]> {
  const reservation = await h.ec2.send(new RunInstancesCommand(launchInput(overrides)));
  return (reservation.Instances ?? []).map((i) => i.InstanceId as string);
}

/** Launched, running and registered with SSM (the agent's p99 is well under 10 minutes). */
export async function managedInstances(
  h: Harness,
  count = 1,
  overrides: Partial<RunInstancesCommandInput> = {},
) {
  const ids = await launch(h, { MinCount: count, MaxCount: count, ...overrides });
  h.advance(10 * MINUTE);
  return ids;
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function failure(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a failure, but the call succeeded');
}
