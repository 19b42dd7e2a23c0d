/**
 * The frame of a bake script: a runner that executes named phases in order, each at most once per
 * content. A phase records the hash of its own text in a marker file when it succeeds, so running
 * the script again skips what is already in place and redoes only what changed.
 *
 * Each phase's output goes to its own log file rather than to stdout: Run Command keeps only the
 * first 24,000 characters of output, which apt alone can fill. Stdout carries one line per phase
 * event (`bakehouse: phase <name> start|done|skipped (already done)`) and, on failure, the tail of
 * the failing phase's log followed by `bakehouse: phase <name> FAILED (exit N)` as the last line.
 */
import { createHash } from 'node:crypto';

export interface Phase {
  /** Lower-case, `[a-z-]`: used in marker and log file names and in the output. */
  name: string;
  /** Shell functions the body calls; part of the phase's identity. */
  helpers?: string;
  body: string;
}

export interface ScriptLayout {
  stateDir: string;
  logDir: string;
}

export const DEFAULT_LAYOUT: ScriptLayout = {
  stateDir: '/var/lib/bakehouse/phases',
  logDir: '/var/log/bakehouse',
};

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A phase's identity: changes whenever anything it would run changes. */
export const phaseHash = (phase: Phase) =>
  sha256([phase.name, phase.helpers ?? '', phase.body].join('\n')).slice(0, 16);

const functionName = (phase: Phase) => `phase_${phase.name.replaceAll('-', '_')}`;

/**
 * `text` indented by two spaces, except the bodies and closing lines of heredocs, which must stay
 * byte for byte. Every heredoc here comes from `heredoc()`, so its opening line ends in `<<'DELIM'`
 * and DELIM occurs nowhere in its body.
 */
export function indent(text: string): string {
  let delimiter: string | undefined;
  return text
    .split('\n')
    .map((line) => {
      if (delimiter !== undefined) {
        if (line === delimiter) delimiter = undefined;
        return line;
      }
      delimiter = /<<'([A-Za-z0-9_]+)'$/.exec(line)?.[1];
      return line ? `  ${line}` : line;
    })
    .join('\n');
}

const runner = (layout: ScriptLayout) => `set -euo pipefail
export DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 HOME="\${HOME:-/root}"
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
umask 022

readonly STATE_DIR=${layout.stateDir}
readonly LOG_DIR=${layout.logDir}
current_phase=prepare

report_failure() {
  local status=$?
  if [ "$status" -ne 0 ] && [ -n "$current_phase" ]; then
    if [ -s "$LOG_DIR/$current_phase.log" ]; then
      echo "bakehouse: last lines of $LOG_DIR/$current_phase.log:"
      tail -n 40 "$LOG_DIR/$current_phase.log"
    fi
    echo "bakehouse: phase $current_phase FAILED (exit $status)"
  fi
}
trap report_failure EXIT

# phase NAME HASH FUNCTION: runs FUNCTION unless NAME last succeeded with this HASH.
phase() {
  local name=$1 hash=$2 marker="$STATE_DIR/$1.done"
  if [ -f "$marker" ] && [ "$(cat "$marker")" = "$hash" ]; then
    echo "bakehouse: phase $name skipped (already done)"
    return 0
  fi
  current_phase=$name
  echo "bakehouse: phase $name start"
  # A subshell, so the trap reports on the script's own stdout rather than into the log, and
  # nothing a phase leaves running holds on to Run Command's output pipe.
  ("$3") >"$LOG_DIR/$name.log" 2>&1 </dev/null
  echo "$hash" >"$marker.new"
  mv "$marker.new" "$marker"
  current_phase=''
  echo "bakehouse: phase $name done"
}

apt_get() {
  apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 -y -q "$@"
}

# DPkg::Lock::Timeout covers the dpkg lock only; the lists lock that a concurrent apt-daily run
# holds makes apt-get update fail at once, so it is retried for up to ten minutes. Phases run in
# subshells, so a file remembers that the lists were refreshed during this run.
apt_update() {
  [ ! -e "$LOG_DIR/apt-lists-fresh" ] || return 0
  local attempt
  for attempt in $(seq 1 60); do
    if apt_get update; then
      : >"$LOG_DIR/apt-lists-fresh"
      return 0
    fi
    echo "bakehouse: apt-get update failed (attempt $attempt), retrying in 10 s"
    sleep 10
  done
  return 1
}

apt_install() {
  apt_update
  apt_get install --no-install-recommends "$@"
}

mkdir -p "$STATE_DIR" "$LOG_DIR"
rm -f "$LOG_DIR/apt-lists-fresh"
# On first boot cloud-init, and the apt runs it starts, may still be at work.
if command -v cloud-init >/dev/null 2>&1; then
  echo "bakehouse: waiting for cloud-init to finish"
  timeout 900 cloud-init status --wait >/dev/null 2>&1 ||
    echo "bakehouse: cloud-init did not finish cleanly; going on"
fi
current_phase=''`;

/**
 * The whole script: shebang, `title` as comment lines, the runner, every phase as a function, and
 * at the end the run list, one `phase <name> <hash> <function>` line per phase in order.
 */
export function renderScript(
  title: string[],
  phases: Phase[],
  layout: ScriptLayout = DEFAULT_LAYOUT,
): string {
  const helpers = [...new Set(phases.flatMap((phase) => phase.helpers ?? []))];
  const functions = phases.map((phase) => `${functionName(phase)}() {\n${indent(phase.body)}\n}`);
  const runList = phases.map(
    (phase) => `phase ${phase.name} ${phaseHash(phase)} ${functionName(phase)}`,
  );
  const header = ['#!/usr/bin/env bash', ...title.map((line) => `# ${line}`)].join('\n');
  return [header, runner(layout), ...helpers, ...functions, runList.join('\n'), ''].join('\n\n');
}
