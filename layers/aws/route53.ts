/**
 * Route 53 adapter: the A records that name a class's seats in the organizer's hosted zone, put
 * there when the seats are configured and deleted with the class or by the teardown. A DELETE must
 * carry the record's current values, so the records are read back first.
 */
import {
  ChangeResourceRecordSetsCommand,
  InvalidChangeBatch,
  ListResourceRecordSetsCommand,
  type ListResourceRecordSetsCommandOutput,
  type ResourceRecordSet,
  type RRType,
} from '@aws-sdk/client-route-53';
import type { FleetRecord } from '../core/teardown/fleet';
import { route53Client } from './clients';

/** Seconds resolvers may keep a seat's address: short, as a seat's name outlives no class. */
export const SEAT_RECORD_TTL = 60;

/** UPSERT one A record per name (one change batch, all or nothing; safe to repeat). */
export async function nameSeats(
  hostedZoneId: string,
  records: { name: string; address: string }[],
): Promise<void> {
  if (records.length === 0) return;
  await route53Client().send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: hostedZoneId,
      ChangeBatch: {
        Comment: 'bakehouse seats',
        Changes: records.map(({ name, address }) => ({
          Action: 'UPSERT',
          ResourceRecordSet: {
            Name: name,
            Type: 'A',
            TTL: SEAT_RECORD_TTL,
            ResourceRecords: [{ Value: address }],
          },
        })),
      },
    }),
  );
}

/** The A records named `*<suffix>` (`.<class label>.<domain>`, or `.<domain>`), page by page. */
async function recordsUnder(hostedZoneId: string, suffix: string): Promise<ResourceRecordSet[]> {
  const apex = `${suffix.replace(/^\./, '')}.`;
  const under = (name: string) => name.endsWith(`${suffix}.`);
  const found: ResourceRecordSet[] = [];
  let start: { name: string; type?: RRType } | undefined = { name: apex };
  // Listed with labels reversed, so every name under the suffix follows the suffix itself.
  while (start) {
    const page: ListResourceRecordSetsCommandOutput = await route53Client().send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: hostedZoneId,
        StartRecordName: start.name,
        ...(start.type ? { StartRecordType: start.type } : {}),
      }),
    );
    const sets = page.ResourceRecordSets ?? [];
    found.push(...sets.filter((set) => set.Type === 'A' && under(set.Name ?? '')));
    const left = sets.some((set) => set.Name !== apex && !under(set.Name ?? ''));
    start =
      page.IsTruncated && !left && page.NextRecordName
        ? { name: page.NextRecordName, type: page.NextRecordType }
        : undefined;
  }
  return found;
}

const fleetRecord = (hostedZoneId: string, set: ResourceRecordSet): FleetRecord => ({
  hostedZoneId,
  name: (set.Name ?? '').toLowerCase(),
  type: set.Type ?? '',
  ...(set.TTL === undefined ? {} : { ttl: set.TTL }),
  values: (set.ResourceRecords ?? []).map((r) => r.Value ?? ''),
  ...(set.AliasTarget || set.SetIdentifier !== undefined ? { routed: true } : {}),
});

/** Every A record under `domain` in the zone, whoever wrote it (the core picks the seats' own). */
export async function recordsUnderDomain(
  hostedZoneId: string,
  domain: string,
): Promise<FleetRecord[]> {
  const sets = await recordsUnder(hostedZoneId, `.${domain}`);
  return sets.map((set) => fleetRecord(hostedZoneId, set));
}

/** ChangeResourceRecordSets takes at most 1000 changes in one batch (Route 53 quotas). */
export const CHANGES_PER_BATCH = 1000;

const NOT_FOUND = /\[name='([^']+)', type='A'\] but it was not found/;

/** The names an InvalidChangeBatch says were not found, or undefined if it says anything else. */
function notFoundNames(error: unknown): string[] | undefined {
  if (!(error instanceof InvalidChangeBatch)) return undefined;
  const messages = error.messages?.length ? error.messages : [error.message];
  const names = messages.map((m) => NOT_FOUND.exec(m)?.[1]);
  return names.every((n) => n !== undefined) ? (names as string[]) : undefined;
}

/**
 * DELETE plain A records, each exactly as listed (name, TTL, values), in batches of at most
 * CHANGES_PER_BATCH. A batch is all or nothing: when Route 53 refuses one only because some of
 * its records are already gone, those count as deleted and the rest is sent again. A batch refused
 * for any other reason (values changed since they were listed, access denied) fails as a whole.
 */
export async function deleteRecords(
  hostedZoneId: string,
  records: readonly Pick<FleetRecord, 'name' | 'type' | 'ttl' | 'values'>[],
  comment = 'bakehouse seats of a class that is over',
): Promise<{ deleted: string[]; failed: { name: string; error: string }[] }> {
  const deleted: string[] = [];
  const failed: { name: string; error: string }[] = [];
  for (let i = 0; i < records.length; i += CHANGES_PER_BATCH) {
    let batch = records.slice(i, i + CHANGES_PER_BATCH);
    while (batch.length > 0) {
      try {
        await route53Client().send(
          new ChangeResourceRecordSetsCommand({
            HostedZoneId: hostedZoneId,
            ChangeBatch: {
              Comment: comment,
              Changes: batch.map((r) => ({
                Action: 'DELETE',
                ResourceRecordSet: {
                  Name: r.name,
                  Type: r.type as RRType,
                  TTL: r.ttl,
                  ResourceRecords: r.values.map((Value) => ({ Value })),
                },
              })),
            },
          }),
        );
        deleted.push(...batch.map((r) => r.name));
        batch = [];
      } catch (error) {
        const gone = new Set(notFoundNames(error) ?? []);
        const left = batch.filter((r) => !gone.has(absolute(r.name)));
        if (gone.size === 0 || left.length === batch.length) {
          const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          failed.push(...batch.map((r) => ({ name: r.name, error: reason })));
          batch = [];
        } else {
          deleted.push(...batch.filter((r) => gone.has(absolute(r.name))).map((r) => r.name));
          batch = left;
        }
      }
    }
  }
  return { deleted, failed };
}

/** `Seat-001.Example.org` → `seat-001.example.org.`: how Route 53 names a record in its answers. */
const absolute = (name: string) => `${name.toLowerCase().replace(/\.$/, '')}.`;

/** Delete every seat A record under `suffix`, with its current values; the names deleted. */
export async function unnameSeats(hostedZoneId: string, suffix: string): Promise<string[]> {
  const records = (await recordsUnder(hostedZoneId, suffix)).map((set) =>
    fleetRecord(hostedZoneId, set),
  );
  const { deleted, failed } = await deleteRecords(hostedZoneId, records);
  if (failed.length > 0)
    throw new Error(`${failed.length} seat names not deleted: ${failed[0]?.error ?? ''}`);
  return deleted.map((name) => name.replace(/\.$/, ''));
}
