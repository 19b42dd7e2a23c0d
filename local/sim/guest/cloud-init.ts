/**
 * What cloud-init does with a seat's user data at its first boot, decided at launch from the
 * seeded draws: the boot stages up to the user-data script (cloud-init's Local, Network and
 * Config stages run in a few seconds — `cloud-init analyze blame` shows each module well under
 * a second — and the Final stage then runs the script: docs.cloud-init.io, "Boot stages" and
 * "Performance analysis"), the seat script itself (as an SSM-run one takes), Jupyter's start
 * (slow at the first boot from a new image: its EBS blocks load lazily), with TLS the ACME
 * certificate once the seat's Elastic IP is on it (http-01 validation takes seconds), and then
 * the seat's report: a tag on its own instance, written with its instance role. A script that
 * fails reports that instead; a seat without a role reports nothing.
 */
import { createHash } from 'node:crypto';
import { SECOND } from '../kernel/clock';
import type { FaultPlan } from '../kernel/faults';
import type { Random } from '../kernel/random';
import { runScript, type ScriptRun, type SeatConfig } from './script-run';

/** The key of the tag a seat writes on its own instance, and how long its certificate may take. */
export const SEAT_REPORT_TAG = 'bakehouse:seat-report';
const CERTIFICATE_TIMEOUT = 300 * SECOND;

export interface FirstBoot {
  /** From `running` until the Final stage starts the user-data script. */
  cloudInitMs: number;
  run: ScriptRun;
  /** The settings the script installed (a broken seat's differ from those it was given). */
  seat?: SeatConfig;
  warmUpMs: number;
  /** With TLS: from the Elastic IP's arrival until Caddy holds a certificate. */
  certificateMs: number;
}

/** The first boot of an instance whose user data is `script`, or undefined when it is no seat's. */
export function firstBoot(
  script: string | undefined,
  launchIndex: number,
  cold: boolean,
  random: Random,
  faults: FaultPlan,
): FirstBoot | undefined {
  if (!script?.includes('# bakehouse:seat-config')) return undefined;
  const fails = faults.takeCommandFailure(script);
  const run = runScript(
    script,
    random,
    fails ? { match: faults.commandFailureMatch } : undefined,
    String(launchIndex),
  );
  const given = run.seat;
  return {
    cloudInitMs: random.latency(6 * SECOND, 15 * SECOND, 45 * SECOND),
    run,
    seat: given && faults.takeBrokenSeat() ? brokenSeat(given, random) : given,
    warmUpMs: (cold ? random.latency(25, 55, 60) : random.between(1, 8)) * SECOND,
    certificateMs: random.between(2, 8) * SECOND,
  };
}

/** The same settings shape with credentials nobody knows. */
export function brokenSeat(config: SeatConfig, random: Random): SeatConfig {
  const salt = Buffer.from(random.hex(32), 'hex').toString('base64').replace(/=+$/, '');
  const hash = Buffer.from(random.hex(64), 'hex').toString('base64').replace(/=+$/, '');
  return {
    ...config,
    PASSWORD_HASH: config.PASSWORD_HASH.replace(/\$[^$]+\$[^$]+$/, `$${salt}$${hash}`),
    TOKEN_SHA256: random.hex(64),
  };
}

/** The digest a seat reports of the settings it holds (`settings_digest` in seat-script.sh). */
export const settingsDigest = (seat: SeatConfig) =>
  createHash('sha256')
    .update(`${seat.PASSWORD_HASH}\n${seat.TOKEN_SHA256}`)
    .digest('hex')
    .slice(0, 32);

export interface BootOutcome {
  /** When Jupyter answers students (undefined: never, by `now`). */
  readyAt?: number;
  /** The report and when it appears on the instance. */
  report?: { at: number; value: string };
}

/**
 * How the first boot went, as seen at `now`: `runningAt` is when the instance first ran,
 * `addressAt` when its Elastic IP came (TLS needs it for the certificate).
 */
export function bootOutcome(
  boot: FirstBoot,
  runningAt: number,
  addressAt: number | undefined,
  canReport: boolean,
): BootOutcome {
  const scriptAt = runningAt + boot.cloudInitMs;
  const scriptEnd = scriptAt + boot.run.duration;
  const seat = boot.seat;
  const report = (at: number, value: string) => (canReport ? { report: { at, value } } : {});
  if (boot.run.exitCode !== 0 || !seat) {
    const last = boot.run.lines.filter((l) => l.stream === 'stderr').at(-1)?.text ?? 'exit 1';
    return report(scriptEnd, `failed ${last.replace(/^bakehouse: /, '')}`.slice(0, 250));
  }
  let readyAt = scriptEnd + boot.warmUpMs;
  if (seat.TLS_MODE === 'acme') {
    const certificateAt = addressAt === undefined ? Infinity : addressAt + boot.certificateMs;
    if (certificateAt > scriptEnd + CERTIFICATE_TIMEOUT)
      return report(
        scriptEnd + CERTIFICATE_TIMEOUT,
        `failed no certificate for ${seat.SEAT_HOST} within 300 seconds`,
      );
    readyAt = Math.max(readyAt, certificateAt);
  }
  return { readyAt, ...report(readyAt + SECOND / 2, `ready ${settingsDigest(seat)}`) };
}
