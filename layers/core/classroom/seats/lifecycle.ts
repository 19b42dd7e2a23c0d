// The seats of one batch and their life, as pure transitions from launching to ready or failed.
/**
 * A seat is launched, boots until its SSM agent is Online, is configured (credentials + Jupyter)
 * and is checked until it really answers. A seat that fails is terminated and, once, replaced; one that fails again, or for
 * which no capacity exists anywhere, is reported — never silently dropped.
 */
import * as z from 'zod';
import type { InstanceSummary } from '../../launch';
import { PlacementSchema } from '../plan/placement-order';
import { StudentSchema } from '../request/contacts';
import { MAX_ATTEMPT, PHASE_LIMITS, SEAT_POLL_SECONDS } from './poll-bounds';

export const SeatPhaseSchema = z.enum([
  'launching',
  'booting',
  'online',
  'configuring',
  'ready',
  'failed',
  'unplaced',
]);
export type SeatPhase = z.infer<typeof SeatPhaseSchema>;

export const BatchSeatSchema = z.object({
  seatId: z.string(),
  student: StudentSchema.nullable(),
  phase: SeatPhaseSchema,
  attempt: z.number().int().min(0).max(MAX_ATTEMPT),
  /** Polls spent in the current phase. */
  polls: z.number().int().nonnegative(),
  instanceId: z.string().optional(),
  publicIp: z.string().optional(),
  placement: PlacementSchema.optional(),
  commandId: z.string().optional(),
  reason: z.string().optional(),
});
export type BatchSeat = z.infer<typeof BatchSeatSchema>;

export const BatchStateSchema = z.object({
  batchId: z.string(),
  seats: z.array(BatchSeatSchema),
  /** Polls of the batch loop so far; the state machine bounds it. */
  rounds: z.number().int().nonnegative(),
  /** For the state machine's Choice: every seat is ready, failed or unplaced. */
  settled: z.boolean(),
  /** For the state machine's Choice: some seats wait for an instance (replacements). */
  relaunch: z.boolean(),
});
export type BatchState = z.infer<typeof BatchStateSchema>;

const SETTLED: ReadonlySet<SeatPhase> = new Set(['ready', 'failed', 'unplaced']);

export function newBatch(batch: {
  batchId: string;
  seats: { seatId: string; student: BatchSeat['student'] }[];
}): BatchState {
  return {
    batchId: batch.batchId,
    seats: batch.seats.map((s) => ({
      seatId: s.seatId,
      student: s.student,
      phase: 'launching',
      attempt: 0,
      polls: 0,
    })),
    rounds: 0,
    settled: false,
    relaunch: true,
  };
}

export const update = (
  batch: BatchState,
  seatIds: Set<string>,
  change: (seat: BatchSeat) => BatchSeat,
): BatchState => ({
  ...batch,
  seats: batch.seats.map((seat) => (seatIds.has(seat.seatId) ? change(seat) : seat)),
});

export const enter = (
  seat: BatchSeat,
  phase: SeatPhase,
  extra: Partial<BatchSeat> = {},
): BatchSeat => ({
  ...seat,
  ...extra,
  phase,
  polls: 0,
});

const WATCHED: ReadonlySet<SeatPhase> = new Set(['booting', 'online', 'configuring']);

/** Instances of the seats being watched this poll. */
export const watchedInstanceIds = (batch: BatchState) =>
  batch.seats
    .filter((s) => WATCHED.has(s.phase) && s.instanceId)
    .map((s) => s.instanceId as string);

/**
 * One poll of the instances: a booting seat whose instance runs with an Online agent is ready to
 * configure; an instance that stopped or vanished (a spot reclaim), one without a public address,
 * or an agent that never came → failed.
 */
