// Seats brought back for a later session: which to check, and what the checks found.
import type { InstanceSummary } from '../../launch';
import type { ClassPlan } from '../plan/class-plan';
import { seatLink } from '../seats/seat-url';
import type { SeatRecord } from './class-record';

/** Seconds between checks of restarted seats (the state machine's WaitForRestart). */
export const RESTART_POLL_SECONDS = 10;
/** Checks of the seats after a start before those still silent count as failed (10 minutes). */
export const RESTART_POLL_LIMIT = 60;

/** Seats started again, waiting to answer. */
export const waitingSeats = (seats: SeatRecord[]) =>
  seats.filter(
    (s): s is SeatRecord & { instanceId: string } => s.state === 'pending' && !!s.instanceId,
  );

/** Waiting seats whose instance runs with a public address: their new link, to be checked. */
export function seatsToProbe(
  seats: SeatRecord[],
  instances: InstanceSummary[],
  plan: Pick<ClassPlan, 'port' | 'tls' | 'dns'>,
): { seat: SeatRecord; url: string }[] {
  const byId = new Map(instances.map((i) => [i.instanceId, i]));
  return waitingSeats(seats).flatMap((seat) => {
    const instance = byId.get(seat.instanceId);
    return instance?.state === 'running' && instance.publicIp
      ? [{ seat, url: seatLink(plan, seat.seatId, instance.publicIp) }]
      : [];
  });
}

/**
 * The seats after one round of checks: those that answered are ready at their (maybe new) link;
 * at the last round those still silent have failed. Once every seat is settled, `relinked` are
 * the ready seats with a student whose link is not the one they were sent (a stopped instance
 * comes back with another public address): only they are emailed again, and their new link
 * counts as sent.
 */
export function afterChecks(
  seats: SeatRecord[],
  checks: ReadonlyMap<string, { url: string; ready: boolean; reason?: string }>,
  lastRound: boolean,
): { seats: SeatRecord[]; relinked: SeatRecord[]; settled: boolean } {
  const checked = seats.map((seat): SeatRecord => {
    if (seat.state !== 'pending') return seat;
    const check = checks.get(seat.seatId);
    if (check?.ready) return { ...seat, state: 'ready', url: check.url, reason: undefined };
    if (!lastRound) return seat;
    const reason = check?.reason ?? 'did not come back after its start';
    return { ...seat, state: 'failed', reason: `after the start: ${reason}`.slice(0, 500) };
  });
  const settled = checked.every((s) => s.state !== 'pending');
  if (!settled) return { seats: checked, relinked: [], settled };
  const relinked: SeatRecord[] = [];
  const next = checked.map((seat) => {
    if (seat.state !== 'ready' || !seat.student || seat.url === (seat.emailedUrl ?? null))
      return seat;
    const sent = { ...seat, emailedUrl: seat.url };
    relinked.push(sent);
    return sent;
  });
  return { seats: next, relinked, settled };
}

const startable = (seat: SeatRecord): seat is SeatRecord & { instanceId: string } =>
  !!seat.instanceId && (seat.state === 'stopped' || seat.state === 'failed');

/** Seats a start brings back: stopped ones, and those with an instance that failed before. */
export const seatsToStart = (seats: SeatRecord[]) => seats.filter(startable);

/**
 * The seats to start whose instance is still stopping (stopped a moment ago): EC2 refuses to
 * start those until they have stopped, so the start waits for them rather than fail them.
 */
export function stillStopping(seats: SeatRecord[], instances: InstanceSummary[]): string[] {
  const stopping = new Set(
    instances.filter((i) => i.state === 'stopping').map((i) => i.instanceId),
  );
  return seatsToStart(seats)
    .map((s) => s.instanceId)
    .filter((id) => stopping.has(id));
}

/** Seats after a start was asked for: waiting to answer, or failed with EC2's reason. */
export function afterStart(
  seats: SeatRecord[],
  refused: ReadonlyMap<string, string>,
): SeatRecord[] {
  return seats.map((seat): SeatRecord => {
    if (!startable(seat)) return seat;
    const reason = refused.get(seat.instanceId);
    return reason
      ? { ...seat, state: 'failed', reason: `could not be started: ${reason}`.slice(0, 500) }
      : { ...seat, state: 'pending' };
  });
}

/** Roster lines of relinked seats with a student, grouped by batch: whom to email again. */
export function relinkedRoster(relinked: SeatRecord[]) {
  const batches = new Map<
    string,
    { seatId: string; studentName: string; email: string; url: string; state: 'ready' }[]
  >();
  for (const seat of relinked) {
    if (!seat.student || !seat.url) continue;
    const lines = batches.get(seat.batchId) ?? [];
    lines.push({
      seatId: seat.seatId,
      studentName: seat.student.name,
      email: seat.student.email,
      url: seat.url,
      state: 'ready',
    });
    batches.set(seat.batchId, lines);
  }
  return [...batches].map(([batchId, roster]) => ({ batchId, roster }));
}
