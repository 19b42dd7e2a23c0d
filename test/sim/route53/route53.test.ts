/** Route 53 record sets in the simulated account, through the real SDK client and the adapter. */
import {
  ChangeResourceRecordSetsCommand,
  type ChangeResourceRecordSetsCommandInput,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTransport } from '../../../layers/aws/clients';
import {
  CHANGES_PER_BATCH,
  deleteRecords,
  nameSeats,
  recordsUnderDomain,
  unnameSeats,
} from '../../../layers/aws/route53';
import { createSimulatedAws, type SimulatedAws } from '../../../local/sim';

const ZONE = 'Z0123456789ABC';
let sim: SimulatedAws;
let route53: Route53Client;

beforeEach(() => {
  sim = createSimulatedAws({ scale: 0, hostedZones: [{ id: ZONE, name: 'classes.example.org' }] });
  useTransport({ plugin: sim.plugin });
  route53 = new Route53Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    maxAttempts: 1,
  });
  route53.middlewareStack.use(sim.plugin);
});

afterEach(() => {
  useTransport({});
});

const aRecord = (name: string, address: string, ttl = 60) => ({
  Name: name,
  Type: 'A' as const,
  TTL: ttl,
  ResourceRecords: [{ Value: address }],
});
const change = (
  Action: 'CREATE' | 'UPSERT' | 'DELETE',
  set: ReturnType<typeof aRecord>,
  zone = ZONE,
): ChangeResourceRecordSetsCommandInput => ({
  HostedZoneId: zone,
  ChangeBatch: { Changes: [{ Action, ResourceRecordSet: set }] },
});
const seatRecords = () => sim.route53.records().filter((r) => r.type === 'A');

describe('simulated Route 53', () => {
  it('holds a new zone with its SOA and NS records only', () => {
    // Act
    const records = sim.route53.records();

    // Assess
    expect(records.map((r) => [r.name, r.type])).toEqual([
      ['classes.example.org.', 'NS'],
      ['classes.example.org.', 'SOA'],
    ]);
  });

  it('refuses a zone the account does not have', async () => {
    // Act
    const attempt = route53.send(
      new ChangeResourceRecordSetsCommand(
        change('UPSERT', aRecord('a.example.net', '203.0.113.1'), 'ZNOPE'),
      ),
    );

    // Assess
    await expect(attempt).rejects.toMatchObject({
      name: 'NoSuchHostedZone',
      message: 'No hosted zone found with ID: ZNOPE',
    });
  });

  it('refuses a name outside the zone', async () => {
    // Act
    const attempt = route53.send(
      new ChangeResourceRecordSetsCommand(
        change('UPSERT', aRecord('seat-001.example.net', '203.0.113.1')),
      ),
    );

    // Assess
    await expect(attempt).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message:
        'RRSet with DNS name seat-001.example.net. is not permitted in zone classes.example.org.',
    });
  });

  it('refuses a DELETE whose values do not match, and one of a record that is not there', async () => {
    // Prepare
    await route53.send(
      new ChangeResourceRecordSetsCommand(
        change('UPSERT', aRecord('s1.classes.example.org', '203.0.113.1')),
      ),
    );

    // Act
    const stale = route53.send(
      new ChangeResourceRecordSetsCommand(
        change('DELETE', aRecord('s1.classes.example.org', '203.0.113.9')),
      ),
    );
    const absent = route53.send(
      new ChangeResourceRecordSetsCommand(
        change('DELETE', aRecord('s2.classes.example.org', '203.0.113.1')),
      ),
    );

    // Assess
    await expect(stale).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message:
        "Tried to delete resource record set [name='s1.classes.example.org.', type='A'] but the values provided do not match the current values",
    });
    await expect(absent).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message:
        "Tried to delete resource record set [name='s2.classes.example.org.', type='A'] but it was not found",
    });
    expect(seatRecords()).toHaveLength(1);
  });

  it('applies a batch all or nothing', async () => {
    // Act
    const attempt = route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: ZONE,
        ChangeBatch: {
          Changes: [
            {
              Action: 'UPSERT',
              ResourceRecordSet: aRecord('s1.classes.example.org', '203.0.113.1'),
            },
            { Action: 'UPSERT', ResourceRecordSet: aRecord('s1.example.net', '203.0.113.2') },
          ],
        },
      }),
    );

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'InvalidChangeBatch' });
    expect(seatRecords()).toEqual([]);
  });

  it('names every change it refuses in one InvalidChangeBatch, and applies none', async () => {
    // Prepare
    await route53.send(
      new ChangeResourceRecordSetsCommand(
        change('UPSERT', aRecord('s1.classes.example.org', '203.0.113.1')),
      ),
    );

    // Act
    const attempt = route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: ZONE,
        ChangeBatch: {
          Changes: [
            {
              Action: 'DELETE',
              ResourceRecordSet: aRecord('s1.classes.example.org', '203.0.113.1', 300),
            },
            {
              Action: 'DELETE',
              ResourceRecordSet: aRecord('s2.classes.example.org', '203.0.113.2'),
            },
            {
              Action: 'UPSERT',
              ResourceRecordSet: aRecord('s3.classes.example.org', '203.0.113.3'),
            },
          ],
        },
      }),
    );

    // Assess: a TTL that differs is a value that differs
    await expect(attempt).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      messages: [
        "Tried to delete resource record set [name='s1.classes.example.org.', type='A'] but the values provided do not match the current values",
        "Tried to delete resource record set [name='s2.classes.example.org.', type='A'] but it was not found",
      ],
    });
    expect(seatRecords().map((r) => r.name)).toEqual(['s1.classes.example.org.']);
  });

  it('lists with the labels reversed, from a start name, in pages', async () => {
    // Prepare
    for (const name of ['b.x', 'a.y', 'c.x'])
      await route53.send(
        new ChangeResourceRecordSetsCommand(
          change('UPSERT', aRecord(`${name}.classes.example.org`, '203.0.113.1')),
        ),
      );

    // Act
    const first = await route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: ZONE,
        StartRecordName: 'x.classes.example.org',
        MaxItems: 1,
      }),
    );

    // Assess
    expect(first.ResourceRecordSets?.map((r) => r.Name)).toEqual(['b.x.classes.example.org.']);
    expect(first).toMatchObject({ IsTruncated: true, NextRecordName: 'c.x.classes.example.org.' });
  });
});

