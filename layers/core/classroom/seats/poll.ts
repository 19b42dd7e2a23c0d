// One poll of a whole class's seats, and the actions on AWS it needs (built by its handler).
import type { InstanceSummary } from '../../launch';
import {
  type BatchSeat,
  type BatchState,
  bootingInstanceIds,
  launchingSeats,
  markReplacements,
  observeSeats,
  type ProbeResult,
  seatsToAssociate,
  seatsToEmail,
  seatsToProbe,
  update,
  waitsForAddress,
  withProgress,
} from './lifecycle';
import {
  ADDRESS_POLL_SECONDS,
  BUSY_POLL_WINDOW_SECONDS,
  EMAIL_POLL_SECONDS,
  FIRST_POLL_SECONDS,
  SEAT_POLL_SECONDS,
  STRAGGLER_POLL_SECONDS,
} from './poll-bounds';

export interface BatchSeatRef {
  batchId: string;
  seat: BatchSeat;
}

/** What a poll does to the world. */
export interface SeatActions {
  /** The class's instances (one listing for the whole class). */
  instances(): Promise<InstanceSummary[]>;
  /** Each seat's Elastic IP onto its instance; the seat ids done. */
  associate(seats: BatchSeat[]): Promise<Set<string>>;
  /** The network login check of each seat, by seat id; absent when the class cannot be reached. */
  probe?: (seats: BatchSeatRef[]) => Promise<Map<string, ProbeResult>>;
  /**
   * Before the login checks: read the credentials of the seats to check and of the students
   * already waiting for their email together, in as few reads as they fit.
   */
  readAhead?: (toProbe: BatchSeatRef[], waiting: BatchSeatRef[]) => Promise<void>;
  terminate(instanceIds: string[]): Promise<void>;
  /**
   * Launch the batch's waiting seats (replacements; with TLS, seats whose address EC2 paced);
   * `allocate: false` asks for no new address (EC2's bucket is known to be empty).
   */
  relaunch(batch: BatchState, options: { allocate: boolean }): Promise<BatchState>;
  /**
   * Email these students, oldest ready first, as many as the pacer sends in one poll; what
   * happened to each one it tried: undefined when sent, else why not. Seats left out wait.
   */
  email(seats: BatchSeatRef[]): Promise<Map<string, string | undefined>>;
  now(): number;
}

export interface Seating {
  /** Every seat is settled and every ready student has been written to (or why not is known). */
  settled: boolean;
  /** Seconds until the next poll. */
  waitSeconds: number;
  ready: number;
  failed: number;
  waitingForEmail: number;
}

const mapBatches = (batches: BatchState[], change: (b: BatchState) => BatchState) =>
  batches.map(change);

/**
 * One poll of the class: a few calls for all its seats — one listing of its instances, the
 * Elastic IPs of seats that now run, the login check of seats that reported ready (reachable
 * classes), one TerminateInstances for the seats that failed, a launch per batch that has
 * replacements or (with TLS) seats still waiting for their address — then the emails of the
 * students whose seat is ready, through one pacer.
 */
