/**
 * How a shell script "runs" on a simulated instance: how long it takes and what it prints.
 *
 * Stdout is what the script would print at top level: `bakehouse: phase <name> start|done` for
 * each `phase <name> …` call (the compiled bake script's runner), and unconditional top-level
 * `echo` lines with simple variables expanded. Seat scripts carry their settings after
 * `# bakehouse:seat-config` (a batch script: after `# bakehouse:seat-config <instance-id>`, one
 * block per instance; the image test's seat reads its credential from files the instance made,
 * which the simulation makes from its random source); a seat script runs 10–40 s, a bake phase half a minute to several
 * minutes.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { IMAGE_TEST_CREDENTIAL_DIR } from '../../../layers/core/image-test/image-test';
import { phaseLogLine } from '../../../layers/core/recipe/phase-log';
import { DEFAULT_LAYOUT } from '../../../layers/core/recipe/script';
import { SECOND } from '../kernel/clock';
import type { Random } from '../kernel/random';

export const SEAT_MARKER = '# bakehouse:seat-config';

export const SeatConfigSchema = z.object({
  PASSWORD_HASH: z
    .string()
    .regex(/^argon2:\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/),
  TOKEN_SHA256: z.string().regex(/^[0-9a-f]{64}$/),
  JUPYTER_PORT: z.coerce.number().int().min(1).max(65535),
  /** With `acme`, Caddy serves the seat over HTTPS on 443 with a certificate for SEAT_HOST. */
  TLS_MODE: z.enum(['acme', 'none']).default('none'),
  SEAT_HOST: z.string().default(''),
  /** Where a successful login lands: /tree for notebook, /lab for JupyterLab. */
  DEFAULT_URL: z.string().startsWith('/').default('/tree'),
  /** Minutes without a request after which the seat powers itself off (0: never). */
  IDLE_MINUTES: z.coerce.number().int().min(0).default(0),
});
export type SeatConfig = z.infer<typeof SeatConfigSchema>;

export interface OutputLine {
  /** Milliseconds after the script started. */
  at: number;
  text: string;
  stream: 'stdout' | 'stderr';
}

export interface ScriptRun {
  lines: OutputLine[];
  exitCode: number;
  /** Simulated milliseconds until the script exits. */
  duration: number;
  seat?: SeatConfig;
}

const PHASE_CALL = /^\s*(?:phase|run_phase|log_phase)\s+['"]?([A-Za-z0-9_.:-]+)['"]?(?:\s|;|$)/;
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(?:'([^']*)'|"([^"$`\\]*)"|([^\s'"$`;]*))\s*$/;
const HEREDOC = /<<-?\s*'?([A-Za-z_][A-Za-z0-9_]*)'?\s*$/;
const ECHO = /^echo\s+(?:'([^']*)'|"([^"`\\]*)"|([^'"`;|&<>]*?))\s*(>&2)?\s*$/;

/** A setting the seat reads from a file its instance made: `NAME=$(cat 'DIR'/FILE)`. */
const FROM_FILE = /^([A-Za-z_][A-Za-z0-9_]*)=\$\(cat '([^']+)'\/([A-Za-z0-9._-]+)\)$/;

/**
 * What the image test's credential.sh leaves on the instance, made from `random`: the SHA-256 of
 * a token of 32 random bytes, and an argon2-shaped hash over random bytes.
 */
export function credentialMadeOnInstance(random: Random): (file: string) => string | undefined {
  let made: Record<string, string> | undefined;
  const base64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64').replace(/=+$/, '');
  return (file) => {
    if (!file.startsWith(`${IMAGE_TEST_CREDENTIAL_DIR}/`)) return undefined;
    made ??= {
      'token-sha256': createHash('sha256').update(random.hex(64)).digest('hex'),
      'password-hash': `argon2:$argon2id$v=19$m=4096,t=1,p=1$${base64(random.hex(32))}$${base64(random.hex(64))}`,
    };
    return made[file.slice(IMAGE_TEST_CREDENTIAL_DIR.length + 1)];
  };
}