describe('the Route 53 adapter', () => {
  it("names seats, then deletes exactly the class's names with their current values", async () => {
    // Prepare: another class's seat in the same zone stays
    await nameSeats(ZONE, [
      { name: 'seat-001.intro-aaaaaa.classes.example.org', address: '203.0.113.1' },
      { name: 'seat-002.intro-aaaaaa.classes.example.org', address: '203.0.113.2' },
      { name: 'seat-001.intro-bbbbbb.classes.example.org', address: '203.0.113.3' },
    ]);
    await nameSeats(ZONE, [
      { name: 'seat-002.intro-aaaaaa.classes.example.org', address: '203.0.113.4' },
    ]);

    // Act
    const removed = await unnameSeats(ZONE, '.intro-aaaaaa.classes.example.org');
    const again = await unnameSeats(ZONE, '.intro-aaaaaa.classes.example.org');

    // Assess
    expect(removed).toEqual([
      'seat-001.intro-aaaaaa.classes.example.org',
      'seat-002.intro-aaaaaa.classes.example.org',
    ]);
    expect(again).toEqual([]);
    expect(seatRecords()).toEqual([
      {
        zoneId: ZONE,
        name: 'seat-001.intro-bbbbbb.classes.example.org.',
        type: 'A',
        ttl: 60,
        values: ['203.0.113.3'],
      },
    ]);
  });

  it('deletes more records than one change batch holds, in batches Route 53 accepts', async () => {
    // Prepare: 1,203 names, in batches of at most 1,000 changes as Route 53 accepts them
    const names = Array.from(
      { length: 1203 },
      (_, i) => `seat-${String(i + 1).padStart(4, '0')}.big-cccccc.classes.example.org`,
    );
    for (let i = 0; i < names.length; i += 1000)
      await nameSeats(
        ZONE,
        names
          .slice(i, i + 1000)
          .map((name, k) => ({ name, address: `10.0.${(i + k) >> 8}.${(i + k) & 255}` })),
      );
    const listed = await recordsUnderDomain(ZONE, 'classes.example.org');

    // Act
    const outcome = await deleteRecords(ZONE, listed);

    // Assess
    expect(CHANGES_PER_BATCH).toBe(1000);
    expect(listed).toHaveLength(1203);
    expect(outcome.failed).toEqual([]);
    expect(outcome.deleted).toHaveLength(1203);
    expect(seatRecords()).toEqual([]);
  });

  it('counts a record already gone as deleted, and deletes the rest of its batch', async () => {
    // Prepare: one of the listed records is deleted by someone else before the teardown's batch
    await nameSeats(ZONE, [
      { name: 'seat-001.intro-aaaaaa.classes.example.org', address: '203.0.113.1' },
      { name: 'seat-002.intro-aaaaaa.classes.example.org', address: '203.0.113.2' },
      { name: 'seat-003.intro-aaaaaa.classes.example.org', address: '203.0.113.3' },
    ]);
    const listed = await recordsUnderDomain(ZONE, 'classes.example.org');
    await route53.send(
      new ChangeResourceRecordSetsCommand(
        change('DELETE', aRecord('seat-002.intro-aaaaaa.classes.example.org', '203.0.113.2')),
      ),
    );

    // Act
    const outcome = await deleteRecords(ZONE, listed);

    // Assess
    expect(outcome.failed).toEqual([]);
    expect([...outcome.deleted].sort()).toEqual(listed.map((r) => r.name).sort());
    expect(seatRecords()).toEqual([]);
  });

  it('deletes nothing of a batch in which a record changed since it was listed', async () => {
    // Prepare: a seat's record points elsewhere now
    await nameSeats(ZONE, [
      { name: 'seat-001.intro-aaaaaa.classes.example.org', address: '203.0.113.1' },
      { name: 'seat-002.intro-aaaaaa.classes.example.org', address: '203.0.113.2' },
    ]);
    const listed = await recordsUnderDomain(ZONE, 'classes.example.org');
    await nameSeats(ZONE, [
      { name: 'seat-002.intro-aaaaaa.classes.example.org', address: '198.51.100.9' },
    ]);

    // Act
    const outcome = await deleteRecords(ZONE, listed);

    // Assess
    expect(outcome.deleted).toEqual([]);
    expect(outcome.failed.map((f) => f.name)).toEqual(listed.map((r) => r.name));
    expect(outcome.failed[0]?.error).toMatch(
      /^InvalidChangeBatch: .*do not match the current values/,
    );
    expect(seatRecords()).toHaveLength(2);
  });
});
