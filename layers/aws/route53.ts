/**
 * Route 53 adapter: the A records that name a class's seats in the organizer's hosted zone, put
 * there when the seats are configured and deleted with the class. A DELETE must carry the record's
 * current values, so the records are read back first.
 */
import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  type ListResourceRecordSetsCommandOutput,
  type ResourceRecordSet,
  type RRType,
} from '@aws-sdk/client-route-53';
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

/** The A records named `*<suffix>` (`.<class label>.<domain>`), read page by page. */
async function recordsUnder(hostedZoneId: string, suffix: string): Promise<ResourceRecordSet[]> {
  const apex = `${suffix.replace(/^\./, '')}.`;
  const under = (name: string) => name.endsWith(`${suffix}.`);
  const found: ResourceRecordSet[] = [];
  let start: { name: string; type?: RRType } | undefined = { name: apex };
  // Listed with labels reversed, so every name under the class's label follows the label itself.
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

/** Delete every seat A record under `suffix`, with its current values; the names deleted. */
export async function unnameSeats(hostedZoneId: string, suffix: string): Promise<string[]> {
  const records = await recordsUnder(hostedZoneId, suffix);
  if (records.length === 0) return [];
  await route53Client().send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: hostedZoneId,
      ChangeBatch: {
        Comment: 'bakehouse seats of a class that is over',
        Changes: records.map((set) => ({ Action: 'DELETE', ResourceRecordSet: set })),
      },
    }),
  );
  return records.map((set) => (set.Name ?? '').replace(/\.$/, ''));
}
