// Seats, instances and placements shared by the tests of the seats room.
import type { Placement } from '../../../../layers/core/classroom/plan/placement-order';
import { type BatchState, newBatch } from '../../../../layers/core/classroom/seats/lifecycle';
import { placeSeats } from '../../../../layers/core/classroom/seats/placement';
import type { InstanceSummary } from '../../../../layers/core/launch';

export const capacity = (name: string) => Object.assign(new Error(name), { name });
export const instance = (
  id: string,
  state = 'running',
  publicIp = `198.51.100.${id.slice(2)}`,
): InstanceSummary => ({
  instanceId: id,
  state,
  publicIp,
  tags: {},
});

export function batch(n: number): BatchState {
  return newBatch({
    batchId: 'b00',
    seats: Array.from({ length: n }, (_, i) => ({
      seatId: `seat-00${i + 1}`,
      student: { name: `S${i + 1}`, email: `s${i + 1}@example.edu` },
    })),
  });
}

export const placements: Placement[] = [
  { instanceType: 't3.medium', subnetId: 'subnet-aaaaaaaa', market: 'on-demand' },
  { instanceType: 't3.medium', subnetId: 'subnet-bbbbbbbb', market: 'on-demand' },
  { instanceType: 't3.large', market: 'on-demand' },
];

export async function launched(n: number) {
  return placeSeats(batch(n), placements, async (_p, _i, seats) =>
    seats.map((_, k) => instance(`i-${k + 1}`, 'pending')),
  );
}
