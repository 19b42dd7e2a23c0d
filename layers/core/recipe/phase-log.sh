# shellcheck shell=bash
# The phase log: one line on stdout per event of a phase. phase-log.ts describes the format and
# parses it; the TS side reads these lines back from Run Command's output.
#   phase_log start|"done"|skipped NAME   ("done" quoted, else shellcheck takes it for the keyword)
#   phase_log failed NAME STATUS
#   phase_log log-tail FILE      (the tail of FILE, the failing phase's log, follows)
phase_log() {
  case $1 in
  start | done) echo "bakehouse: phase $2 $1" ;;
  skipped) echo "bakehouse: phase $2 skipped (already done)" ;;
  failed) echo "bakehouse: phase $2 FAILED (exit $3)" ;;
  log-tail) echo "bakehouse: last lines of $2:" ;;
  *)
    echo "bakehouse: phase_log: unknown event '$1'" >&2
    return 2
    ;;
  esac
}
