import { describe, expect, it, vi } from 'vitest';
import type { Placement } from '../../../../layers/core/classroom/plan/placement-order';
import type { BatchSeat } from '../../../../layers/core/classroom/seats/lifecycle';
import { placeSeats, spreadPlacements } from '../../../../layers/core/classroom/seats/placement';
import type { InstanceSummary } from '../../../../layers/core/launch';
import { batch, capacity, instance, placements } from './fixtures';

describe('placeSeats', () => {
  it('launches the whole batch with one call when the first placement has room', async () => {
    const launch = vi.fn(async (_p: Placement, _i: number, seats: BatchSeat[]) =>
      seats.map((_, k) => instance(`i-${k + 1}`, 'pending')),
    );

    const placed = await placeSeats(batch(3), placements, launch);

    expect(launch).toHaveBeenCalledTimes(1);
    expect(placed.seats.map((s) => [s.phase, s.instanceId])).toEqual([
      ['booting', 'i-1'],
      ['booting', 'i-2'],
      ['booting', 'i-3'],
    ]);
  });

  it('moves on to the next placement for capacity errors and for the seats a partial fill left', async () => {
    const launch = vi
      .fn<(p: Placement, i: number, seats: BatchSeat[]) => Promise<InstanceSummary[]>>()
      .mockRejectedValueOnce(capacity('InsufficientInstanceCapacity'))
      .mockResolvedValueOnce([instance('i-1', 'pending')])
      .mockResolvedValueOnce([instance('i-2', 'pending'), instance('i-3', 'pending')]);

    const placed = await placeSeats(batch(3), placements, launch);

    expect(launch.mock.calls.map(([, i, seats]) => [i, seats.map((s) => s.seatId)])).toEqual([
      [0, ['seat-001', 'seat-002', 'seat-003']],
      [1, ['seat-001', 'seat-002', 'seat-003']],
      [2, ['seat-002', 'seat-003']],
    ]);
    expect(placed.seats.map((s) => s.placement?.instanceType)).toEqual([
      't3.medium',
      't3.large',
      't3.large',
    ]);
  });

  it('takes the instances an earlier attempt of the same launch started, and launches only the rest', async () => {
    // Prepare: the first attempt started two instances, then its answer was lost.
    const launch = vi.fn(async (_p: Placement, _i: number, seats: BatchSeat[]) =>
      seats.map((_, k) => instance(`i-new${k + 1}`, 'pending')),
    );
    const earlier = [instance('i-b', 'pending'), instance('i-a', 'running')];

    // Act
    const placed = await placeSeats(batch(3), placements, launch, earlier);

    // Assess
    expect(launch.mock.calls.map(([, i, seats]) => [i, seats.map((s) => s.seatId)])).toEqual([
      [0, ['seat-003']],
    ]);
    expect(placed.seats.map((s) => [s.seatId, s.instanceId])).toEqual([
      ['seat-001', 'i-a'],
      ['seat-002', 'i-b'],
      ['seat-003', 'i-new1'],
    ]);
  });

  it('gives an instance already held by a seat of the batch to no other seat', async () => {
    // Prepare: seat-001 is ready on i-a; seat-002 waits for a replacement.
    const state = batch(2);
    const ready = {
      ...state,
      seats: [
        {
          ...(state.seats[0] as (typeof state.seats)[number]),
          phase: 'ready' as const,
          instanceId: 'i-a',
        },
        { ...(state.seats[1] as (typeof state.seats)[number]), attempt: 1 },
      ],
    };
    const launch = vi.fn(async () => [instance('i-c', 'pending')]);

    // Act
    const placed = await placeSeats(ready, placements, launch, [instance('i-a', 'running')]);

    // Assess
    expect(placed.seats.map((s) => s.instanceId)).toEqual(['i-a', 'i-c']);
  });

  it('reports seats no placement could take, with what was tried', async () => {
    const launch = vi.fn(async () => {
      throw capacity('InsufficientInstanceCapacity');
    });

    const placed = await placeSeats(batch(2), placements, launch);

    expect(placed.seats.every((s) => s.phase === 'unplaced')).toBe(true);
    expect(placed.seats[0]?.reason).toContain('t3.large on-demand: InsufficientInstanceCapacity');
    expect(placed.settled).toBe(true);
  });

  it('stops at an account quota instead of trying every other placement', async () => {
    const launch = vi.fn(async () => {
      throw capacity('VcpuLimitExceeded');
    });

    const placed = await placeSeats(batch(2), placements, launch);

    expect(launch).toHaveBeenCalledTimes(1);
    expect(placed.seats[0]?.reason).toContain('VcpuLimitExceeded');
  });

  it('throws what placement cannot fix, so the state machine retries it', async () => {
    const launch = vi.fn(async () => {
      throw capacity('RequestLimitExceeded');
    });

    await expect(placeSeats(batch(1), placements, launch)).rejects.toMatchObject({
      name: 'RequestLimitExceeded',
    });
  });
});

describe('spreadPlacements', () => {
  it('starts consecutive batches in different subnets, keeping the instance types in order', () => {
    const order = (batchNumber: number) =>
      spreadPlacements(placements, batchNumber).map(
        (p) => `${p.instanceType}/${p.subnetId ?? 'any'}`,
      );

    expect(order(0)).toEqual([
      't3.medium/subnet-aaaaaaaa',
      't3.medium/subnet-bbbbbbbb',
      't3.large/any',
    ]);
    expect(order(1)).toEqual([
      't3.medium/subnet-bbbbbbbb',
      't3.medium/subnet-aaaaaaaa',
      't3.large/any',
    ]);
  });

  it('keeps spot before on-demand within a subnet', () => {
    const spot: Placement[] = [
      { instanceType: 't3.medium', subnetId: 'subnet-aaaaaaaa', market: 'spot' },
      { instanceType: 't3.medium', subnetId: 'subnet-aaaaaaaa', market: 'on-demand' },
      { instanceType: 't3.medium', subnetId: 'subnet-bbbbbbbb', market: 'spot' },
      { instanceType: 't3.medium', subnetId: 'subnet-bbbbbbbb', market: 'on-demand' },
    ];

    expect(spreadPlacements(spot, 1).map((p) => `${p.subnetId?.slice(-1)}:${p.market}`)).toEqual([
      'b:spot',
      'b:on-demand',
      'a:spot',
      'a:on-demand',
    ]);
  });
});
