/** Route 53 record sets in the simulated account, through the real SDK client and the adapter. */
import {
  ChangeResourceRecordSetsCommand,
  type ChangeResourceRecordSetsCommandInput,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTransport } from '../../../layers/aws/clients';
import { nameSeats, unnameSeats } from '../../../layers/aws/route53';
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
});
