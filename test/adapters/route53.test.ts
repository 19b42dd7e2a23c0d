// The Route 53 adapter's listing and deletions as Route 53 is asked and answers: pages under a
// domain, what a listed record is made of, batches of at most 1000 changes, records already gone.
import {
  ChangeResourceRecordSetsCommand,
  InvalidChangeBatch,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { deleteRecords, recordsUnderDomain } from '../../layers/aws/route53';

const route53 = mockClient(Route53Client);
const ZONE = 'Z0123456789ABC';
const a = (name: string, value = '203.0.113.1') => ({
  Name: name,
  Type: 'A' as const,
  TTL: 60,
  ResourceRecords: [{ Value: value }],
});
const record = (name: string, value = '203.0.113.1') => ({
  name,
  type: 'A',
  ttl: 60,
  values: [value],
});
const refused = (messages: string[]) =>
  new InvalidChangeBatch({ $metadata: {}, message: messages.join(', '), messages });

beforeEach(() => {
  route53.reset();
});

describe('recordsUnderDomain', () => {
  it('lists A records under the domain page by page, marks aliases and routed ones, and stops past it', async () => {
    route53
      .on(ListResourceRecordSetsCommand)
      .resolvesOnce({
        ResourceRecordSets: [
          {
            Name: 'classes.example.org.',
            Type: 'NS',
            TTL: 300,
            ResourceRecords: [{ Value: 'ns.' }],
          },
          a('seat-001.intro-aaaaaa.classes.example.org.'),
        ],
        IsTruncated: true,
        NextRecordName: 'seat-002.intro-aaaaaa.classes.example.org.',
        NextRecordType: 'A',
      })
      .resolvesOnce({
        ResourceRecordSets: [
          { ...a('seat-002.intro-aaaaaa.classes.example.org.'), SetIdentifier: 'w1', Weight: 1 },
          {
            Name: 'www.classes.example.org.',
            Type: 'A',
            AliasTarget: { HostedZoneId: 'Z2', DNSName: 'x.', EvaluateTargetHealth: false },
          },
          a('zzz.example.org.'),
        ],
        IsTruncated: true,
        NextRecordName: 'zzz2.example.org.',
      });

    const found = await recordsUnderDomain(ZONE, 'classes.example.org');

    expect(route53.commandCalls(ListResourceRecordSetsCommand).map((c) => c.args[0].input)).toEqual(
      [
        { HostedZoneId: ZONE, StartRecordName: 'classes.example.org.' },
        {
          HostedZoneId: ZONE,
          StartRecordName: 'seat-002.intro-aaaaaa.classes.example.org.',
          StartRecordType: 'A',
        },
      ],
    );
    expect(found).toEqual([
      { hostedZoneId: ZONE, ...record('seat-001.intro-aaaaaa.classes.example.org.') },
      { hostedZoneId: ZONE, ...record('seat-002.intro-aaaaaa.classes.example.org.'), routed: true },
      {
        hostedZoneId: ZONE,
        name: 'www.classes.example.org.',
        type: 'A',
        values: [],
        routed: true,
      },
    ]);
  });
});

describe('deleteRecords', () => {
  it('sends each record exactly as listed, at most 1000 changes a batch', async () => {
    route53.on(ChangeResourceRecordSetsCommand).resolves({});
    const records = Array.from({ length: 2001 }, (_, i) => record(`seat-${i}.c.example.org.`));

    const outcome = await deleteRecords(ZONE, records);

    const batches = route53
      .commandCalls(ChangeResourceRecordSetsCommand)
      .map((c) => c.args[0].input);
    expect(batches.map((b) => b.ChangeBatch?.Changes?.length)).toEqual([1000, 1000, 1]);
    expect(batches[2]).toEqual({
      HostedZoneId: ZONE,
      ChangeBatch: {
        Comment: 'bakehouse seats of a class that is over',
        Changes: [{ Action: 'DELETE', ResourceRecordSet: a('seat-2000.c.example.org.') }],
      },
    });
    expect(outcome).toEqual({ deleted: records.map((r) => r.name), failed: [] });
  });

  it('counts records Route 53 says are not found as deleted and sends the rest again', async () => {
    route53
      .on(ChangeResourceRecordSetsCommand)
      .rejectsOnce(
        refused([
          "Tried to delete resource record set [name='seat-1.c.example.org.', type='A'] but it was not found",
        ]),
      )
      .resolves({});
    const records = [record('seat-1.c.example.org.'), record('seat-2.c.example.org.')];

    const outcome = await deleteRecords(ZONE, records);

    const calls = route53.commandCalls(ChangeResourceRecordSetsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.ChangeBatch?.Changes).toEqual([
      { Action: 'DELETE', ResourceRecordSet: a('seat-2.c.example.org.') },
    ]);
    expect(outcome).toEqual({
      deleted: ['seat-1.c.example.org.', 'seat-2.c.example.org.'],
      failed: [],
    });
  });

  it('fails a whole batch Route 53 refuses for anything but records already gone', async () => {
    route53
      .on(ChangeResourceRecordSetsCommand)
      .rejects(
        refused([
          "Tried to delete resource record set [name='seat-1.c.example.org.', type='A'] but it was not found",
          "Tried to delete resource record set [name='seat-2.c.example.org.', type='A'] but the values provided do not match the current values",
        ]),
      );
    const records = [record('seat-1.c.example.org.'), record('seat-2.c.example.org.')];

    const outcome = await deleteRecords(ZONE, records);

    expect(route53).toHaveReceivedCommandTimes(ChangeResourceRecordSetsCommand, 1);
    expect(outcome.deleted).toEqual([]);
    expect(outcome.failed.map((f) => f.name)).toEqual(records.map((r) => r.name));
    expect(outcome.failed[0]?.error).toMatch(/^InvalidChangeBatch: .*do not match/);
  });
});
