// The nightly teardown's decisions: from what the account holds, the time, the classes' statuses
// and the retention settings, which of this stack's resources go, each with its reason. Pure.
import { classesParameterPath, classParameterPath } from '../classroom/plan/parameter-paths';
import { copiesOf } from '../image-copies';
import { TAG, type Tags } from '../tags';
import type { TeardownAction } from './actions';
import type { ClassStatus } from './class-status';
import {
  type Fleet,
  type FleetImage,
  type FleetInstance,
  type FleetSchedule,
  SURVIVING_STATES,
} from './fleet';
import { orphanCopyActions } from './orphan-copies';
import { recordActions, recordsByClass } from './seat-records';

export type { TeardownAction } from './actions';

export interface TeardownSettings {
  stackName: string;
  /** The teardown's own region: where `fleet.images` are. */
  region: string;
  /** The stack's Parameter Store prefix, e.g. `/bakehouse/dev`; credentials live under `/classes/`. */
  parameterPrefix: string;
  /** The stack's stop schedules run as this role: it tells them from other stacks' schedules. */
  schedulerRoleArn: string;
  /** Newest available images kept per recipe name, whatever their age. */
  keepImagesPerRecipe: number;
  /** Images older than this (and not kept otherwise) are deleted with their snapshots. */
  imageRetentionDays: number;
}

/** The stack's schedules are named `bakehouse-<digest>-…` (see class-names.ts). */
export const SCHEDULE_PREFIX = 'bakehouse-';

/** Classes that are over for good: their seats go whatever their expiry says. */
const GONE: ReadonlySet<ClassStatus> = new Set(['deleted', 'failed', 'aborted']);
const FAILED_IMAGE = new Set(['failed', 'error', 'invalid']);
const DAY = 86_400_000;

/** `expires-at` as epoch ms; undefined when missing or not a time. */
export function expiryOf(tags: Tags): number | undefined {
  const value = tags[TAG.expiresAt];
  const at = value === undefined ? Number.NaN : Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
}

/** The class a parameter belongs to: `<prefix>/classes/<classId>/…`. */
export function classOfParameter(prefix: string, name: string): string | undefined {
  const root = `${classesParameterPath(prefix)}/`;
  if (!name.startsWith(root)) return undefined;
  const classId = name.slice(root.length).split('/')[0];
  return classId || undefined;
}

/** The recipe an image was baked from: its Name tag is `<recipe> image` (see bake.ts). */
export function recipeOf(image: FleetImage): string {
  const tag = image.tags[TAG.name];
  return tag?.endsWith(' image') ? tag.slice(0, -' image'.length) : (tag ?? image.name ?? '');
}

const isMine = (settings: TeardownSettings, tags: Tags) => tags[TAG.stack] === settings.stackName;

/** A `bakehouse-` schedule that runs as the stack's scheduler role. */
const isStackSchedule = (settings: TeardownSettings, schedule: FleetSchedule) =>
  schedule.name.startsWith(SCHEDULE_PREFIX) && schedule.roleArn === settings.schedulerRoleArn;

/**
 * The classes whose status the plan needs: those named by the stack's resources, parameters and
 * step schedules, and the store's classes that still have seat names.
 */
export function classesIn(fleet: Fleet, settings: TeardownSettings): string[] {
  const ids = new Set<string>();
  for (const r of [...fleet.instances, ...fleet.securityGroups]) {
    const id = r.tags[TAG.classroom];
    if (id && isMine(settings, r.tags)) ids.add(id);
  }
  for (const name of fleet.parameters) {
    const id = classOfParameter(settings.parameterPrefix, name);
    if (id) ids.add(id);
  }
  for (const schedule of fleet.schedules)
    if (schedule.classId && isStackSchedule(settings, schedule)) ids.add(schedule.classId);
  for (const classId of recordsByClass(fleet).keys()) ids.add(classId);
  return [...ids].sort();
}

/** The latest `expires-at` among the stack's resources of a class. */
export function latestExpiry(
  fleet: Fleet,
  settings: TeardownSettings,
): (classId: string) => number | undefined {
  const latest = new Map<string, number>();
  for (const r of [...fleet.instances, ...fleet.securityGroups]) {
    const id = r.tags[TAG.classroom];
    const at = expiryOf(r.tags);
    if (!id || at === undefined || !isMine(settings, r.tags)) continue;
    latest.set(id, Math.max(at, latest.get(id) ?? at));
  }
  return (classId) => latest.get(classId);
}

