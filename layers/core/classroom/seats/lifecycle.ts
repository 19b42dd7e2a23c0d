// The seats of one batch and their life, as pure transitions from launching to ready or failed.
/**
 * A seat is launched with its settings in its user data and configures itself at boot
 * (cloud-init runs the seat script); it reports the outcome as a tag on its own instance, which
 * the class's poll reads with the instance. Where the Lambda can reach the seat, a seat that
 * reported ready is also logged into over the network with its credential. A seat that fails is
 * terminated and, once, replaced; one that fails again, or for which no capacity exists
 * anywhere, is reported — never silently dropped.
 */
import * as z from 'zod';
import type { InstanceSummary } from '../../launch';
import { TAG } from '../../tags';
import { PlacementSchema } from '../plan/placement-order';
import { StudentSchema } from '../request/contacts';
import { MAX_ATTEMPT, SEAT_DEADLINE_SECONDS } from './poll-bounds';

export const SeatPhaseSchema = z.enum(['launching', 'booting', 'ready', 'failed', 'unplaced']);
export type SeatPhase = z.infer<typeof SeatPhaseSchema>;

export const BatchSeatSchema = z.object({
  seatId: z.string(),
  student: StudentSchema.nullable(),
  phase: SeatPhaseSchema,
  attempt: z.number().int().min(0).max(MAX_ATTEMPT),
  instanceId: z.string().optional(),
  publicIp: z.string().optional(),
  placement: PlacementSchema.optional(),
  /** When its instance was launched (ms since the epoch): the seat's deadline counts from it. */
  launchedAt: z.number().optional(),
  /**
   * With TLS: what its certificate names, chosen before launch: its Elastic IP (`publicIp`), or
   * its name in the class's zone, which points at that address.
   */
  host: z.string().optional(),
  allocationId: z.string().optional(),
  associated: z.boolean().optional(),
  /** The digest of the settings the seat was given, which its ready report must carry. */
  settingsDigest: z.string().optional(),
  /** When the class's poll saw the seat ready (ms since the epoch). */
  readyAt: z.number().optional(),
  /** The student's email: sent, or why not. */
  emailed: z.boolean().optional(),
  emailProblem: z.string().optional(),
  reason: z.string().optional(),
});
export type BatchSeat = z.infer<typeof BatchSeatSchema>;

export const BatchStateSchema = z.object({
  batchId: z.string(),
  seats: z.array(BatchSeatSchema),
  /** Every seat is ready, failed or unplaced. */
  settled: z.boolean(),
  /** Some seats wait for an instance (replacements). */
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
    })),
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
): BatchSeat => ({ ...seat, ...extra, phase });

/**
 * A seat still waiting to launch that has no address yet: with TLS, it launches only once EC2
 * has let its Elastic IP through (without TLS no seat has one, and none needs one).
 */
export const waitsForAddress = (seat: BatchSeat) => seat.phase === 'launching' && !seat.host;

/** Seats still waiting to launch: with TLS, after a launch, those EC2 gave no address yet. */
export const launchingSeats = (batch: BatchState) =>
  batch.seats.filter((s) => s.phase === 'launching');

/** Instances of the seats configuring themselves. */
export const bootingInstanceIds = (batch: BatchState) =>
  batch.seats.flatMap((s) => (s.phase === 'booting' && s.instanceId ? [s.instanceId] : []));

/** The tag a seat writes on its own instance: `ready <settings digest>` or `failed <reason>`. */
export const SEAT_REPORT_TAG = `${TAG.seat}-report`;

export type SeatReport =
  | { outcome: 'ready'; digest: string }
  | { outcome: 'failed'; reason: string }
  | undefined;

export function seatReport(instance: InstanceSummary | undefined): SeatReport {
  const value = instance?.tags[SEAT_REPORT_TAG];
  if (!value) return undefined;
  const [outcome, ...rest] = value.split(' ');
  if (outcome === 'ready') return { outcome, digest: rest.join(' ') };
  return { outcome: 'failed', reason: rest.join(' ') || value };
}

/** Seats that reported ready and still need the network login check (reachable classes only). */
export function seatsToProbe(batch: BatchState, instances: Map<string, InstanceSummary>) {
  return batch.seats.filter((seat) => {
    if (seat.phase !== 'booting') return false;
    const report = seatReport(instances.get(seat.instanceId ?? ''));
    return report?.outcome === 'ready' && report.digest === seat.settingsDigest;
  });
}

/** Seats whose instance runs and whose Elastic IP is not yet on it. */
export function seatsToAssociate(batch: BatchState, instances: Map<string, InstanceSummary>) {
  return batch.seats.filter(
    (seat) =>
      seat.phase === 'booting' &&
      seat.allocationId !== undefined &&
      !seat.associated &&
      instances.get(seat.instanceId ?? '')?.state === 'running',
  );
}

export type ProbeResult = { ready: true } | { ready: false; reason: string };

/**
 * One poll of the booting seats: what each instance shows (its state, its own report) and, for
 * seats the Lambda can reach, the login check over the network (`probes`; absent: not probed).
 */
export function observeSeats(
  batch: BatchState,
  instances: Map<string, InstanceSummary>,
  probes: Map<string, ProbeResult> | undefined,
  now: number,
): BatchState {
  return {
    ...batch,
    seats: batch.seats.map((seat) => {
      if (seat.phase !== 'booting') return seat;
      const instance = instances.get(seat.instanceId ?? '');
      if (!instance || !['pending', 'running'].includes(instance.state))
        return enter(seat, 'failed', { reason: `instance ${instance?.state ?? 'vanished'}` });
      // A seat with an Elastic IP keeps it: the instance shows another until it is associated.
      const publicIp = seat.allocationId
        ? (seat.publicIp ?? seat.host)
        : (instance.publicIp ?? seat.publicIp);
      const seen = { ...seat, publicIp };
      if (instance.state === 'running' && !seen.publicIp)
        return enter(seen, 'failed', {
          reason: 'no public IPv4 address: the subnet does not assign one',
        });
      const report = seatReport(instance);
      if (report?.outcome === 'failed')
        return enter(seen, 'failed', { reason: `seat configuration failed: ${report.reason}` });
      if (report?.outcome === 'ready' && report.digest !== seat.settingsDigest)
        return enter(seen, 'failed', { reason: 'the seat reported settings it was not given' });
      if (report?.outcome === 'ready') {
        const probe = probes ? probes.get(seat.seatId) : { ready: true as const };
        if (probe?.ready) return enter(seen, 'ready', { reason: undefined, readyAt: now });
        if (probe) seen.reason = probe.reason;
      }
      const waited = (now - (seat.launchedAt ?? now)) / 1000;
      return waited >= SEAT_DEADLINE_SECONDS
        ? enter(seen, 'failed', {
            reason: `not ready ${SEAT_DEADLINE_SECONDS} s after launch: ${seen.reason ?? 'the seat never reported'}`,
          })
        : seen;
    }),
  };
}

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
    // The seat keeps its address: the replacement's certificate and link name the same one.
    ...(seat.host
      ? { host: seat.host, publicIp: seat.publicIp, allocationId: seat.allocationId }
      : {}),
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

/** Ready seats with a student who has not been written to yet, oldest ready first. */
export const seatsToEmail = (batches: readonly BatchState[]) =>
  batches
    .flatMap((batch) =>
      batch.seats
        .filter((s) => s.phase === 'ready' && s.student && !s.emailed && !s.emailProblem)
        .map((seat) => ({ batchId: batch.batchId, seat })),
    )
    .sort((a, b) => (a.seat.readyAt ?? 0) - (b.seat.readyAt ?? 0));
