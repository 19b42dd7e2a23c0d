/**
 * Two classrooms that never ran, computed from the draws of one that did (each seat's boot,
 * seat script and Jupyter warm-up, as the simulator drew them), so the benchmark can say how far
 * the real orchestration is from the best any orchestration could do, and from the old way.
 */
import type { InstanceTimeline } from '../local/sim';
import { Random } from '../local/sim/kernel/random';

export interface SeatDraws {
  /** Launch request → running. */
  bootMs: number;
  /** The seat script that made the seat ready: its run, then Jupyter's warm-up. */
  scriptMs: number;
  warmUpMs: number;
  /** With TLS: the certificate, at the earliest from `running` (its address on it at once). */
  certificateMs?: number;
}

/** The draws of an instance that serves a seat, from its latest seat script. */
export function seatDraws(timeline: InstanceTimeline): SeatDraws | undefined {
  const run = timeline.seatRuns.at(-1);
  if (timeline.runningAt === undefined || !run) return undefined;
  return {
    bootMs: timeline.runningAt - timeline.launchedAt,
    scriptMs: run.scriptMs,
    warmUpMs: run.warmUpMs,
    ...(run.certificateMs === undefined ? {} : { certificateMs: run.certificateMs }),
  };
}

/** When a seat could first serve: running, then its first boot and Jupyter (and certificate). */
const servingMs = (s: SeatDraws) =>
  s.bootMs + Math.max(s.scriptMs + s.warmUpMs, s.certificateMs ?? 0);

/**
 * The ideal: every seat launched at 0 and configured by its first boot (no agent registration,
 * no polling), so seat i serves Jupyter at boot + script + warm-up; the emails then go out in
 * the order seats become ready, no faster than `sesRate` per second. Milliseconds until the last
 * student's email is sent.
 */
export function idealMs(seats: readonly SeatDraws[], sesRate: number): number {
  return idealSends(seats, sesRate).at(-1)?.sentMs ?? 0;
}

/** In the ideal, each seat's ready and email-sent moments, in the order the emails go out. */
export function idealSends(seats: readonly SeatDraws[], sesRate: number) {
  const ready = seats.map(servingMs).sort((a, b) => a - b);
  let sent = Number.NEGATIVE_INFINITY;
  return ready.map((readyMs) => {
    sent = Math.max(readyMs, sent + 1000 / sesRate);
    return { readyMs, sentMs: sent };
  });
}

/**
 * With TLS, no seat serves before EC2 lets its Elastic IP through: AllocateAddress's bucket
 * (`bucket`: size, refill per second) lets the first `size` through at once, then `refill` a
 * second, so the k-th address (k from 1) comes no earlier than max(0, (k − size) / refill) s.
 * Each seat then needs its own boot and set-up. Given the slowest seats the earliest addresses
 * (the pairing that lets the last seat serve soonest), this is the earliest moment the last seat
 * of the class could serve, whatever the orchestration. Milliseconds.
 */
export function addressBoundMs(
  seats: readonly SeatDraws[],
  [size, refill]: readonly [size: number, refillPerSecond: number],
): number {
  const slowestFirst = seats.map(servingMs).sort((a, b) => b - a);
  return slowestFirst.reduce(
    (last, ms, i) => Math.max(last, (Math.max(0, i + 1 - size) / refill) * 1000 + ms),
    0,
  );
}

/**
 * The old way: launch every seat at 0, then SSH into each host in turn (in launch order) for
 * 3–5 s to start its set-up, which then runs as the seat script does. Milliseconds until the last
 * seat serves Jupyter. The SSH sessions' lengths are drawn from `seed`.
 */
export function seedMs(seats: readonly SeatDraws[], seed: number): number {
  const random = new Random(seed ^ 0x55e4);
  let free = 0;
  let last = 0;
  for (const seat of seats) {
    const sshEnd = Math.max(seat.bootMs, free) + random.between(3, 5) * 1000;
    free = sshEnd;
    last = Math.max(last, sshEnd + servingMs(seat) - seat.bootMs);
  }
  return last;
}

export function median(values: readonly number[]): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? sorted[mid]
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
