// Launching a batch's waiting seats: placements tried in order, subnets spread over batches.
/**
 * Where a batch's seats go: placements tried in order (instance types × subnets × spot, then
 * on-demand), one RunInstances each for every seat still waiting, partial fills kept.
 */
import type { InstanceSummary } from '../../launch';
import { nextPlacement, type Placement } from '../plan/placement-order';
import { type BatchSeat, type BatchState, enter, update, withProgress } from './lifecycle';

/** One RunInstances for `seats` (in order: the first instance is the first seat's). */
export type Launch = (
  placement: Placement,
  placementIndex: number,
  seats: BatchSeat[],
) => Promise<InstanceSummary[]>;

/**
 * The placements of the batch numbered `batch`: instance types and markets in the order asked
 * for, subnets rotated so that consecutive batches start in different subnets — a class spreads
 * over the subnets (and their zones) it was given, and one zone's shortage hits fewer seats.
 */
export function spreadPlacements(placements: readonly Placement[], batch: number): Placement[] {
  const subnets = [...new Set(placements.map((p) => p.subnetId))];
  const types = [...new Set(placements.map((p) => p.instanceType))];
  const turn = (p: Placement) =>
    (subnets.indexOf(p.subnetId) - (batch % subnets.length) + subnets.length) % subnets.length;
  return [...placements].sort(
    (a, b) => types.indexOf(a.instanceType) - types.indexOf(b.instanceType) || turn(a) - turn(b),
  );
}

/**
 * Launch the seats `toLaunch` (in that order; by default every seat in `launching`), trying
 * placements in order: one RunInstances per placement for all seats still waiting (partial fills
 * allowed), moving on when EC2 has no capacity there. An account quota stops the search; an
 * error placement cannot fix is thrown for the Retry. `launchedBefore`: instances this same
 * launch already started in an earlier attempt whose answer was lost (found by their launch
 * tag); they go to the first waiting seats, in the order they were launched, so a retry after a
 * throttle or a lost response starts only what is still missing. That holds as long as the seats
 * of the earlier attempt come first in `toLaunch`, in the same order.
 */
export async function placeSeats(
  batch: BatchState,
  placements: Placement[],
  launch: Launch,
  launchedBefore: InstanceSummary[] = [],
  toLaunch: BatchSeat[] = batch.seats.filter((s) => s.phase === 'launching'),
): Promise<BatchState> {
  let waiting = toLaunch;
  let state = batch;
  const tried: string[] = [];
  const held = new Set(batch.seats.map((s) => s.instanceId));
  // In the order they were launched: placement by placement, each call's by launch index, as
  // the seats took them (an instance's settings in its user data are those of its launch index).
  const rank = (i: InstanceSummary) => {
    const at = placements.indexOf(adoptedPlacement(i, placements) as Placement);
    return (at < 0 ? placements.length : at) * 1000 + (i.launchIndex ?? 0);
  };
  const found = launchedBefore
    .filter((i) => !held.has(i.instanceId) && ['pending', 'running'].includes(i.state))
    .sort((a, b) => rank(a) - rank(b) || a.instanceId.localeCompare(b.instanceId))
    .slice(0, waiting.length);
  if (found.length) {
    state = assign(state, waiting, found, (i) => adoptedPlacement(i, placements));
    waiting = waiting.slice(found.length);
  }
  for (let index = 0; index < placements.length && waiting.length > 0; index++) {
    const placement = placements[index] as Placement;
    let launched: InstanceSummary[];
    try {
      launched = await launch(placement, index, waiting);
    } catch (error) {
      const name = (error as Error).name;
      const step = nextPlacement(index, name, placements.length);
      tried.push(`${describePlacement(placement)}: ${name}`);
      if (step.action === 'not-placement') throw error;
      if (step.action === 'quota') break;
      continue;
    }
    state = assign(state, waiting, launched, () => placement);
    if (launched.length < waiting.length)
      tried.push(`${describePlacement(placement)}: only ${launched.length} of ${waiting.length}`);
    waiting = waiting.slice(launched.length);
  }
  const reason = `no capacity for this seat (${tried.join('; ') || 'no placement to try'})`;
  return withProgress(
    update(state, new Set(waiting.map((s) => s.seatId)), (seat) =>
      enter(seat, 'unplaced', { reason }),
    ),
  );
}

/** The first seats of `waiting` take `instances`, one each, in order: they boot. */
function assign(
  batch: BatchState,
  waiting: BatchState['seats'],
  instances: InstanceSummary[],
  placementOf: (instance: InstanceSummary) => Placement | undefined,
): BatchState {
  const assigned = new Map(
    waiting
      .slice(0, instances.length)
      .map((seat, i) => [seat.seatId, instances[i] as InstanceSummary]),
  );
  return update(batch, new Set(assigned.keys()), (seat) => {
    const instance = assigned.get(seat.seatId) as InstanceSummary;
    return enter(seat, 'booting', {
      instanceId: instance.instanceId,
      placement: placementOf(instance),
      reason: undefined,
    });
  });
}

const adoptedPlacement = (i: InstanceSummary, placements: Placement[]) =>
  placements.find(
    (p) =>
      p.instanceType === i.instanceType &&
      (!p.subnetId || p.subnetId === i.subnetId) &&
      p.market === (i.spotRequestId ? 'spot' : 'on-demand'),
  );

const describePlacement = (p: Placement) =>
  `${p.instanceType}${p.subnetId ? ` in ${p.subnetId}` : ''} ${p.market}`;
