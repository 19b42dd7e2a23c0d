import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { ec2Client } from '../../layers/aws/clients';
import { resolvePublicParameter } from '../../layers/aws/ssm';
import { classRoster } from '../../local/class-roster';
import { runLocal } from '../../local/runner';
import { sessionStartingSoon } from '../../local/session-soon';
import { CLASSROOM_MACHINE, liveInstances, nightlyTeardown, simulatedAws } from './simulated';

const OUTBOX = '.cache/test-outbox';

type Sim = ReturnType<typeof simulatedAws>;

function students(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    name: `Student ${i + 1}`,
    email: `student${i + 1}@example.edu`,
  }));
}

let image = '';
let schedule = sessionStartingSoon(Date.now());

function request(overrides: Record<string, unknown> = {}) {
  return {
    name: 'intro-genomics',
    image,
    students: students(3),
    schedule,
    instructor: { name: 'Ada Lovelace', email: 'ada@example.edu' },
    sender: 'classes@example.edu',
    ...overrides,
  };
}

/** A simulated account; its seats boot from the Debian base image (what a bake starts from). */
async function simulatedAccount(options: Parameters<typeof simulatedAws>[0] = {}) {
  const sim = simulatedAws({ outboxDir: OUTBOX, ...options });
  image = await resolvePublicParameter('us-east-1', '/aws/service/debian/release/12/latest/amd64');
  schedule = sessionStartingSoon(sim.clock.now());
  return sim;
}

async function subnets() {
  const output = await ec2Client('us-east-1').send(new DescribeSubnetsCommand({}));
  return (output.Subnets ?? []).map((s) => ({
    subnetId: s.SubnetId as string,
    az: s.AvailabilityZone as string,
  }));
}

const seat = (sim: Sim, input: unknown, failOnceAfterWork?: string[]) =>
  runLocal('classroom', input, {
    clock: sim.clock,
    executionName: 'class-test',
    failOnceAfterWork,
  });

const outbox = () => readdirSync(OUTBOX).filter((f) => f.endsWith('.eml'));
const count = (sim: Sim, operation: string) => sim.calls[operation] ?? 0;

beforeEach(() => {
  rmSync(OUTBOX, { recursive: true, force: true });
});

/** The decoded text/plain part of a raw MIME message. */
function plainText(eml: string): string {
  const part = eml.split(/\r?\n--/).find((p) => /content-type: text\/plain/i.test(p)) ?? '';
  const body = part
    .split(/\r?\n\r?\n/)
    .slice(1)
    .join('\n');
  return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
}