export function observeBoot(
  batch: BatchState,
  instances: InstanceSummary[],
  online: Set<string>,
): BatchState {
  const byId = new Map(instances.map((i) => [i.instanceId, i]));
  return {
    ...batch,
    seats: batch.seats.map((seat) => {
      if (!WATCHED.has(seat.phase)) return seat;
      const instance = byId.get(seat.instanceId ?? '');
      if (!instance || !['pending', 'running'].includes(instance.state)) {
        return enter(seat, 'failed', { reason: `instance ${instance?.state ?? 'vanished'}` });
      }
      const seen = { ...seat, publicIp: instance.publicIp ?? seat.publicIp };
      if (seat.phase !== 'booting') return seen;
      if (instance.state === 'running' && online.has(instance.instanceId)) {
        return seen.publicIp
          ? enter(seen, 'online')
          : enter(seen, 'failed', {
              reason: 'no public IPv4 address: the subnet does not assign one',
            });
      }
      return seat.polls + 1 >= PHASE_LIMITS.booting
        ? enter(seen, 'failed', {
            reason: `SSM agent not Online after ${PHASE_LIMITS.booting * SEAT_POLL_SECONDS} s`,
          })
        : { ...seen, polls: seat.polls + 1 };
    }),
  };
}

/** Seats whose agent is Online: configure them (credentials + Jupyter) in one command. */
export const seatsToConfigure = (batch: BatchState) =>
  batch.seats.filter((s) => s.phase === 'online');

export function markConfiguring(
  batch: BatchState,
  seatIds: string[],
  commandId: string,
): BatchState {
  return update(batch, new Set(seatIds), (seat) => enter(seat, 'configuring', { commandId }));
}

export interface Readiness {
  /** The command's status on this seat, once SSM reports it. */
  command?: { status: string; output: string };
  /** The HTTP check, made only once the command succeeded. */
  probe?: { ready: true } | { ready: false; reason: string };
}

/** One poll of the configuring seats, given what SSM and the HTTP check said about each. */
export function observeReadiness(batch: BatchState, readiness: Map<string, Readiness>): BatchState {
  return {
    ...batch,
    seats: batch.seats.map((seat) => {
      if (seat.phase !== 'configuring') return seat;
      const seen = readiness.get(seat.seatId) ?? {};
      const status = seen.command?.status;
      if (
        status &&
        ['Failed', 'TimedOut', 'Cancelled', 'Undeliverable', 'Terminated'].includes(status)
      ) {
        return enter(seat, 'failed', {
          reason: `seat script ${status}: ${lastLine(seen.command?.output ?? '')}`,
        });
      }
      if (seen.probe?.ready) return enter(seat, 'ready', { reason: undefined });
      const last =
        seen.probe && !seen.probe.ready ? seen.probe.reason : `seat script ${status ?? 'Pending'}`;
      return seat.polls + 1 >= PHASE_LIMITS.configuring
        ? enter(seat, 'failed', {
            reason: `not ready after ${PHASE_LIMITS.configuring * SEAT_POLL_SECONDS} s: ${last}`,
          })
        : { ...seat, polls: seat.polls + 1, reason: last };
    }),
  };
}

const lastLine = (text: string) => text.trim().split('\n').at(-1)?.slice(0, 200) ?? '';

/** Failed seats that still have an attempt left go back to launching, for a replacement. */
export function markReplacements(batch: BatchState): BatchState {
  const ids = new Set(
    batch.seats.filter((s) => s.phase === 'failed' && s.attempt < MAX_ATTEMPT).map((s) => s.seatId),
  );
  return update(batch, ids, (seat) => ({
    seatId: seat.seatId,
    student: seat.student,
    phase: 'launching',
    attempt: seat.attempt + 1,
    polls: 0,
    reason: `replaced: ${seat.reason}`,
  }));
}

export function withProgress(batch: BatchState): BatchState {
  return {
    ...batch,
    settled: batch.seats.every((s) => SETTLED.has(s.phase)),
    relaunch: batch.seats.some((s) => s.phase === 'launching'),
  };
}

/** The replacement round the batch's waiting seats are in: part of their launch's ClientToken. */
export const launchAttempt = (batch: BatchState) =>
  Math.max(0, ...batch.seats.filter((s) => s.phase === 'launching').map((s) => s.attempt));

/** Instances of the seats that answer: what stops when the class ends. */
export const readyInstanceIds = (batch: BatchState) =>
  batch.seats.flatMap((s) => (s.phase === 'ready' && s.instanceId ? [s.instanceId] : []));
