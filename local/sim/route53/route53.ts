/**
 * Route 53 record sets in the account's public hosted zones: ChangeResourceRecordSets and
 * ListResourceRecordSets, refusing what Route 53 refuses. Each zone holds its apex SOA and NS, as
 * a new zone does. Sources: the Route 53 API Reference, ChangeResourceRecordSets ("Change batches
 * are considered transactional changes ... either makes all or none of the changes"; "To delete
 * a resource record set, you must specify all the same values that you specified when you
 * created it"), its errors NoSuchHostedZone ("No hosted zone found with ID: …") and
 * InvalidChangeBatch (with Route 53's wording: "RRSet with DNS name x. is not permitted in zone
 * y.", "Tried to delete resource record set [name='x.', type='A'] but it was not found", "… but
 * the values provided do not match the current values", "Tried to create resource record set
 * [name='x.', type='A'] but it already exists"); ListResourceRecordSets lists "in
 * lexicographic order of the labels reversed" (com.example.www), then by type. A refused batch
 * names every change it refuses in one InvalidChangeBatch (its `messages`), as Route 53's own
 * answers do ("InvalidChangeBatch: [Tried to create … but it already exists, Tried to create …
 * but it already exists]", kubernetes-sigs/external-dns#5939).
 */
import {
  type Change,
  type ChangeResourceRecordSetsRequest,
  InvalidChangeBatch,
  InvalidInput,
  type ListResourceRecordSetsRequest,
  NoSuchHostedZone,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import type { SimClock } from '../kernel/clock';
import { fault } from '../kernel/errors';
import { operation } from '../kernel/transport';

export interface HostedZoneSetting {
  id: string;
  name: string;
}

export interface RecordSnapshot {
  zoneId: string;
  name: string;
  type: string;
  ttl?: number;
  values: string[];
}

/** `Example.org` → `example.org.`: how Route 53 stores and returns names. */
const absolute = (name: string) => `${name.toLowerCase().replace(/\.$/, '')}.`;
const key = (name: string, type: string) => `${name}|${type}`;
/** The sort key Route 53 lists by: labels reversed (`org.example.seat-001`). */
const reversed = (name: string) => name.replace(/\.$/, '').split('.').reverse().join('.');

const order = (a: ResourceRecordSet, b: ResourceRecordSet) => {
  const byName = reversed(a.Name ?? '').localeCompare(reversed(b.Name ?? ''));
  return byName !== 0 ? byName : (a.Type ?? '').localeCompare(b.Type ?? '');
};

const sameValues = (a: ResourceRecordSet, b: ResourceRecordSet) => {
  const values = (set: ResourceRecordSet) =>
    (set.ResourceRecords ?? []).map((r) => r.Value ?? '').sort();
  const [x, y] = [values(a), values(b)];
  return a.TTL === b.TTL && x.length === y.length && x.every((v, i) => v === y[i]);
};

/** One change of a batch that Route 53 would refuse: every such change is named in the error. */
class Refused extends Error {}

/** InvalidChangeBatch listing every refused change of the batch, as Route 53 answers. */
const invalidBatch = (messages: string[]) => {
  const message = messages.length === 1 ? (messages[0] ?? '') : `[${messages.join(', ')}]`;
  const error = fault(InvalidChangeBatch, message);
  return Object.assign(error, { messages });
};

class Zone {
  readonly records = new Map<string, ResourceRecordSet>();

  constructor(
    readonly id: string,
    readonly name: string,
  ) {
    this.records.set(key(name, 'SOA'), {
      Name: name,
      Type: 'SOA',
      TTL: 900,
      ResourceRecords: [
        { Value: `ns-1.awsdns-01.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400` },
      ],
    });
    this.records.set(key(name, 'NS'), {
      Name: name,
      Type: 'NS',
      TTL: 172800,
      ResourceRecords: [{ Value: 'ns-1.awsdns-01.org.' }, { Value: 'ns-2.awsdns-02.com.' }],
    });
  }

  contains(name: string): boolean {
    return name === this.name || name.endsWith(`.${this.name}`);
  }
}

export class SimulatedRoute53 {
  private readonly zones = new Map<string, Zone>();
  private changes = 0;

  constructor(
    zones: HostedZoneSetting[],
    private readonly clock: SimClock,
  ) {
    for (const zone of zones) this.zones.set(zone.id, new Zone(zone.id, absolute(zone.name)));
  }

  operations() {
    return {
      ChangeResourceRecordSets: operation((input: ChangeResourceRecordSetsRequest) =>
        this.change(input),
      ),
      ListResourceRecordSets: operation((input: ListResourceRecordSetsRequest) => this.list(input)),
    };
  }

  /** The A record a name resolves to, in whichever zone holds it. */
  resolve(host: string): string | undefined {
    const name = absolute(host);
    for (const zone of this.zones.values()) {
      const found = zone.records.get(key(name, 'A'));
      if (found) return found.ResourceRecords?.[0]?.Value;
    }
    return undefined;
  }

  records(): RecordSnapshot[] {
    return [...this.zones.values()].flatMap((zone) =>
      [...zone.records.values()].sort(order).map((set) => ({
        zoneId: zone.id,
        name: set.Name ?? '',
        type: set.Type ?? '',
        ...(set.TTL === undefined ? {} : { ttl: set.TTL }),
        values: (set.ResourceRecords ?? []).map((r) => r.Value ?? ''),
      })),
    );
  }

  private zone(id: string | undefined): Zone {
    const bare = (id ?? '').replace(/^\/hostedzone\//, '');
    const zone = this.zones.get(bare);
    if (!zone) throw fault(NoSuchHostedZone, `No hosted zone found with ID: ${bare}`, 404);
    return zone;
  }

  private change(input: ChangeResourceRecordSetsRequest) {
    const zone = this.zone(input.HostedZoneId);
    const changes = input.ChangeBatch?.Changes ?? [];
    if (changes.length === 0 || changes.length > 1000)
      throw fault(InvalidInput, 'Invalid request: a change batch holds 1 to 1000 changes');
    // Applied to a copy, kept only if every change is valid: all or nothing. Route 53 checks
    // every change and names each one it refuses.
    const next = new Map(zone.records);
    const refused: string[] = [];
    for (const change of changes) {
      try {
        this.apply(zone, next, change);
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        refused.push(error.message);
      }
    }
    if (refused.length > 0) throw invalidBatch(refused);
    zone.records.clear();
    for (const [k, v] of next) zone.records.set(k, v);
    this.changes += 1;
    return {
      ChangeInfo: {
        Id: `/change/C${String(this.changes).padStart(12, '0')}`,
        Status: 'PENDING',
        SubmittedAt: new Date(this.clock.now()),
      },
    };
  }

  private apply(zone: Zone, records: Map<string, ResourceRecordSet>, change: Change) {
    const set = change.ResourceRecordSet;
    if (!set?.Name || !set.Type)
      throw fault(InvalidInput, 'Invalid request: Name and Type are required');
    const name = absolute(set.Name);
    const type = set.Type;
    if (!zone.contains(name))
      throw new Refused(`RRSet with DNS name ${name} is not permitted in zone ${zone.name}`);
    if (set.TTL === undefined || !set.ResourceRecords?.length)
      throw fault(InvalidInput, `Invalid request: Expected TTL and ResourceRecords for ${name}`);
    const wanted: ResourceRecordSet = {
      Name: name,
      Type: type,
      TTL: set.TTL,
      ResourceRecords: set.ResourceRecords.map((r) => ({ Value: r.Value })),
    };
    const existing = records.get(key(name, type));
    const which = `[name='${name}', type='${type}']`;
    switch (change.Action) {
      case 'CREATE':
        if (existing)
          throw new Refused(`Tried to create resource record set ${which} but it already exists`);
        records.set(key(name, type), wanted);
        return;
      case 'UPSERT':
        records.set(key(name, type), wanted);
        return;
      case 'DELETE':
        if (!existing)
          throw new Refused(`Tried to delete resource record set ${which} but it was not found`);
        if (!sameValues(existing, wanted))
          throw new Refused(
            `Tried to delete resource record set ${which} but the values provided do not match the current values`,
          );
        records.delete(key(name, type));
        return;
      default:
        throw fault(InvalidInput, `Invalid request: unknown action ${String(change.Action)}`);
    }
  }

  private list(input: ListResourceRecordSetsRequest) {
    const zone = this.zone(input.HostedZoneId);
    const max = Math.min(Math.max(Number(input.MaxItems ?? 300) || 300, 1), 300);
    const sorted = [...zone.records.values()].sort(order);
    const start = input.StartRecordName
      ? ({
          Name: absolute(input.StartRecordName),
          Type: input.StartRecordType,
        } as ResourceRecordSet)
      : undefined;
    const from = start ? sorted.filter((set) => order(set, start) >= 0) : sorted;
    const page = from.slice(0, max);
    const rest = from[max];
    return {
      ResourceRecordSets: page.map((set) => structuredClone(set)),
      IsTruncated: rest !== undefined,
      MaxItems: String(max),
      ...(rest ? { NextRecordName: rest.Name, NextRecordType: rest.Type } : {}),
    };
  }
}
