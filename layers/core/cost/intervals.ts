// When seats run and how long a class lives, as millisecond intervals.

export interface Interval {
  start: number;
  end: number;
}

const DAY_MS = 24 * 3_600_000;

/**
 * The stretches in which the seats run: each session from `leadMs` before its start to its end,
 * in order, with overlapping or touching stretches joined (the seats are not stopped between).
 */
export function runningIntervals(sessions: readonly Interval[], leadMs: number): Interval[] {
  const sorted = sessions
    .map((s) => ({ start: s.start - leadMs, end: s.end }))
    .sort((a, b) => a.start - b.start);
  const joined: Interval[] = [];
  for (const next of sorted) {
    const last = joined.at(-1);
    if (last && next.start <= last.end) last.end = Math.max(last.end, next.end);
    else joined.push({ ...next });
  }
  return joined;
}

/** From the first launch to termination, `retainDays` after the last stretch ends. */
export function lifeOf(running: readonly Interval[], retainDays: number): Interval {
  const start = Math.min(...running.map((r) => r.start));
  const end = Math.max(...running.map((r) => r.end));
  return { start, end: end + retainDays * DAY_MS };
}
