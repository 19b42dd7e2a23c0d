/**
 * The script SSM Run Command sends to every seat of a classroom. It runs Jupyter under systemd as
 * the image's unprivileged user, behind the seat's password hash and token digest, and returns
 * once Jupyter's own process listens on the port, or fails within seconds, with the unit's
 * journal, if Jupyter exits. It reads what the bake left in /etc/bakehouse/jupyter.env.
 *
 * AWS-RunShellScript saves the text as `_script.sh` and runs it with `sh -c`, so the shebang picks
 * bash. Values are embedded as single-quoted shell words and Python strings; the schema admits
 * only characters that are inert in both.
 */
import { z } from 'zod';
import { parseOrThrow } from '../../../base/validate';
import { PasswordHash, TokenDigest } from '../credentials';
import { JUPYTER_AUTH_PACKAGE, jupyterAuthFiles } from './jupyter-auth/python-package';

export const SeatSettings = z
  .object({
    /** An unprivileged port, so never 22. */
    port: z.number().int().min(1024).max(65_535),
    passwordHash: PasswordHash,
    tokenDigest: TokenDigest,
  })
  .strict();
export type SeatSettings = z.infer<typeof SeatSettings>;

/** The lines after this marker carry the seat's values; the simulated AWS parses them. */
export const SEAT_CONFIG_MARKER = '# bakehouse:seat-config';
export const SEAT_UNIT = 'bakehouse-jupyter.service';
export const SEAT_READY_TIMEOUT_SECONDS = 120;
export const SEAT_CONFIG_FILE = '/etc/bakehouse/jupyter_config.py';
const AUTH_DIR = '/usr/local/lib/bakehouse/jupyter';
export const HEREDOC_END = 'BAKEHOUSE_EOF';

export function compileSeatScript(settings: SeatSettings): string {
  const seat = parseOrThrow(SeatSettings, settings, 'seat settings');
  return renderSeatScript(
    [
      SEAT_CONFIG_MARKER,
      `PASSWORD_HASH='${seat.passwordHash}'`,
      `TOKEN_SHA256='${seat.tokenDigest}'`,
      `JUPYTER_PORT='${seat.port}'`,
    ].join('\n'),
  );
}

/**
 * The seat script around `settings`: shell that sets PASSWORD_HASH, TOKEN_SHA256 and
 * JUPYTER_PORT from values already validated (one seat's, or a batch's chosen by instance id).
 */
export function renderSeatScript(settings: string): string {
  return [
    header,
    settings,
    '',
    readBake,
    installAuthPackage(),
    writeConfig,
    writeUnit,
    startAndWait,
  ].join('\n');
}

const header = `#!/bin/bash
# Seat a bakehouse classroom: Jupyter as the image's unprivileged user, behind this seat's
# credentials. Safe to run again: new credentials replace those of the running server.
set -euo pipefail
`;

const readBake = `readonly JUPYTER_ENV=/etc/bakehouse/jupyter.env
readonly AUTH_DIR=${AUTH_DIR}
readonly CONFIG_FILE=${SEAT_CONFIG_FILE}
readonly UNIT=${SEAT_UNIT}
readonly READY_TIMEOUT=${SEAT_READY_TIMEOUT_SECONDS}

fail() {
  echo "bakehouse: $*" >&2
  exit 1
}

# put MODE OWNER:GROUP PATH — replace PATH with stdin in one rename.
put() {
  local tmp
  tmp=$(mktemp "$3.XXXXXX")
  cat >"$tmp"
  chown "$2" "$tmp"
  chmod "$1" "$tmp"
  mv -f "$tmp" "$3"
}

[ -r "$JUPYTER_ENV" ] || fail "$JUPYTER_ENV is missing: the image was not baked by bakehouse"
seat_port=$JUPYTER_PORT
JUPYTER_FLAVOUR='' JUPYTER_USER='' JUPYTER_COMMAND=''
# shellcheck source=/dev/null
. "$JUPYTER_ENV"
JUPYTER_PORT=$seat_port # the classroom's port, not the recipe's default

case "$JUPYTER_FLAVOUR" in
lab | notebook) ;;
*) fail "JUPYTER_FLAVOUR in $JUPYTER_ENV must be lab or notebook, not '$JUPYTER_FLAVOUR'" ;;
esac
[[ "$JUPYTER_COMMAND" =~ ^/[A-Za-z0-9._/+-]+$ && -x "$JUPYTER_COMMAND" ]] ||
  fail "JUPYTER_COMMAND in $JUPYTER_ENV is not an executable absolute path: '$JUPYTER_COMMAND'"
[[ "$JUPYTER_USER" =~ ^[a-z_][a-z0-9_-]*$ ]] ||
  fail "JUPYTER_USER in $JUPYTER_ENV is not a user name: '$JUPYTER_USER'"
uid=$(id -u "$JUPYTER_USER") || fail "user $JUPYTER_USER does not exist"
[ "$uid" -ne 0 ] || fail "refusing to run Jupyter as root"
group=$(id -gn "$JUPYTER_USER")
# The jupyter launcher takes the flavour as a subcommand; jupyter-lab or jupyter-notebook do not.
if [ "$(basename "$JUPYTER_COMMAND")" = jupyter ]; then
  server="$JUPYTER_COMMAND $JUPYTER_FLAVOUR"
else
  server=$JUPYTER_COMMAND
fi
`;

