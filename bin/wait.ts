// `--wait`: polls a status until it is final, showing how it goes — a bar redrawn in place on a
// terminal, one line per change when piped, nothing but the final JSON with --json.
import type { BakeStatus, ClassStatus } from '../layers/core/api/schemas';

export interface Shown {
  /** Where it is: a stage or a state. */
  phase: string;
  /** 0 to 1. */
  progress: number;
  /** What else to say (seats ready, the image). */
  detail: string;
}

const BAR = 24;

export const elapsedText = (ms: number) => {
  const s = Math.floor(ms / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
};

/** `[#########...............]  38% build  00:01:12  …` */
export function barLine(id: string, shown: Shown, elapsedMs: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, shown.progress)) * BAR);
  const bar = `${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}`;
  const percent = `${Math.round(shown.progress * 100)}%`.padStart(4);
  return `${id} [${bar}] ${percent} ${shown.phase}  ${elapsedText(elapsedMs)}${shown.detail ? `  ${shown.detail}` : ''}`;
}

/** A piped line: only what changed is worth a line. */
export const changeLine = (id: string, shown: Shown, elapsedMs: number) =>
  `${elapsedText(elapsedMs)} ${id} ${shown.phase} ${Math.round(shown.progress * 100)}%${shown.detail ? ` ${shown.detail}` : ''}`;

export function showBake(status: BakeStatus): Shown {
  const detail =
    status.state === 'failed'
      ? `failed: ${status.failure ?? 'no cause told'}`
      : status.image
        ? `image ${status.image.id}${status.reused ? ' (reused)' : ''}`
        : '';
  return { phase: status.phase ?? status.state, progress: status.progress, detail };
}

/** Waiting seats count towards a class's progress; a class booked ahead is done once scheduled. */
export function showClass(status: ClassStatus): Shown {
  const seats = status.seats.length;
  const ready = status.seats.filter((s) => s.state === 'ready').length;
  const progress = classDone(status) ? 1 : seats ? (ready / seats) * 0.9 : 0;
  const detail = seats ? `${ready}/${seats} seats ready` : '';
  const next =
    status.state === 'scheduled' && status.next
      ? ` (${status.next.step} at ${status.next.at})`
      : '';
  return { phase: `${status.state}${next}`, progress, detail };
}

export const bakeDone = (status: BakeStatus) => status.state !== 'running';

/** Booked (scheduled, its next step set), or past seating. */
export const classDone = (status: ClassStatus) =>
  status.state === 'scheduled' ? status.next !== null : status.state !== 'seating';

export interface Waiting<S> {
  id: string;
  /** The status now, or undefined while it is not there yet. */
  poll: () => Promise<S | undefined>;
  done: (status: S) => boolean;
  show: (status: S) => Shown;
  intervalMs: number;
  json: boolean;
  tty: boolean;
  write: (text: string) => void;
}

/** Polls until `done`; returns the final status. */
export async function waitFor<S>(w: Waiting<S>): Promise<S> {
  const started = performance.now();
  let last = '';
  for (;;) {
    const status = await w.poll();
    const elapsed = performance.now() - started;
    if (status !== undefined && !w.json) {
      const shown = w.show(status);
      if (w.tty) w.write(`\r\x1b[2K${barLine(w.id, shown, elapsed)}`);
      else {
        const key = `${shown.phase} ${Math.round(shown.progress * 100)} ${shown.detail}`;
        if (key !== last) w.write(`${changeLine(w.id, shown, elapsed)}\n`);
        last = key;
      }
    }
    if (status !== undefined && w.done(status)) {
      if (w.tty && !w.json) w.write('\n');
      return status;
    }
    await new Promise((resolve) => setTimeout(resolve, w.intervalMs));
  }
}
