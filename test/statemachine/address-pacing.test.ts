// A TLS class with more seats than EC2 lets Elastic IPs through at once (AllocateAddress: 50,
// refilled at 5/s), seated and cleaned up on the simulated AWS.
import { rmSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { resolvePublicParameter } from '../../layers/aws/ssm';
import { classRoster } from '../../local/class-roster';
import { runLocal } from '../../local/runner';
import { sessionStartingSoon } from '../../local/session-soon';
import { liveInstances, simulatedAws } from './simulated';

const OUTBOX = '.cache/test-outbox-addresses';
const SEATS = 120;

type Sim = ReturnType<typeof simulatedAws>;

async function classOf(sim: Sim, seats: number) {
  const image = await resolvePublicParameter(
    'us-east-1',
    '/aws/service/debian/release/12/latest/amd64',
  );
  return {
    request: {
      name: 'paced-addresses',
      image,
      seats,
      schedule: sessionStartingSoon(sim.clock.now()),
      instructor: { name: 'Ada Lovelace', email: 'ada@example.edu' },
      sender: 'classes@example.edu',
    },
  };
}

const seat = (sim: Sim, input: unknown) =>
  runLocal('classroom', input, { clock: sim.clock, executionName: 'paced-class' });

const entered = (run: Awaited<ReturnType<typeof seat>>, name: string) =>
  run.events.filter((e) => e.type === 'StateEntered' && e.state.name === name).length;

const calls = (sim: Sim, operation: string) => sim.calls[`EC2:${operation}`] ?? 0;
const throttled = (sim: Sim, operation: string) => sim.throttled[`EC2:${operation}`] ?? 0;

beforeEach(() => {
  rmSync(OUTBOX, { recursive: true, force: true });
});

describe('a TLS class larger than the Elastic IP bucket on the simulated AWS', () => {
  it('seats every seat at the pace EC2 lets addresses through, each with exactly one address', async () => {
    const sim = simulatedAws({ outboxDir: OUTBOX });

    const run = await seat(sim, await classOf(sim, SEATS));

    expect(run.status, run.cause).toBe('SUCCEEDED');
    const roster = (await classRoster(sim.classStore.tableName, 'paced-class')) as {
      state: string;
      url: string;
    }[];
    expect(roster.filter((r) => r.state === 'ready')).toHaveLength(SEATS);
    const addresses = sim.ec2.addresses();
    expect(addresses).toHaveLength(SEATS);
    // Each seat's address is on its own live instance, and its link names that address.
    const live = new Set(liveInstances(sim).map((i) => i.instanceId));
    expect(live.size).toBe(SEATS);
    expect(new Set(addresses.map((a) => a.instanceId))).toEqual(live);
    expect(new Set(roster.map((r) => r.url))).toEqual(
      new Set(addresses.map((a) => `https://${a.publicIp}/`)),
    );
    expect(new Set(addresses.map((a) => a.tags['bakehouse:seat'])).size).toBe(SEATS);
    // Every AllocateAddress that was let through made a seat's one address; the bucket paced the
    // rest, one throttled call per launch that ran into it, never a storm.
    expect(calls(sim, 'AllocateAddress') - throttled(sim, 'AllocateAddress')).toBe(SEATS);
    expect(throttled(sim, 'AllocateAddress')).toBeGreaterThan(0);
    expect(throttled(sim, 'AllocateAddress')).toBeLessThanOrEqual(
      entered(run, 'LaunchSeats') + entered(run, 'AdvanceSeats'),
    );
  }, 120_000);

  it('allocates every address at launch, never throttled, when the class fits in the bucket', async () => {
    const sim = simulatedAws({ outboxDir: OUTBOX });

    const run = await seat(sim, await classOf(sim, 40));

    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(throttled(sim, 'AllocateAddress')).toBe(0);
    expect(sim.ec2.addresses()).toHaveLength(40);
  }, 60_000);

  it('releases every address of a failed class through the throttle, and leaves no seat', async () => {
    // Every AssociateAddress refused: the class fails at its first seat that runs, by when
    // more addresses exist than ReleaseAddress's bucket lets go at once.
    const sim = simulatedAws({
      outboxDir: OUTBOX,
      faults: { errors: [{ call: 'EC2:AssociateAddress', kind: 'access-denied' }] },
    });

    const run = await seat(sim, await classOf(sim, SEATS));

    expect(run.status).toBe('FAILED');
    expect(run.cause).toMatch(/^AdvanceSeats failed: UnauthorizedOperation/);
    expect(calls(sim, 'ReleaseAddress') - throttled(sim, 'ReleaseAddress')).toBeGreaterThan(50);
    expect(throttled(sim, 'ReleaseAddress')).toBeGreaterThan(0);
    expect(sim.ec2.addresses()).toEqual([]);
    expect(liveInstances(sim)).toEqual([]);
  }, 120_000);
});
