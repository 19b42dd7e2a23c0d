/**
 * The phase log: what a bake script prints on stdout, one line per event of a phase, written by
 * `phase_log` (phase-log.sh) in the runner, read by the bake's checks and `npm start`, and
 * printed by the simulated instance:
 *
 *   bakehouse: phase <name> start
 *   bakehouse: phase <name> done
 *   bakehouse: phase <name> skipped (already done)
 *   bakehouse: last lines of <log file>:     then the tail of the failing phase's log
 *   bakehouse: phase <name> FAILED (exit <status>)     the last line of a failed run
 *
 * A phase's own output goes to its log file, not here. Other `bakehouse:` lines (waiting for
 * cloud-init, apt retries) are not phase events.
 */
import phaseLogScript from './phase-log.sh';

export { phaseLogScript };

export type PhaseEvent =
  | { event: 'start' | 'done' | 'skipped'; phase: string }
  | { event: 'failed'; phase: string; exitCode: number }
  | { event: 'log-tail'; logFile: string };

const PREFIX = 'bakehouse: ';
const PHASE_LINE =
  /^bakehouse: phase (\S+) (start|done|skipped \(already done\)|FAILED \(exit (\d+)\))$/;
const TAIL_LINE = /^bakehouse: last lines of (\S+):$/;

/** The line `phase_log` prints for `event`. */
export function phaseLogLine(event: PhaseEvent): string {
  switch (event.event) {
    case 'start':
    case 'done':
      return `${PREFIX}phase ${event.phase} ${event.event}`;
    case 'skipped':
      return `${PREFIX}phase ${event.phase} skipped (already done)`;
    case 'failed':
      return `${PREFIX}phase ${event.phase} FAILED (exit ${event.exitCode})`;
    case 'log-tail':
      return `${PREFIX}last lines of ${event.logFile}:`;
  }
}

/** The event one whole line states, or undefined for any other line. */
export function parsePhaseLine(line: string): PhaseEvent | undefined {
  const tail = TAIL_LINE.exec(line);
  if (tail?.[1]) return { event: 'log-tail', logFile: tail[1] };
  const match = PHASE_LINE.exec(line);
  const [, phase, what, status] = match ?? [];
  if (phase === undefined || what === undefined) return undefined;
  if (status !== undefined) return { event: 'failed', phase, exitCode: Number(status) };
  return { event: what === 'start' || what === 'done' ? what : 'skipped', phase };
}

/** Every phase event in `output`, in order; other lines are passed over. */
export function parsePhaseLog(output: string): PhaseEvent[] {
  return output.split('\n').flatMap((line) => parsePhaseLine(line.replace(/\r$/, '')) ?? []);
}

/** The phases that finished (done, or skipped as already done), in order, each once. */
export function finishedPhases(output: string): string[] {
  const names = parsePhaseLog(output).flatMap((e) =>
    e.event === 'done' || e.event === 'skipped' ? [e.phase] : [],
  );
  return [...new Set(names)];
}

/** The FAILED line of `output`, as printed, if a phase failed. */
export function failureLine(output: string): string | undefined {
  const failed = parsePhaseLog(output).find((e) => e.event === 'failed');
  return failed && phaseLogLine(failed);
}