type Step =
  | { kind: 'phase'; name: string; line: number }
  | { kind: 'echo'; text: string; stream: OutputLine['stream'] };

function expand(text: string, vars: Map<string, string>): string | undefined {
  const expanded = text.replace(
    /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
    (m, name: string) => vars.get(name) ?? m,
  );
  return expanded.includes('$') ? undefined : expanded;
}

function stepsOf(script: string): { steps: Step[]; lines: string[]; vars: Map<string, string> } {
  const lines = script.split('\n');
  const vars = new Map<string, string>();
  const steps: Step[] = [];
  let heredocEnd: string | undefined;
  lines.forEach((line, index) => {
    // A heredoc's body is a file the script writes, not commands it runs.
    if (heredocEnd !== undefined) {
      if (line === heredocEnd) heredocEnd = undefined;
      return;
    }
    heredocEnd = HEREDOC.exec(line)?.[1];
    const phase = PHASE_CALL.exec(line);
    if (phase?.[1]) {
      steps.push({ kind: 'phase', name: phase[1], line: index });
      return;
    }
    const assignment = ASSIGNMENT.exec(line);
    if (assignment?.[1] && !vars.has(assignment[1])) {
      vars.set(assignment[1], assignment[2] ?? assignment[3] ?? assignment[4] ?? '');
      return;
    }
    const echo = ECHO.exec(line);
    if (!echo) return;
    const text = expand(echo[1] ?? echo[2] ?? echo[3] ?? '', vars);
    if (text !== undefined)
      steps.push({ kind: 'echo', text, stream: echo[4] ? 'stderr' : 'stdout' });
  });
  return { steps, lines, vars };
}

/**
 * The seat settings a seat script carries for `instanceId`, or an error message when they are
 * incomplete. A single-seat script has one block after the bare marker; a batch script has one
 * block per instance, after `# bakehouse:seat-config <instance-id>`.
 */
export function seatConfigOf(
  script: string,
  instanceId?: string,
  madeOnInstance: (file: string) => string | undefined = () => undefined,
): SeatConfig | string | undefined {
  const lines = script.split('\n');
  const markers = lines.map((line) => line.trim()).filter((line) => line.startsWith(SEAT_MARKER));
  if (markers.length === 0) return undefined;
  const mine = `${SEAT_MARKER} ${instanceId ?? ''}`.trim();
  const start = lines.findIndex((line) => line.trim() === SEAT_MARKER || line.trim() === mine);
  if (start < 0) return `bakehouse: instance ${instanceId} is not a seat of this batch`;
  const values: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    const read = FROM_FILE.exec(line.trim());
    const made = read?.[1] && madeOnInstance(`${read[2]}/${read[3]}`);
    if (read?.[1] && made !== undefined) {
      values[read[1]] = made;
      continue;
    }
    const m = ASSIGNMENT.exec(line.trim());
    if (!m?.[1]) break;
    values[m[1]] = m[2] ?? m[3] ?? m[4] ?? '';
  }
  const parsed = SeatConfigSchema.safeParse(values);
  return parsed.success
    ? parsed.data
    : `bakehouse: seat settings incomplete: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`;
}