export async function advanceSeating(
  batches: BatchState[],
  actions: SeatActions,
): Promise<{ batches: BatchState[]; seating: Seating }> {
  const booting = batches.flatMap(bootingInstanceIds);
  const listed = booting.length ? await actions.instances() : [];
  const instances = new Map(listed.map((i) => [i.instanceId, i]));

  const toAssociate = batches.flatMap((b) => seatsToAssociate(b, instances));
  const associated = toAssociate.length ? await actions.associate(toAssociate) : new Set<string>();
  let next = mapBatches(batches, (b) => update(b, associated, (s) => ({ ...s, associated: true })));

  const toProbe = next.flatMap((b) =>
    seatsToProbe(b, instances).map((seat) => ({ batchId: b.batchId, seat })),
  );
  if (toProbe.length) await actions.readAhead?.(toProbe, seatsToEmail(next));
  const probes = actions.probe
    ? toProbe.length
      ? await actions.probe(toProbe)
      : new Map<string, ProbeResult>()
    : undefined;
  const now = actions.now();
  next = mapBatches(next, (b) => observeSeats(b, instances, probes, now));

  const failedBefore = new Set(
    batches.flatMap((b) => b.seats.filter((s) => s.phase === 'failed').map((s) => s.seatId)),
  );
  const newlyFailed = next.flatMap((b) =>
    b.seats.filter((s) => s.phase === 'failed' && !failedBefore.has(s.seatId) && s.instanceId),
  );
  if (newlyFailed.length) await actions.terminate(newlyFailed.map((s) => s.instanceId as string));

  next = next.map(markReplacements);
  const relaunched: BatchState[] = [];
  // A batch that comes back with seats still launching was paced by EC2 (its addresses' bucket
  // is empty): the batches after it launch only seats that have an address, and ask for none.
  let paced = false;
  for (const batch of next) {
    const waiting = launchingSeats(batch);
    if (!waiting.length || (paced && waiting.every(waitsForAddress))) {
      relaunched.push(batch);
      continue;
    }
    const launched = await actions.relaunch(batch, { allocate: !paced });
    if (launchingSeats(launched).length) paced = true;
    relaunched.push(launched);
  }

  const toEmail = seatsToEmail(relaunched);
  const outcomes = toEmail.length ? await actions.email(toEmail) : new Map();
  const emailed = mapBatches(relaunched, (b) =>
    withProgress(
      update(b, new Set(outcomes.keys()), (seat) => {
        const problem = outcomes.get(seat.seatId);
        return problem === undefined
          ? { ...seat, emailed: true }
          : { ...seat, emailProblem: problem };
      }),
    ),
  );
  return { batches: emailed, seating: seatingOf(emailed, actions.now()) };
}

export function seatingOf(batches: BatchState[], now: number): Seating {
  const seats = batches.flatMap((b) => b.seats);
  const waitingForEmail = seatsToEmail(batches).length;
  return {
    settled: batches.every((b) => b.settled) && waitingForEmail === 0,
    waitSeconds: nextPollSeconds(batches, waitingForEmail, now),
    ready: seats.filter((s) => s.phase === 'ready').length,
    failed: seats.filter((s) => s.phase === 'failed' || s.phase === 'unplaced').length,
    waitingForEmail,
  };
}

/**
 * When the class is polled next: at once while ready students wait for their email; soon while
 * seats still wait to launch (with TLS, for the Elastic IP EC2 has not let through yet); not
 * before the first booting seat can be ready (FIRST_POLL_SECONDS after its launch); then every
 * SEAT_POLL_SECONDS, and every STRAGGLER_POLL_SECONDS once only seats launched longer than
 * BUSY_POLL_WINDOW_SECONDS ago are still booting.
 */
function nextPollSeconds(batches: BatchState[], waitingForEmail: number, now: number): number {
  if (waitingForEmail) return EMAIL_POLL_SECONDS;
  if (batches.some((b) => launchingSeats(b).length)) return ADDRESS_POLL_SECONDS;
  const launchedAt = batches.flatMap((b) =>
    b.seats.flatMap((s) => (s.phase === 'booting' && s.launchedAt ? [s.launchedAt] : [])),
  );
  const firstReady = launchedAt.length ? Math.min(...launchedAt) + FIRST_POLL_SECONDS * 1000 : 0;
  const onlyStragglers =
    launchedAt.length > 0 && now - Math.max(...launchedAt) > BUSY_POLL_WINDOW_SECONDS * 1000;
  const cadence = onlyStragglers ? STRAGGLER_POLL_SECONDS : SEAT_POLL_SECONDS;
  return Math.max(cadence, Math.ceil((firstReady - now) / 1000));
}

/** What a batch's poll emailed: how many students, and each one who was not and why. */
export function batchEmails(batch: BatchState) {
  return {
    sent: batch.seats.filter((s) => s.emailed).length,
    problems: batch.seats.flatMap((s) =>
      s.emailProblem ? [{ seatId: s.seatId, reason: s.emailProblem }] : [],
    ),
  };
}
