// One poll of a batch of seats, and the actions on AWS it needs (SeatActions, built in actions.ts).
import type { InstanceSummary } from '../../launch';
import {
  type BatchSeat,
  type BatchState,
  markConfiguring,
  markReplacements,
  observeBoot,
  observeReadiness,
  type Readiness,
  seatsToConfigure,
  watchedInstanceIds,
  withProgress,
} from './lifecycle';

/** What a poll does to the world; seatActions (actions.ts) builds it from the adapters. */
export interface SeatActions {
  instances(instanceIds: string[]): Promise<InstanceSummary[]>;
  onlineAgents(instanceIds: string[]): Promise<Set<string>>;
  /** Store credentials, send the seat script to these seats; the command id. */
  configure(seats: BatchSeat[]): Promise<string>;
  /** Invocation status and output per instance, for these commands. */
  invocations(commandIds: string[]): Promise<Map<string, { status: string; output: string }>>;
  /** The HTTP check of each seat, by seat id. */
  probe(
    seats: BatchSeat[],
  ): Promise<Map<string, { ready: true } | { ready: false; reason: string }>>;
  terminate(instanceIds: string[]): Promise<void>;
}

/**
 * One poll of a batch: a handful of calls for the whole batch, never one per seat — one
 * DescribeInstances, one DescribeInstanceInformation, at most one SendCommand and one listing per
 * outstanding command. Seats that fail are terminated at once; those with an attempt left are
 * queued for a replacement.
 */
export async function advanceBatch(batch: BatchState, actions: SeatActions): Promise<BatchState> {
  const booting = batch.seats
    .filter((s) => s.phase === 'booting' && s.instanceId)
    .map((s) => s.instanceId as string);
  const watched = watchedInstanceIds(batch);
  let next = observeBoot(
    batch,
    watched.length ? await actions.instances(watched) : [],
    booting.length ? await actions.onlineAgents(booting) : new Set(),
  );

  const waitingForReadiness = next.seats.filter((s) => s.phase === 'configuring');
  if (waitingForReadiness.length) {
    const commands = await actions.invocations([
      ...new Set(waitingForReadiness.map((s) => s.commandId as string)),
    ]);
    const succeeded = waitingForReadiness.filter(
      (s) => commands.get(s.instanceId ?? '')?.status === 'Success',
    );
    const probes = succeeded.length ? await actions.probe(succeeded) : new Map();
    const readiness = new Map<string, Readiness>(
      waitingForReadiness.map((s) => [
        s.seatId,
        { command: commands.get(s.instanceId ?? ''), probe: probes.get(s.seatId) },
      ]),
    );
    next = observeReadiness(next, readiness);
  }

  const toConfigure = seatsToConfigure(next);
  if (toConfigure.length)
    next = markConfiguring(
      next,
      toConfigure.map((s) => s.seatId),
      await actions.configure(toConfigure),
    );

  const failedBefore = new Set(
    batch.seats.filter((s) => s.phase === 'failed').map((s) => s.seatId),
  );
  const newlyFailed = next.seats.filter(
    (s) => s.phase === 'failed' && !failedBefore.has(s.seatId) && s.instanceId,
  );
  if (newlyFailed.length) await actions.terminate(newlyFailed.map((s) => s.instanceId as string));

  return withProgress({ ...markReplacements(next), rounds: batch.rounds + 1 });
}