describe('the classroom state machine on the simulated AWS', () => {
  it('seats three students, emails each once and hands the instructor the roster', async () => {
    const sim = await simulatedAccount();

    const run = await seat(sim, { request: request() });

    expect(run.status, run.cause).toBe('SUCCEEDED');
    const output = {
      ...(run.output as { counts: { ready: number; total: number } }),
      roster: (await classRoster(sim.classStore.tableName, 'class-test')) as {
        state: string;
        url: string;
      }[],
    };
    expect(output.counts).toMatchObject({ ready: 3, total: 3 });
    const addresses = new Map(sim.ec2.addresses().map((a) => [a.instanceId, a.publicIp]));
    expect(
      output.roster.every((r) => r.state === 'ready' && /^https:\/\/[\d.]+\/$/.test(r.url)),
    ).toBe(true);
    expect(new Set(output.roster.map((r) => r.url))).toEqual(
      new Set(liveInstances(sim).map((i) => `https://${addresses.get(i.instanceId)}/`)),
    );
    expect(output.roster.every((r) => !r.url.includes('token'))).toBe(true);
    const mails = outbox();
    expect(mails.filter((f) => f.includes('student'))).toHaveLength(3);
    const instructorMail = mails.find((f) => f.includes('ada'));
    expect(instructorMail).toBeDefined();
    expect(readFileSync(join(OUTBOX, instructorMail as string), 'utf8')).toContain(
      'intro-genomics-roster.csv',
    );
    expect(liveInstances(sim)).toHaveLength(3);
  });

  it('stops every seat when the class ends, through a self-deleting one-time schedule', async () => {
    const sim = await simulatedAccount();

    await seat(sim, { request: request() });

    const schedules = sim.scheduler.schedules();
    expect(schedules).toHaveLength(1);
    expect(schedules[0]?.expression).toBe(`at(${schedule.end}:00)`);
    const [stop] = await sim.executions.until(Date.parse(`${schedule.end}:01Z`));
    expect(stop?.status, stop?.cause).toBe('SUCCEEDED');
    const states = sim.ec2.instances().map((i) => i.state);
    expect(states).toHaveLength(3);
    expect(
      states.every((state) => state === 'stopping' || state === 'stopped'),
      states.join(),
    ).toBe(true);
    expect(sim.scheduler.schedules().map((s) => s.name)).toEqual([
      expect.stringMatching(/-retire$/),
    ]);
  });

  it('opens HTTPS only to the allowed networks, and port 80 for certificate issuance', async () => {
    const sim = await simulatedAccount();

    await seat(sim, { request: request({ allowedCidrs: ['192.0.2.0/24'] }) });

    const [group] = sim.ec2.securityGroups().filter((g) => g.name === 'bakehouse-class-test');
    expect(group?.ingress).toEqual([
      expect.objectContaining({ fromPort: 443, toPort: 443, cidr: '192.0.2.0/24' }),
      expect.objectContaining({ fromPort: 80, toPort: 80, cidr: '0.0.0.0/0' }),
    ]);
  });

  it('opens only the Jupyter port and seats on plain HTTP, without Elastic IPs, for a class without TLS', async () => {
    const sim = await simulatedAccount();

    const run = await seat(sim, { request: request({ tls: { mode: 'none' } }) });

    expect(run.status, run.cause).toBe('SUCCEEDED');
    const [group] = sim.ec2.securityGroups().filter((g) => g.name === 'bakehouse-class-test');
    expect(group?.ingress).toEqual([
      expect.objectContaining({ fromPort: 8888, toPort: 8888, cidr: '0.0.0.0/0' }),
    ]);
    expect(sim.ec2.addresses()).toEqual([]);
    const roster = (await classRoster(sim.classStore.tableName, 'class-test')) as { url: string }[];
    expect(roster.every((r) => /^http:\/\/[\d.]+:8888\/$/.test(r.url))).toBe(true);
  });

  it('rejects a request that cannot work before launching anything', async () => {
    const sim = await simulatedAccount();

    const run = await seat(sim, {
      request: request({
        students: [...students(2), { name: 'Dup', email: 'STUDENT1@example.edu' }],
      }),
    });

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('RequestRejected');
    expect(run.cause).toContain('students[2].email');
    expect(count(sim, 'EC2:RunInstances')).toBe(0);
  });

  it('fails a class whose planning AWS keeps throttling, naming the step, not rejecting the request', async () => {
    const sim = await simulatedAccount({
      faults: { throttle: { DescribeAccountAttributes: 10_000 } },
    });

    const run = await seat(sim, { request: request() });

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('PlanningFailed');
    expect(run.cause).toMatch(
      /^PlanClassroom failed \(.*RequestLimitExceeded.*\)\. Nothing was created/,
    );
    expect(count(sim, 'EC2:RunInstances')).toBe(0);
    expect(sim.ec2.securityGroups().filter((g) => g.name.startsWith('bakehouse-'))).toEqual([]);
  });

  it('seats 200 with a few EC2 calls per batch and poll, never one per seat', async () => {
    const sim = await simulatedAccount();

    const run = await seat(sim, { request: request({ students: undefined, seats: 200 }) });

    expect(run.status, run.cause).toBe('SUCCEEDED');
    const polls = run.events.filter(
      (e) => e.type === 'StateEntered' && e.state.name === 'AdvanceSeats',
    ).length;
    const launches = run.events.filter(
      (e) => e.type === 'StateEntered' && e.state.name === 'LaunchSeats',
    ).length;
    expect(launches).toBe(4);
    expect(count(sim, 'EC2:RunInstances')).toBeLessThanOrEqual(launches * 3);
    // One per poll, and one per launch (a batch's, or a poll's for the seats whose Elastic IP EC2
    // paced) looking for the instances it may already have started before its RunInstances.
    expect(count(sim, 'EC2:DescribeInstances')).toBeLessThanOrEqual(
      polls + count(sim, 'EC2:RunInstances'),
    );
    expect(count(sim, 'SSM:SendCommand')).toBeLessThanOrEqual(polls);
    expect(count(sim, 'SSM:DescribeInstanceInformation')).toBeLessThanOrEqual(polls);
    expect(liveInstances(sim)).toHaveLength(200);
  }, 90_000);

  it('moves to the next subnet when the first has no capacity', async () => {
    const sim = await simulatedAccount({ faults: { capacity: [{ az: 'us-east-1a' }] } });
    const [a, b] = (await subnets()).sort((x, y) => x.az.localeCompare(y.az));

    const run = await seat(sim, { request: request({ subnets: [a?.subnetId, b?.subnetId] }) });

    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(liveInstances(sim).map((i) => i.subnetId)).toEqual([
      b?.subnetId,
      b?.subnetId,
      b?.subnetId,
    ]);
  });

  it('spreads the batches of a class over the subnets it was given', async () => {
    const sim = await simulatedAccount();
    const [a, b] = (await subnets()).sort((x, y) => x.az.localeCompare(y.az));

    const run = await seat(sim, {
      request: request({ students: students(60), subnets: [a?.subnetId, b?.subnetId] }),
    });

    expect(run.status, run.cause).toBe('SUCCEEDED');
    const perSubnet = Object.groupBy(liveInstances(sim), (i) => i.subnetId ?? '');
    expect(Object.keys(perSubnet).sort()).toEqual([a?.subnetId, b?.subnetId].sort());
    expect(perSubnet[a?.subnetId ?? '']).toHaveLength(30);
  });

  it('falls back from spot to on-demand when spot has no capacity', async () => {
    const sim = await simulatedAccount({ faults: { capacity: [{ market: 'spot' }] } });

    const run = await seat(sim, { request: request({ spot: true }) });

    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(liveInstances(sim).map((i) => i.market)).toEqual([
      'on-demand',
      'on-demand',
      'on-demand',
    ]);
  });

  it("stops every seat of a spot class when it ends: the stop step's StopInstances succeeds", async () => {
    const sim = await simulatedAccount();

    const run = await seat(sim, { request: request({ spot: true }) });
    const [stop] = await sim.executions.until(Date.parse(`${schedule.end}:01Z`));
    const stopping = sim.ec2.instances().map((i) => i.state);
    await sim.executions.until(sim.clock.now() + 5 * 60_000);

    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(stop?.status, stop?.cause).toBe('SUCCEEDED');
    expect(sim.scheduler.fired).toEqual([
      expect.objectContaining({ target: expect.stringMatching(/:stateMachine:[\w-]+-classroom$/) }),
    ]);
    expect(sim.scheduler.fired[0]?.error).toBeUndefined();
    expect(stopping).toEqual(['stopping', 'stopping', 'stopping']);
    expect(sim.ec2.instances().map((i) => [i.market, i.state])).toEqual(
      Array(3).fill(['spot', 'stopped']),
    );
    expect(sim.ec2.spotRequests().map((r) => [r.type, r.state])).toEqual(
      Array(3).fill(['persistent', 'disabled']),
    );
  });

  it('replaces a broken spot seat for good: its request is cancelled, so EC2 launches nothing in its place', async () => {
    const sim = await simulatedAccount({ faults: { seatAuthBroken: { count: 1 } } });

    const run = await seat(sim, { request: request({ spot: true }) });
    sim.clock.advance(30 * 60_000);

    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(sim.ec2.instances()).toHaveLength(4);
    expect(liveInstances(sim)).toHaveLength(3);
    expect(
      sim.ec2
        .spotRequests()
        .map((r) => r.state)
        .sort(),
    ).toEqual(['active', 'active', 'active', 'cancelled']);
  });

  it('reports seats for which no placement has capacity instead of dropping them', async () => {
    const sim = await simulatedAccount({
      faults: { capacity: [{ instanceType: 't3.medium', available: 2 }] },
    });

    const run = await seat(sim, { request: request() });

    expect(run.status, run.cause).toBe('SUCCEEDED');
    const roster = await classRoster(sim.classStore.tableName, 'class-test');
    expect(roster.map((r) => r.state).sort()).toEqual(['ready', 'ready', 'unplaced']);
    expect(roster.find((r) => r.state === 'unplaced')?.reason).toContain('no capacity');
  });

  it('replaces a seat that fails its readiness check', async () => {
    const sim = await simulatedAccount({ faults: { seatAuthBroken: { count: 1 } } });

    const run = await seat(sim, { request: request() });

    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect((run.output as { counts: { ready: number } }).counts.ready).toBe(3);
    expect(sim.ec2.instances()).toHaveLength(4);
    expect(liveInstances(sim)).toHaveLength(3);
  });

  it('sends every email exactly once when SES throttles', async () => {
    const sim = await simulatedAccount({ sesMaxSendRate: 1 });

    const run = await seat(sim, { request: request({ students: students(8) }) });

    expect(run.status, run.cause).toBe('SUCCEEDED');
    const toStudents = outbox().filter((f) => f.includes('student'));
    expect(toStudents).toHaveLength(8);
    expect(new Set(toStudents.map((f) => f.replace(/^\d+-/, ''))).size).toBe(8);
  });

  it('reports each student the SES sandbox refused, and still seats them', async () => {
    const verified = [
      'student1@example.edu',
      'student3@example.edu',
      'ada@example.edu',
      'classes@example.edu',
    ];
    const sim = await simulatedAccount({ sesSandbox: { verified } });

    const run = await seat(sim, { request: request() });

    expect(run.status, run.cause).toBe('SUCCEEDED');
    const roster = await classRoster(sim.classStore.tableName, 'class-test');
    const refused = roster.find((r) => r.email === 'student2@example.edu');
    expect(refused).toMatchObject({
      state: 'ready',
      reason: expect.stringMatching(/^email not delivered: MessageRejected/),
    });
    expect(roster.filter((r) => r.reason)).toHaveLength(1);
    const summary = sim.ses.outbox.find((m) => m.to.includes('ada@example.edu'))?.eml ?? '';
    expect(summary).toContain('filename="intro-genomics-seat-credentials.csv"');
    const text = plainText(summary);
    expect(text).toMatch(/- seat-\d+ \(.* <student2@example\.edu>\): ready, email not delivered/);
    expect(text).toContain('2 of 3 students with a ready seat received their password by email');
    expect(text).not.toContain('No problems');
  });

  it('retries a seat launch whose response was lost without launching twice', async () => {
    const sim = await simulatedAccount();

    const run = await seat(sim, { request: request() }, ['LaunchSeats']);

    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(sim.ec2.instances()).toHaveLength(3);
  });

  it('gives two seats replaced in different polls two different instances (their ClientTokens name the seat)', async () => {
    // Two seats come up with settings they were not given (the settings digest in their report
    // differs): two replacements of one round, each for its own seat at the same placement.
    const sim = await simulatedAccount({ faults: { seatAuthBroken: { count: 2 } } });

    const run = await seat(sim, { request: request({ students: students(4) }) });

    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect((run.output as { counts: { ready: number } }).counts.ready).toBe(4);
    expect(sim.ec2.instances()).toHaveLength(6);
    const live = liveInstances(sim);
    expect(live).toHaveLength(4);
    const urls = (await classRoster(sim.classStore.tableName, 'class-test')).map((r) => r.url);
    expect(new Set(urls).size).toBe(4);
    const addresses = new Map(sim.ec2.addresses().map((a) => [a.instanceId, a.publicIp]));
    expect(new Set(urls)).toEqual(
      new Set(live.map((i) => `https://${addresses.get(i.instanceId)}/`)),
    );
  }, 60_000);

  it('leaves no orphan after a transient capacity error and a throttle in one launch', async () => {
    // The first placement has no capacity once, the second starts 4 of 10, the third call is
    // throttled: the retry must take those 4 instead of launching 10 more.
    const sim = await simulatedAccount({
      faults: {
        capacity: [
          { instanceType: 't3.medium', az: 'us-east-1a', count: 1 },
          { instanceType: 't3.medium', az: 'us-east-1b', available: 4, count: 1 },
        ],
        errors: [{ call: 'EC2:RunInstances', kind: 'throttle', every: 3, count: 1 }],
      },
    });
    const [a, b] = (await subnets()).sort((x, y) => x.az.localeCompare(y.az));

    const run = await seat(sim, {
      request: request({
        students: students(10),
        subnets: [a?.subnetId, b?.subnetId],
        instanceTypes: ['t3.medium', 't3.large'],
      }),
    });

    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(sim.throttled['EC2:RunInstances']).toBe(1);
    expect(sim.ec2.instances()).toHaveLength(10);
    expect(liveInstances(sim)).toHaveLength(10);
  }, 60_000);

  it('names the failed step when an EC2 throttling storm outlasts the clean-up too', async () => {
    // RequestLimitExceeded on every third EC2 call, one counter across operations. A step of
    // three calls or more meets one on every attempt: a class with TLS fails already in planning
    // (the image and the Elastic IP quota), so this one is plain, planned with one call.
    const sim = await simulatedAccount({
      faults: { errors: [{ call: 'EC2:*', kind: 'throttle', every: 3 }] },
    });

    const run = await seat(sim, { request: request({ tls: { mode: 'none' } }) });

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('CleanUpFailed');
    expect(run.cause).toMatch(/^\{"PrepareNetwork":\{"Error":"RequestLimitExceeded"/);
    expect(run.cause).toContain('and so did the clean-up');
    expect(liveInstances(sim)).toEqual([]);
    const groups = () => sim.ec2.securityGroups().filter((g) => g.name.startsWith('bakehouse-'));
    expect(groups()).toHaveLength(1);

    // The night after, under the same storm, the teardown waits out each throttled call and
    // removes what the clean-up could not.
    sim.stepFunctions.record({
      stateMachineArn: CLASSROOM_MACHINE,
      name: 'class-test',
      status: 'FAILED',
    });
    const night = await nightlyTeardown(sim);

    expect(night.couldNot).toEqual([]);
    expect(night.done.map((e) => e.kind)).toContain('delete-security-group');
    expect(groups()).toEqual([]);
    expect(sim.throttled['EC2:DescribeInstances'] ?? 0).toBeGreaterThan(0);
  });

  it('terminates every seat when a step fails mid-way, and says which', async () => {
    const sim = await simulatedAccount({
      faults: { errors: [{ call: 'SESv2:GetAccount', kind: 'access-denied' }] },
    });

    const run = await seat(sim, { request: request() });

    expect(run.status).toBe('FAILED');
    expect(run.cause).toMatch(/^AdvanceSeats failed: /);
    expect(liveInstances(sim)).toEqual([]);
    expect(sim.ssm.parameters().filter((p) => p.name.includes('/classes/'))).toEqual([]);
  });

  it('cleans up a failed spot class for good: no spot request left open, no seat launched again', async () => {
    const sim = await simulatedAccount({
      faults: { errors: [{ call: 'SESv2:GetAccount', kind: 'access-denied' }] },
    });

    const run = await seat(sim, { request: request({ spot: true }) });
    sim.clock.advance(30 * 60_000);

    expect(run.status).toBe('FAILED');
    expect(run.cause).toMatch(/^AdvanceSeats failed: /);
    expect(sim.ec2.instances().map((i) => [i.market, i.state])).toEqual(
      Array(3).fill(['spot', 'terminated']),
    );
    expect(sim.ec2.spotRequests().map((r) => r.state)).toEqual(Array(3).fill('cancelled'));
  });
});
