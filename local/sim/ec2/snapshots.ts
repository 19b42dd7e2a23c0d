/** EBS snapshots made by CreateImage: describe them, delete them once no image uses them. */
import type {
  DeleteSnapshotRequest,
  DescribeSnapshotsRequest,
  DescribeSnapshotsResult,
  Snapshot,
} from '@aws-sdk/client-ec2';
import { ec2Fault } from '../kernel/errors';
import { operation } from '../kernel/transport';
import {
  applyFilters,
  checkId,
  type FilterFields,
  paginate,
  required,
  type Stated,
} from './filters';
import { type Ec2World, type SimSnapshot, tagList } from './model';

export function snapshotState(
  snapshot: SimSnapshot,
  now: number,
): 'pending' | 'completed' | 'error' {
  return now < snapshot.readyAt ? 'pending' : snapshot.outcome;
}

function describeSnapshot(world: Ec2World, snapshot: SimSnapshot, now: number): Snapshot {
  const state = snapshotState(snapshot, now);
  const span = Math.max(1, snapshot.readyAt - snapshot.startedAt);
  const progress =
    state === 'pending' ? Math.min(99, Math.floor((100 * (now - snapshot.startedAt)) / span)) : 100;
  return {
    SnapshotId: snapshot.snapshotId,
    VolumeId: snapshot.volumeId,
    State: state,
    StartTime: new Date(snapshot.startedAt),
    Progress: `${progress}%`,
    OwnerId: world.account,
    Description: snapshot.description,
    VolumeSize: snapshot.sizeGb,
    Encrypted: snapshot.encrypted,
    StorageTier: 'standard',
    Tags: snapshot.tags.size ? tagList(snapshot.tags) : undefined,
  };
}

const SNAPSHOT_FILTERS: FilterFields<Stated<SimSnapshot>> = {
  status: ({ state }) => [state],
  'snapshot-id': ({ resource }) => [resource.snapshotId],
  'volume-id': ({ resource }) => [resource.volumeId],
  description: ({ resource }) => [resource.description],
  'owner-id': () => [],
  encrypted: ({ resource }) => [String(resource.encrypted)],
};

export function snapshotOperations(world: Ec2World) {
  /** A snapshot lives in its own region only, like its image (see images.ts). */
  const seen = (id: string, region: string | undefined) => {
    const snapshot = world.snapshots.get(id);
    return snapshot !== undefined && (snapshot.region ?? world.region) === (region ?? world.region);
  };
  return {
    DeleteSnapshot: operation((input: DeleteSnapshotRequest, { region }) => {
      const id = required(input.SnapshotId, 'SnapshotId');
      checkId(id, 'snap', 'InvalidSnapshotID');
      if (!seen(id, region))
        throw ec2Fault('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`);
      const user = [...world.images.values()].find((i) =>
        i.devices.some((d) => d.snapshotId === id),
      );
      if (user)
        throw ec2Fault(
          'InvalidSnapshot.InUse',
          `The snapshot ${id} is currently in use by ${user.imageId}`,
        );
      world.snapshots.delete(id);
      world.events.record('EC2', `snapshot ${id} deleted`);
      return {};
    }),

    DescribeSnapshots: operation(
      (input: DescribeSnapshotsRequest, { region }): DescribeSnapshotsResult => {
        const now = world.now();
        const ids = input.SnapshotIds ?? [];
        const missing = ids.filter((id) => !seen(id, region));
        if (missing.length)
          throw ec2Fault(
            'InvalidSnapshot.NotFound',
            `The snapshot '${missing.join(', ')}' does not exist.`,
          );
        const owners = input.OwnerIds ?? [];
        const foreign =
          owners.length > 0 && !owners.some((o) => o === 'self' || o === world.account);
        const chosen = foreign
          ? []
          : ids.length
            ? ids.map((id) => world.snapshots.get(id) as SimSnapshot)
            : [...world.snapshots.values()].filter((s) => seen(s.snapshotId, region));
        const stated = chosen.map((resource) => ({
          resource,
          state: snapshotState(resource, now),
        }));
        const filtered = applyFilters(
          stated,
          input.Filters,
          SNAPSHOT_FILTERS,
          (r) => r.resource.tags,
        );
        const page = paginate(filtered, input.MaxResults, input.NextToken);
        return {
          Snapshots: page.items.map((r) => describeSnapshot(world, r.resource, now)),
          NextToken: page.nextToken,
        };
      },
    ),
  };
}
