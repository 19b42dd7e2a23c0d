// The seats' names in Route 53 as the teardown judges them: which records are a class's own (the
// names bakehouse writes for it, and nothing else under its domain), and which of them go because
// their class is over. Pure.
import { seatNames } from '../classroom/plan/class-names';
import { ClassRecordSchema } from '../classroom/record/class-record';
import type { TeardownAction } from './actions';
import type { Fleet, FleetNamedClass, FleetRecord } from './fleet';

/** A seat's own label, as seat ids are made: `seat-` and digits. */
const SEAT_LABEL = /^seat-[0-9]+$/;

/**
 * The classes of the class store that name their seats in a hosted zone. Items that do not read
 * as a class record name no class: nothing of theirs is ever matched.
 */
export function namedClassesOf(items: readonly unknown[]): FleetNamedClass[] {
  return items.flatMap((item) => {
    const parsed = ClassRecordSchema.safeParse(item);
    if (!parsed.success) return [];
    const { plan } = parsed.data;
    const names = seatNames(plan);
    return names && plan.dns ? [{ classId: plan.classId, ...names, domain: plan.dns.domain }] : [];
  });
}

/** The (zone, domain) pairs whose records the teardown lists: one listing per pair. */
export function domainsToList(
  classes: readonly FleetNamedClass[],
): { hostedZoneId: string; domain: string }[] {
  const pairs = new Map<string, { hostedZoneId: string; domain: string }>();
  for (const { hostedZoneId, domain } of classes)
    pairs.set(`${hostedZoneId} ${domain}`, { hostedZoneId, domain });
  return [...pairs.values()];
}

/** A record written as bakehouse writes a seat's: a plain A record with a TTL and values. */
const plain = (r: FleetRecord) =>
  r.type === 'A' && !r.routed && r.ttl !== undefined && r.values.length > 0;

/**
 * Each named class's own seat records: in its zone, `seat-<digits>` followed by exactly its
 * suffix. A record under the domain that no class names this way is no class's.
 */
export function recordsByClass(fleet: Fleet): Map<string, FleetRecord[]> {
  const bySuffix = new Map<string, string>();
  for (const c of fleet.namedClasses ?? [])
    bySuffix.set(`${c.hostedZoneId} ${c.suffix.toLowerCase()}.`, c.classId);
  const found = new Map<string, FleetRecord[]>();
  for (const record of fleet.records ?? []) {
    if (!plain(record)) continue;
    const name = record.name.toLowerCase();
    const dot = name.indexOf('.');
    if (dot < 0 || !SEAT_LABEL.test(name.slice(0, dot))) continue;
    const classId = bySuffix.get(`${record.hostedZoneId} ${name.slice(dot)}`);
    if (classId) found.set(classId, [...(found.get(classId) ?? []), record]);
  }
  return found;
}

/** The seat records of each class that is over (`classOver` says why), one action per name. */
export function recordActions(
  fleet: Fleet,
  classOver: (classId: string) => string | undefined,
): TeardownAction[] {
  const actions: TeardownAction[] = [];
  for (const [classId, records] of recordsByClass(fleet)) {
    const reason = classOver(classId);
    if (!reason) continue;
    for (const record of records)
      actions.push({
        kind: 'delete-record',
        id: record.name.replace(/\.$/, ''),
        hostedZoneId: record.hostedZoneId,
        record,
        reason: `seat name of a class that is over: ${reason}`,
      });
  }
  return actions;
}
