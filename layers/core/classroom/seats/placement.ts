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
 * Launch every seat in `launching`, trying placements in order: one RunInstances per placement
 * for all seats still waiting (partial fills allowed), moving on when EC2 has no capacity there.
 * An account quota stops the search; an error placement cannot fix is thrown for the Retry.
 */
export async function placeSeats(
  batch: BatchState,
  placements: Placement[],
  launch: Launch,
): Promise<BatchState> {
  let waiting = batch.seats.filter((s) => s.phase === 'launching');
  let state = batch;
  const tried: string[] = [];
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
    const assigned = new Map(
      waiting
        .slice(0, launched.length)
        .map((seat, i) => [seat.seatId, launched[i] as InstanceSummary]),
    );
    state = update(state, new Set(assigned.keys()), (seat) => {
      const instance = assigned.get(seat.seatId) as InstanceSummary;
      return enter(seat, 'booting', {
        instanceId: instance.instanceId,
        placement,
        reason: undefined,
      });
    });
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

const describePlacement = (p: Placement) =>
  `${p.instanceType}${p.subnetId ? ` in ${p.subnetId}` : ''} ${p.market}`;
