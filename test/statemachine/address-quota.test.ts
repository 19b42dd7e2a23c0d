/**
 * The account's Elastic IP quota, checked before a TLS class launches anything: a class that
 * does not fit fails in planning with the numbers and the fix, and leaves nothing behind.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { AllocateAddressCommand } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { ec2Client } from '../../layers/aws/clients';
import { getClass } from '../../layers/aws/dynamodb';
import { resolvePublicParameter } from '../../layers/aws/ssm';
import { runLocal } from '../../local/runner';
import { sessionStartingSoon, sessionsFrom } from '../../local/session-soon';
import { LOCAL_CLASSES_TABLE, type Simulation } from '../../local/simulation';
import { liveInstances, simulatedAws } from './simulated';

const OUTBOX = '.cache/test-outbox-address-quota';
const STORE = { region: 'us-east-1', table: LOCAL_CLASSES_TABLE };
const CLASS_ID = 'class-quota';

let image = '';

async function account(elasticIpLimit: number) {
  const sim = simulatedAws({ outboxDir: OUTBOX, faults: { elasticIpLimit } });
  image = await resolvePublicParameter('us-east-1', '/aws/service/debian/release/12/latest/amd64');
  return sim;
}

const request = (sim: Simulation, overrides: Record<string, unknown>) => ({
  name: 'quota-class',
  image,
  schedule: sessionStartingSoon(sim.clock.now()),
  instructor: { email: 'ada@example.edu' },
  sender: 'classes@example.edu',
  ...overrides,
});

const seat = (sim: Simulation, body: Record<string, unknown>) =>
  runLocal('classroom', { request: body }, { clock: sim.clock, executionName: CLASS_ID });

const count = (sim: Simulation, call: string) => sim.calls[call] ?? 0;
const emails = () => (existsSync(OUTBOX) ? readdirSync(OUTBOX) : []);

/** Nothing of the class anywhere: no instance, address, group, parameter, email or record. */
async function nothingLeft(sim: Simulation, outside = 0) {
  expect(count(sim, 'EC2:RunInstances')).toBe(0);
  expect(count(sim, 'EC2:AllocateAddress')).toBe(outside);
  expect(liveInstances(sim)).toEqual([]);
  expect(sim.ec2.addresses()).toHaveLength(outside);
  expect(sim.ec2.securityGroups().filter((g) => g.name.includes(CLASS_ID))).toEqual([]);
  expect(sim.ssm.parameters().filter((p) => p.name.includes('/classes/'))).toEqual([]);
  expect(emails()).toEqual([]);
}

beforeEach(() => {
  rmSync(OUTBOX, { recursive: true, force: true });
});

describe("a TLS class and the account's Elastic IP quota, on the simulated AWS", () => {
  it('fails a 10-seat class in planning on an account that may hold 5, before anything launches', async () => {
    // Prepare
    const sim = await account(5);

    // Act
    const run = await seat(sim, request(sim, { seats: 10 }));

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('RequestRejected');
    expect(run.cause).toContain(
      "needs 10 Elastic IPs (one per TLS seat) but the account may hold 5 in us-east-1 and 0 are in use: ask Service Quotas for more 'EC2-VPC Elastic IPs' (L-0263D0A3), or use tls: none",
    );
    // Refused at once: a QuotaError is not retried.
    expect(count(sim, 'EC2:DescribeAccountAttributes')).toBe(1);
    await nothingLeft(sim);
    await expect(getClass(STORE, CLASS_ID)).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it("counts the region's addresses in use by others against the quota", async () => {
    // Prepare: 3 of the 5 held by something else in the account.
    const sim = await account(5);
    const ec2 = ec2Client('us-east-1');
    for (let i = 0; i < 3; i++) await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));

    // Act
    const run = await seat(sim, request(sim, { seats: 3 }));

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.cause).toContain(
      'needs 3 Elastic IPs (one per TLS seat) but the account may hold 5 in us-east-1 and 3 are in use',
    );
    await nothingLeft(sim, 3);
  });

  it('seats a class that fits the quota exactly', async () => {
    // Prepare
    const sim = await account(3);

    // Act
    const run = await seat(sim, request(sim, { seats: 3 }));

    // Assess
    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(sim.ec2.addresses()).toHaveLength(3);
    expect(liveInstances(sim)).toHaveLength(3);
  });

  it('asks nothing of the quota for a class without TLS', async () => {
    // Prepare
    const sim = await account(0);

    // Act
    const run = await seat(sim, request(sim, { seats: 3, tls: { mode: 'none' } }));

    // Assess
    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(count(sim, 'EC2:DescribeAccountAttributes')).toBe(0);
    expect(sim.ec2.addresses()).toEqual([]);
  });

  it('books a class ahead without a look at the quota, and fails it at its lead time when it does not fit', async () => {
    // Prepare
    const sim = await account(2);
    const sessions = sessionsFrom(sim.clock.now(), [{ startMinutes: 24 * 60, minutes: 60 }]);

    // Act
    const booked = await seat(
      sim,
      request(sim, { seats: 3, schedule: undefined, sessions, timezone: 'UTC' }),
    );
    await sim.executions.until(sim.clock.now() + 24 * 60 * 60_000);

    // Assess
    expect(booked.status, booked.cause).toBe('SUCCEEDED');
    const seating = sim.executions.runs.find((r) => (r.input as { step?: string }).step === 'seat');
    expect(seating?.status).toBe('FAILED');
    expect(seating?.error).toBe('QuotaError');
    expect(seating?.cause).toContain(
      'needs 3 Elastic IPs (one per TLS seat) but the account may hold 2',
    );
    await nothingLeft(sim);
  });
});
