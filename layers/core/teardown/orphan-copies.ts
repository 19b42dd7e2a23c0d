// Copies whose source is gone: a bake's copy in another region outlives its source when the
// source was deregistered without it (a copy that could not be deleted with it) or when the bake
// failed after CopyImage and its clean-up did not finish. Nothing else ever removes such a copy.
// Pure.
import { sourceOf } from '../image-copies';
import { TAG } from '../tags';
import type { TeardownAction } from './actions';
import type { Fleet, FleetImage } from './fleet';

/** Images in these states are kept: a copy still being made may yet be recorded. */
const UNSETTLED = new Set(['pending', 'transient']);

/**
 * The stack's copies (images with a `bakehouse:copy-of` tag) whose source image no longer exists
 * in its region, each deregistered in its own region with its snapshots. A copy is kept while any
 * instance uses it (`inUse`), while it is still pending, and when its source's region was not
 * listed (nothing can be told of a source there). `region` is the teardown's own, whose images
 * are `fleet.images`; `going` are the images the plan already removes.
 */
export function orphanCopyActions(
  fleet: Fleet,
  region: string,
  stackName: string,
  inUse: ReadonlySet<string>,
  going: readonly TeardownAction[],
): TeardownAction[] {
  const listed = new Map<string, FleetImage[]>([[region, fleet.images]]);
  for (const r of fleet.copyRegions ?? []) listed.set(r.region, r.images);
  const exists = new Map(
    [...listed].map(([r, images]) => [r, new Set(images.map((i) => i.imageId))]),
  );
  const removed = new Set(
    going.flatMap((a) => (a.kind === 'delete-image' ? [`${a.region ?? region} ${a.id}`] : [])),
  );
  const actions: TeardownAction[] = [];
  for (const [where, images] of listed) {
    for (const image of images) {
      if (image.tags[TAG.stack] !== stackName || image.tags[TAG.kind] !== 'image') continue;
      const source = sourceOf(image.tags);
      const known = source && exists.get(source.region);
      if (!source || !known || known.has(source.imageId)) continue;
      if (UNSETTLED.has(image.state) || inUse.has(image.imageId)) continue;
      if (removed.has(`${where} ${image.imageId}`)) continue;
      actions.push({
        kind: 'delete-image',
        id: image.imageId,
        snapshotIds: image.snapshotIds,
        ...(where === region ? {} : { region: where }),
        reason: `copy in ${where} of ${source.imageId} (${source.region}), which no longer exists; no instance uses it`,
      });
    }
  }
  return actions;
}