function installAuthPackage(): string {
  const dir = `"$AUTH_DIR/${JUPYTER_AUTH_PACKAGE}"`;
  const files = Object.entries(jupyterAuthFiles).map(
    ([name, source]) =>
      `put 0644 root:root ${dir}/${name} <<'${HEREDOC_END}'\n${source}${HEREDOC_END}`,
  );
  return [`install -d -m 0755 /etc/bakehouse ${dir}`, ...files, ''].join('\n');
}

const writeConfig = `# A new cookie secret per run: sessions opened with earlier credentials end with them.
cookie_secret=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \\n')
# Readable by Jupyter through its group, writable by root only.
put 0640 "root:$group" "$CONFIG_FILE" <<${HEREDOC_END}
import sys
sys.path.insert(0, '$AUTH_DIR')
from ${JUPYTER_AUTH_PACKAGE} import configure
configure(
    c,
    password_hash='$PASSWORD_HASH',
    token_sha256='$TOKEN_SHA256',
    cookie_secret='$cookie_secret',
)
${HEREDOC_END}
`;

const writeUnit = `put 0644 root:root "/etc/systemd/system/$UNIT" <<${HEREDOC_END}
[Unit]
Description=Jupyter for this bakehouse classroom seat
After=network.target

[Service]
User=$JUPYTER_USER
WorkingDirectory=~
ExecStart=$server --config=$CONFIG_FILE --ip=0.0.0.0 --port=$JUPYTER_PORT --port-retries=0 --no-browser
Restart=on-failure
RestartSec=2
NoNewPrivileges=yes
ProtectSystem=full
PrivateTmp=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
RestrictSUIDSGID=yes
LockPersonality=yes

[Install]
WantedBy=multi-user.target
${HEREDOC_END}
`;

const startAndWait = `systemctl daemon-reload
systemctl enable --quiet "$UNIT"
# restart, not enable --now: a server already running must pick up new credentials.
started=$(date +%s)
systemctl restart "$UNIT"

# Whether the unit's main process itself listens on the port (not some other program).
serving() {
  local pid sockets
  pid=$(systemctl show --property=MainPID --value "$UNIT")
  [ "$pid" -gt 0 ] || return 1
  sockets=$(awk -v port="$(printf ':%04X' "$JUPYTER_PORT")" \\
    '$4 == "0A" && substr($2, length($2) - 4) == port { print "socket:[" $10 "]" }' \\
    /proc/net/tcp /proc/net/tcp6 2>/dev/null || true)
  [ -n "$sockets" ] && { readlink /proc/"$pid"/fd/* 2>/dev/null || true; } | grep -qxF "$sockets"
}

not_ready() {
  echo "bakehouse: $1; its journal since the restart:" >&2
  journalctl --unit="$UNIT" --since="@$started" --lines=60 --no-pager >&2 || true
  exit 1
}

deadline=$((SECONDS + READY_TIMEOUT))
until serving; do
  if [ "$(systemctl show --property=NRestarts --value "$UNIT")" != 0 ] ||
    systemctl is-failed --quiet "$UNIT"; then
    not_ready "Jupyter exited while starting"
  fi
  [ "$SECONDS" -lt "$deadline" ] ||
    not_ready "Jupyter did not listen on port $JUPYTER_PORT within $READY_TIMEOUT seconds"
  sleep 1
done
echo "bakehouse: seat ready on port $JUPYTER_PORT"
`;
