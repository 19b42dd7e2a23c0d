// Carries out a teardown plan through the adapters passed in, in the order AWS needs (instances
// before the groups they hold, images before their snapshots; seat names right after the seats,
// so no name outlives its address for long), and says how each action ended.
// In a dry run nothing is called and every action is reported as what would be done.
import type { TeardownAction } from './actions';
import type { FleetRecord } from './fleet';

export interface TeardownPorts {
  /** Terminates instances (in `region` when set); returns those EC2 accepted. */
  terminateInstances(ids: string[], region?: string): Promise<string[]>;
  /** Deregisters an image (in `region` when set: a copy) and deletes its snapshots. */
  deleteImage(action: { id: string; snapshotIds: string[]; region?: string }): Promise<void>;
  deleteSnapshot(id: string): Promise<void>;
  deleteParameters(names: string[]): Promise<void>;
  deleteSchedule(name: string): Promise<void>;
  /** false while instances (still shutting down) hold the group (in `region` when set). */
  deleteSecurityGroup(id: string, region?: string): Promise<boolean>;
  /**
   * Deletes records of one hosted zone exactly as listed; a record already gone counts as deleted.
   * Says which names (as listed, with the final dot) went and why the others did not.
   */
  deleteRecords(
    hostedZoneId: string,
    records: FleetRecord[],
  ): Promise<{ deleted: string[]; failed: { name: string; error: string }[] }>;
}

export type Outcome = TeardownAction & { result: 'done' | 'planned' | 'failed'; error?: string };

const ORDER: TeardownAction['kind'][] = [
  'terminate-instance',
  'delete-record',
  'delete-image',
  'delete-snapshot',
  'delete-parameters',
  'delete-schedule',
  'delete-security-group',
];

/** TerminateInstances takes many ids; a call fails as a whole, so batches stay small. */
const TERMINATE_BATCH = 50;

const message = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

async function settle(action: TeardownAction, work: () => Promise<unknown>): Promise<Outcome> {
  try {
    const answer = await work();
    if (answer === false)
      return {
        ...action,
        result: 'failed',
        error:
          'DependencyViolation: instances shutting down still hold it; the next teardown retries',
      };
    return { ...action, result: 'done' };
  } catch (error) {
    return { ...action, result: 'failed', error: message(error) };
  }
}

type RecordAction = Extract<TeardownAction, { kind: 'delete-record' }>;

/** The seat names, one call per hosted zone (the adapter batches the changes as Route 53 allows). */
async function deleteRecords(
  actions: readonly TeardownAction[],
  ports: TeardownPorts,
): Promise<Outcome[]> {
  const byZone = new Map<string, RecordAction[]>();
  for (const a of actions)
    if (a.kind === 'delete-record')
      byZone.set(a.hostedZoneId, [...(byZone.get(a.hostedZoneId) ?? []), a]);
  const outcomes: Outcome[] = [];
  for (const [zone, batch] of byZone) {
    try {
      const { deleted, failed } = await ports.deleteRecords(
        zone,
        batch.map((a) => a.record),
      );
      const done = new Set(deleted);
      const errors = new Map(failed.map((f) => [f.name, f.error]));
      for (const a of batch)
        outcomes.push(
          done.has(a.record.name)
            ? { ...a, result: 'done' }
            : {
                ...a,
                result: 'failed',
                error: errors.get(a.record.name) ?? 'not among the records Route 53 deleted',
              },
        );
    } catch (error) {
      for (const a of batch) outcomes.push({ ...a, result: 'failed', error: message(error) });
    }
  }
  return outcomes;
}

/** Terminations in batches of at most TERMINATE_BATCH, each batch of one region. */
function regionBatches<A extends { region?: string }>(actions: A[]): A[][] {
  const byRegion = new Map<string | undefined, A[]>();
  for (const a of actions) byRegion.set(a.region, [...(byRegion.get(a.region) ?? []), a]);
  return [...byRegion.values()].flatMap((inRegion) => {
    const batches: A[][] = [];
    for (let i = 0; i < inRegion.length; i += TERMINATE_BATCH)
      batches.push(inRegion.slice(i, i + TERMINATE_BATCH));
    return batches;
  });
}

export async function applyTeardown(
  actions: readonly TeardownAction[],
  ports: TeardownPorts,
  dryRun: boolean,
): Promise<Outcome[]> {
  const sorted = [...actions].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  if (dryRun) return sorted.map((a) => ({ ...a, result: 'planned' }));
  const outcomes: Outcome[] = [];
  const terminations = sorted.filter((a) => a.kind === 'terminate-instance');
  for (const batch of regionBatches(terminations)) {
    try {
      const accepted = new Set(
        await ports.terminateInstances(
          batch.map((a) => a.id),
          batch[0]?.region,
        ),
      );
      for (const a of batch)
        outcomes.push(
          accepted.has(a.id)
            ? { ...a, result: 'done' }
            : { ...a, result: 'failed', error: 'not among the instances EC2 reported terminating' },
        );
    } catch (error) {
      for (const a of batch) outcomes.push({ ...a, result: 'failed', error: message(error) });
    }
  }
  outcomes.push(...(await deleteRecords(sorted, ports)));
  for (const action of sorted) {
    switch (action.kind) {
      case 'terminate-instance':
      case 'delete-record':
        break;
      case 'delete-image':
        outcomes.push(await settle(action, () => ports.deleteImage(action)));
        break;
      case 'delete-snapshot':
        outcomes.push(await settle(action, () => ports.deleteSnapshot(action.id)));
        break;
      case 'delete-parameters':
        outcomes.push(await settle(action, () => ports.deleteParameters(action.names)));
        break;
      case 'delete-schedule':
        outcomes.push(await settle(action, () => ports.deleteSchedule(action.id)));
        break;
      case 'delete-security-group':
        outcomes.push(
          await settle(action, () => ports.deleteSecurityGroup(action.id, action.region)),
        );
        break;
    }
  }
  return outcomes;
}