function instanceVerdict(
  instance: FleetInstance,
  now: number,
  statusOf: (classId: string) => ClassStatus | undefined,
): string | undefined {
  if (!SURVIVING_STATES.has(instance.state)) return undefined;
  const kind = instance.tags[TAG.kind];
  const expiry = expiryOf(instance.tags);
  const expired = expiry !== undefined && expiry < now;
  if (kind === 'builder')
    return expired ? `builder past its time to live (${instance.tags[TAG.expiresAt]})` : undefined;
  if (kind !== 'seat') return undefined;
  const classId = instance.tags[TAG.classroom];
  const status = classId ? statusOf(classId) : undefined;
  if (classId && status && GONE.has(status)) return `seat of class ${classId}, which is ${status}`;
  return expired ? `seat past its retention (${instance.tags[TAG.expiresAt]})` : undefined;
}

function imageActions(
  fleet: Fleet,
  now: number,
  settings: TeardownSettings,
  inUse: ReadonlySet<string>,
): TeardownAction[] {
  const mine = fleet.images.filter((i) => isMine(settings, i.tags) && i.tags[TAG.kind] === 'image');
  const created = (i: FleetImage) => (i.createdAt ? Date.parse(i.createdAt) : Number.NaN);
  const newest = new Set<string>();
  const byRecipe = new Map<string, FleetImage[]>();
  for (const image of mine.filter((i) => i.state === 'available')) {
    const list = byRecipe.get(recipeOf(image)) ?? [];
    list.push(image);
    byRecipe.set(recipeOf(image), list);
  }
  for (const list of byRecipe.values()) {
    list.sort(
      (a, b) => (created(b) || 0) - (created(a) || 0) || a.imageId.localeCompare(b.imageId),
    );
    for (const image of list.slice(0, settings.keepImagesPerRecipe)) newest.add(image.imageId);
  }
  const actions: TeardownAction[] = [];
  for (const image of mine) {
    const remove = (reason: string) =>
      actions.push({
        kind: 'delete-image',
        id: image.imageId,
        snapshotIds: image.snapshotIds,
        reason,
      });
    if (FAILED_IMAGE.has(image.state)) remove(`image ${image.state}`);
    const family = [image.imageId, ...copiesOf(image.tags).map((c) => c.imageId)];
    if (
      image.state !== 'available' ||
      family.some((id) => inUse.has(id)) ||
      newest.has(image.imageId)
    )
      continue;
    const age = now - created(image);
    if (age > settings.imageRetentionDays * DAY)
      remove(
        `older than ${settings.imageRetentionDays} days, not among the newest ${settings.keepImagesPerRecipe} of ${recipeOf(image) || 'its recipe'}, no instance uses it or a copy`,
      );
  }
  return [...actions, ...copyActions(fleet, actions)];
}

/** The copies of each image that goes, in their regions, with their snapshots. */
function copyActions(fleet: Fleet, going: readonly TeardownAction[]): TeardownAction[] {
  const actions: TeardownAction[] = [];
  for (const action of going) {
    const image = fleet.images.find((i) => i.imageId === action.id);
    for (const copy of copiesOf(image?.tags ?? {})) {
      const found = fleet.copyRegions
        ?.find((r) => r.region === copy.region)
        ?.images.find((i) => i.imageId === copy.imageId);
      if (!found) continue;
      actions.push({
        kind: 'delete-image',
        id: found.imageId,
        snapshotIds: found.snapshotIds,
        region: copy.region,
        reason: `copy in ${copy.region} of ${action.id}, which goes: ${action.reason}`,
      });
    }
  }
  return actions;
}

/**
 * What the teardown removes. Only resources tagged with this stack (`bakehouse:stack`), its
 * parameters under `<prefix>/classes/`, `bakehouse-` schedules running as its scheduler role and
 * the seat names of the class store's classes are ever named. A class whose status is missing
 * from `statuses` (it could not be told) keeps its credentials, group and names; expiry alone
 * still ends its seats.
 */
/** A resource's region on its action, when it has one (not the teardown's own). */
const regionOf = (resource: { region?: string }) =>
  resource.region ? { region: resource.region } : {};

