# shellcheck shell=bash
# The runner of a bake script (script.ts puts STATE_DIR and LOG_DIR before it, the phases after
# it): strict mode, the environment every phase shares, `phase`, and the apt helpers.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 HOME="${HOME:-/root}"
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
umask 022

current_phase=prepare

report_failure() {
  local status=$?
  if [ "$status" -ne 0 ] && [ -n "$current_phase" ]; then
    if [ -s "$LOG_DIR/$current_phase.log" ]; then
      phase_log log-tail "$LOG_DIR/$current_phase.log"
      tail -n 40 "$LOG_DIR/$current_phase.log"
    fi
    phase_log failed "$current_phase" "$status"
  fi
}
trap report_failure EXIT

# phase NAME HASH FUNCTION: runs FUNCTION unless NAME last succeeded with this HASH.
phase() {
  local name=$1 hash=$2 marker="$STATE_DIR/$1.done"
  if [ -f "$marker" ] && [ "$(cat "$marker")" = "$hash" ]; then
    phase_log skipped "$name"
    return 0
  fi
  current_phase=$name
  phase_log start "$name"
  # A subshell, so the trap reports on the script's own stdout rather than into the log, and
  # nothing a phase leaves running holds on to Run Command's output pipe.
  ("$3") >"$LOG_DIR/$name.log" 2>&1 </dev/null
  echo "$hash" >"$marker.new"
  mv "$marker.new" "$marker"
  current_phase=''
  phase_log "done" "$name"
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
current_phase=''