/** The top-level shell function whose body holds line `at`, if any. */
function enclosingFunction(lines: string[], at: number): string | undefined {
  for (let i = at; i >= 0; i--) {
    const line = lines[i] ?? '';
    if (i < at && line === '}') return undefined;
    const opened = /^([A-Za-z_][A-Za-z0-9_]*)\s*\(\)\s*\{/.exec(line);
    if (opened) return i < at && line.trimEnd().endsWith('}') ? undefined : opened[1];
  }
  return undefined;
}

/**
 * Index (among phase calls) of the phase that fails: the phase whose call runs the function
 * holding the first line that contains `match`, else the phase running at that line, else the
 * last phase; -1 when the failure comes before any phase.
 */
function failingPhase(steps: Step[], lines: string[], match: string | undefined): number {
  const phases = steps.filter((s) => s.kind === 'phase');
  const at = match === undefined ? -1 : lines.findIndex((line) => line.includes(match));
  if (at < 0) return phases.length - 1;
  const direct = phases.findIndex((p) => p.line === at);
  if (direct >= 0) return direct;
  const fn = enclosingFunction(lines, at);
  const caller = fn
    ? phases.findIndex((p) => new RegExp(`\\b${fn}\\b`).test(lines[p.line] ?? ''))
    : -1;
  if (caller >= 0) return caller;
  return phases.filter((p) => p.line <= at).length - 1;
}

export function runScript(
  script: string,
  random: Random,
  fail: { match?: string } | undefined,
  instanceId?: string,
): ScriptRun {
  const { steps, lines } = stepsOf(script);
  const seat = seatConfigOf(script, instanceId, credentialMadeOnInstance(random));
  const isSeat = seat !== undefined;
  const failAt = fail ? failingPhase(steps, lines, fail.match) : undefined;
  const phaseCount = steps.filter((s) => s.kind === 'phase').length;
  const seatTotal = random.between(10, 40) * SECOND;
  const out: OutputLine[] = [];
  let at = isSeat ? 0 : random.between(2, 6) * SECOND;
  const emit = (text: string, stream: OutputLine['stream'] = 'stdout') =>
    out.push({ at: Math.round(at), text, stream });

  if (failAt === -1) return failed(out, 'prepare', at + SECOND);
  let phaseIndex = 0;
  for (const step of steps) {
    if (step.kind === 'echo') {
      emit(step.text, step.stream);
      at += isSeat ? seatTotal / (steps.length + 1) : 50;
      continue;
    }
    const length = isSeat
      ? seatTotal / Math.max(1, phaseCount)
      : random.latency(30 * SECOND, 150 * SECOND, 900 * SECOND);
    emit(phaseLogLine({ event: 'start', phase: step.name }));
    if (phaseIndex === failAt) return failed(out, step.name, at + length / 2);
    phaseIndex += 1;
    at += length;
    emit(phaseLogLine({ event: 'done', phase: step.name }));
  }
  if (typeof seat === 'string') {
    out.push({ at: Math.round(seatTotal), text: seat, stream: 'stderr' });
    return { lines: out, exitCode: 1, duration: Math.round(seatTotal) };
  }
  return {
    lines: out,
    exitCode: 0,
    duration: Math.round(isSeat ? Math.max(at, seatTotal) : at),
    seat,
  };
}

function failed(out: OutputLine[], phase: string, at: number): ScriptRun {
  const when = Math.round(at);
  out.push(
    {
      at: when,
      text: phaseLogLine({ event: 'log-tail', logFile: `${DEFAULT_LAYOUT.logDir}/${phase}.log` }),
      stream: 'stdout',
    },
    { at: when, text: 'simulated failure (faults.commandFails)', stream: 'stdout' },
    { at: when, text: phaseLogLine({ event: 'failed', phase, exitCode: 1 }), stream: 'stdout' },
    { at: when, text: 'failed to run commands: exit status 1', stream: 'stderr' },
  );
  return { lines: out, exitCode: 1, duration: when };
}

/** Text a stream carried up to `until` ms into the run. */
export function streamText(run: ScriptRun, stream: OutputLine['stream'], until = Infinity): string {
  const lines = run.lines.filter((l) => l.stream === stream && l.at <= until).map((l) => l.text);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** Keep the first `max` characters, marked as the SSM agent marks them. */
export function truncate(text: string, max: number, marker = '\n---Output truncated---'): string {
  return text.length <= max ? text : text.slice(0, max - marker.length) + marker;
}