export function planTeardown(
  fleet: Fleet,
  now: Date,
  statuses: ReadonlyMap<string, ClassStatus>,
  settings: TeardownSettings,
): TeardownAction[] {
  const at = now.getTime();
  const statusOf = (classId: string) => statuses.get(classId);
  const actions: TeardownAction[] = [];
  const ending = new Set<string>();
  for (const instance of fleet.instances) {
    if (!isMine(settings, instance.tags)) continue;
    const reason = instanceVerdict(instance, at, statusOf);
    if (!reason) continue;
    ending.add(instance.instanceId);
    actions.push({
      kind: 'terminate-instance',
      id: instance.instanceId,
      reason,
      ...regionOf(instance),
    });
  }
  const survivors = fleet.instances.filter(
    (i) => SURVIVING_STATES.has(i.state) && !ending.has(i.instanceId),
  );
  const elsewhere = (fleet.copyRegions ?? []).flatMap((r) => r.instances);
  const usedImages = new Set(
    [...survivors, ...elsewhere.filter((i) => SURVIVING_STATES.has(i.state))].flatMap((i) =>
      i.imageId ? [i.imageId] : [],
    ),
  );
  const usedGroups = new Set(survivors.flatMap((i) => i.securityGroupIds));
  const seatedClasses = new Set(
    survivors.flatMap((i) =>
      isMine(settings, i.tags) && i.tags[TAG.classroom] ? [i.tags[TAG.classroom] as string] : [],
    ),
  );

  const images = imageActions(fleet, at, settings, usedImages);
  images.push(...orphanCopyActions(fleet, settings.region, settings.stackName, usedImages, images));
  actions.push(...images);
  const goingWithImages = new Set(
    images.flatMap((a) => (a.kind === 'delete-image' ? a.snapshotIds : [])),
  );
  const keptImages = fleet.images.filter((i) => !images.some((a) => a.id === i.imageId));
  const referenced = new Set(keptImages.flatMap((i) => i.snapshotIds));
  for (const snapshot of fleet.snapshots) {
    if (!isMine(settings, snapshot.tags) || snapshot.tags[TAG.kind] !== 'image') continue;
    if (snapshot.state === 'pending') continue;
    if (referenced.has(snapshot.snapshotId) || goingWithImages.has(snapshot.snapshotId)) continue;
    actions.push({ kind: 'delete-snapshot', id: snapshot.snapshotId, reason: 'no image uses it' });
  }

  /** Why a class's credentials and group may go, or undefined while it may still need them. */
  const classOver = (classId: string): string | undefined => {
    const status = statusOf(classId);
    if (status === undefined || status === 'live') return undefined;
    if (status !== 'unknown') return `class ${classId} is ${status}`;
    return seatedClasses.has(classId) ? undefined : `class ${classId} is unknown and has no seat`;
  };

  const byClass = new Map<string, string[]>();
  for (const name of fleet.parameters) {
    const classId = classOfParameter(settings.parameterPrefix, name);
    if (classId) byClass.set(classId, [...(byClass.get(classId) ?? []), name]);
  }
  for (const [classId, names] of byClass) {
    const reason = classOver(classId);
    if (reason)
      actions.push({
        kind: 'delete-parameters',
        id: classParameterPath(settings.parameterPrefix, classId),
        names: [...names].sort(),
        reason: `credentials of a class that is over: ${reason}`,
      });
  }

  const alive = new Set(survivors.map((i) => i.instanceId));
  for (const schedule of fleet.schedules) {
    if (!isStackSchedule(settings, schedule)) continue;
    if (schedule.classId) {
      // A step of a class's life: it goes only once the class is over.
      const over = classOver(schedule.classId);
      if (over)
        actions.push({
          kind: 'delete-schedule',
          id: schedule.name,
          reason: `a step of a class that is over: ${over}`,
        });
      continue;
    }
    if (schedule.instanceIds.some((id) => alive.has(id))) continue;
    actions.push({
      kind: 'delete-schedule',
      id: schedule.name,
      reason: `none of the ${schedule.instanceIds.length} instances it stops remains`,
    });
  }

  actions.push(...recordActions(fleet, classOver));

  for (const group of fleet.securityGroups) {
    const classId = group.tags[TAG.classroom];
    if (!isMine(settings, group.tags) || group.tags[TAG.kind] !== 'security-group' || !classId)
      continue;
    if (usedGroups.has(group.groupId)) continue;
    const reason = classOver(classId);
    if (reason)
      actions.push({
        kind: 'delete-security-group',
        id: group.groupId,
        reason: `no instance uses it and ${reason}`,
        ...regionOf(group),
      });
  }
  return actions;
}
