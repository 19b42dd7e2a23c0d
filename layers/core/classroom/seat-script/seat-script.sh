#!/bin/bash
# Seat a bakehouse classroom: Jupyter as the image's unprivileged user, behind this seat's
# credentials. Safe to run again: new credentials replace those of the running server.
set -euo pipefail

# PASSWORD_HASH, TOKEN_SHA256, JUPYTER_PORT, TLS_MODE (acme or none), ACME_DIRECTORY, SEAT_HOST
# (the seat's public address) and IDLE_MINUTES (0: never stop for idleness): this seat's, as
# single-quoted words (seat-script.ts; a boot script picks them by the instance's launch index).
# A boot script also sets REPORT_TAG.
# bakehouse:slot seat

readonly JUPYTER_ENV=/etc/bakehouse/jupyter.env
readonly AUTH_DIR=/usr/local/lib/bakehouse/jupyter
readonly AUTH_PACKAGE=bakehouse_jupyter_auth
readonly CONFIG_FILE=/etc/bakehouse/jupyter_config.py
readonly UNIT=bakehouse-jupyter.service
readonly READY_TIMEOUT=120
readonly CADDYFILE=/etc/caddy/Caddyfile
readonly PROXY_UNIT=caddy.service
readonly CERTIFICATE_TIMEOUT=300
# Jupyter leaves this behind when it stops for idleness (jupyter-auth/idle.py), and only then.
readonly IDLE_MARKER=/run/bakehouse-jupyter/idle

fail() {
  echo "bakehouse: $*" >&2
  report "failed $*"
  trap - EXIT
  exit 1
}

# With REPORT_TAG (a seat configuring itself at boot): the outcome as a tag on this instance,
# written with the instance's own role (it may tag only itself, and only with this key), so the
# class learns it with no inbound connection and no agent. IMDSv2 only; curl signs the request.
imds() {
  local token
  token=$(curl -fsS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60') &&
    curl -fsS -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/$1"
}
report() {
  [ -n "${REPORT_TAG:-}" ] || return 0
  local value role credentials region id key secret session
  # Tag values take letters, digits, spaces and + - = . _ : / @ only, 256 at most.
  value=$(printf '%s' "$1" | tr -c 'A-Za-z0-9 +=._:/@-' ' ' | cut -c1-250)
  role=$(imds meta-data/iam/security-credentials/) || return 0
  credentials=$(imds "meta-data/iam/security-credentials/$role") || return 0
  region=$(imds meta-data/placement/region) || return 0
  id=$(imds meta-data/instance-id) || return 0
  key=$(printf '%s' "$credentials" | python3 -c 'import json,sys; print(json.load(sys.stdin)["AccessKeyId"])')
  secret=$(printf '%s' "$credentials" | python3 -c 'import json,sys; print(json.load(sys.stdin)["SecretAccessKey"])')
  session=$(printf '%s' "$credentials" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Token"])')
  curl -fsS -o /dev/null --aws-sigv4 "aws:amz:$region:ec2" --user "$key:$secret" \
    -H "x-amz-security-token: $session" \
    --data-urlencode Action=CreateTags --data-urlencode Version=2016-11-15 \
    --data-urlencode "ResourceId.1=$id" --data-urlencode "Tag.1.Key=$REPORT_TAG" \
    --data-urlencode "Tag.1.Value=$value" "https://ec2.$region.amazonaws.com/" ||
    echo "bakehouse: could not report '$value' on the instance" >&2
}
# Any failure from here on is reported before the script exits.
trap 'status=$?; [ "$status" -eq 0 ] || report "failed exit $status at line $LINENO"' EXIT

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

# With TLS, Caddy on 443 is the only way in and Jupyter listens on the loopback address alone.
case "$TLS_MODE" in
acme)
  command -v caddy >/dev/null ||
    fail "caddy is not installed: the image was baked before bakehouse served HTTPS"
  jupyter_ip=127.0.0.1
  ;;
none) jupyter_ip=0.0.0.0 ;;
*) fail "TLS_MODE must be acme or none, not '$TLS_MODE'" ;;
esac

[[ "$IDLE_MINUTES" =~ ^[0-9]{1,5}$ ]] || fail "IDLE_MINUTES must be a number of minutes, not '$IDLE_MINUTES'"

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

install -d -m 0755 /etc/bakehouse "$AUTH_DIR/$AUTH_PACKAGE"
# The files of the auth package (jupyter-auth/*.py), each as a quoted heredoc into put.
# bakehouse:slot auth-package

# A new cookie secret per run: sessions opened with earlier credentials end with them.
cookie_secret=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
# Readable by Jupyter through its group, writable by root only.
put 0640 "root:$group" "$CONFIG_FILE" <<BAKEHOUSE_EOF
import sys
sys.path.insert(0, '$AUTH_DIR')
from $AUTH_PACKAGE import configure
configure(
    c,
    password_hash='$PASSWORD_HASH',
    token_sha256='$TOKEN_SHA256',
    cookie_secret='$cookie_secret',
    idle_minutes=$IDLE_MINUTES,
    idle_marker='$IDLE_MARKER',
)
BAKEHOUSE_EOF

put 0644 root:root "/etc/systemd/system/$UNIT" <<BAKEHOUSE_EOF
[Unit]
Description=Jupyter for this bakehouse classroom seat
After=network.target

[Service]
User=$JUPYTER_USER
WorkingDirectory=~
ExecStart=$server --config=$CONFIG_FILE --ip=$jupyter_ip --port=$JUPYTER_PORT --port-retries=0 --no-browser
Restart=on-failure
RestartSec=2
RuntimeDirectory=bakehouse-jupyter
# Stopped for idleness: power off, and EC2 stops the instance (its shutdown behaviour is stop).
ExecStopPost=+/bin/sh -c 'if [ -e $IDLE_MARKER ]; then systemctl --no-block poweroff; fi'
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
BAKEHOUSE_EOF

systemctl daemon-reload
systemctl enable --quiet "$UNIT"
# restart, not enable --now: a server already running must pick up new credentials.
started=$(date +%s)
systemctl restart "$UNIT"

# Whether the unit's main process itself listens on the port (not some other program).
serving() {
  local pid sockets
  pid=$(systemctl show --property=MainPID --value "$UNIT")
  [ "$pid" -gt 0 ] || return 1
  sockets=$(awk -v port="$(printf ':%04X' "$JUPYTER_PORT")" \
    '$4 == "0A" && substr($2, length($2) - 4) == port { print "socket:[" $10 "]" }' \
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
# The seat checks its own login as a student's browser meets it, on the loopback address: an
# anonymous request is refused, the login page sets its _xsrf cookie, and Jupyter holds the
# settings it was given (their digest goes into the report, compared with the class's own).
verified() {
  local base=$1 status
  shift
  status=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 "$@" "$base/api/status") || return 1
  [ "$status" = 403 ] || [ "$status" = 302 ] || return 1
  curl -fsS -o /dev/null -c - --max-time 10 "$@" "$base/login" | grep -q _xsrf
}
settings_digest() {
  printf '%s\n%s' "$PASSWORD_HASH" "$TOKEN_SHA256" | sha256sum | cut -c1-32
}
grep -qF "password_hash='$PASSWORD_HASH'" "$CONFIG_FILE" ||
  fail "Jupyter's configuration does not hold this seat's password hash"

if [ "$TLS_MODE" = none ]; then
  verified "http://127.0.0.1:$JUPYTER_PORT" || fail "Jupyter does not refuse anonymous requests"
  report "ready $(settings_digest)"
  echo "bakehouse: seat ready on port $JUPYTER_PORT"
  exit 0
fi

# Caddy: HTTPS on 443 with a certificate for SEAT_HOST from the ACME CA at ACME_DIRECTORY,
# http-01 only (port 80 is the one the class opens to the CA's validation servers), renewed by
# Caddy itself; port 80 otherwise only redirects to https. Clients send no SNI for an IP address,
# and the instance sees its private address, so default_sni names the certificate to present.
# No admin endpoint: students have a shell here, and it would let them reconfigure the proxy.
put 0644 root:root "$CADDYFILE" <<BAKEHOUSE_EOF
{
	admin off
	default_sni $SEAT_HOST
}

https://$SEAT_HOST {
	tls {
		issuer acme {
			dir $ACME_DIRECTORY
			disable_tlsalpn_challenge
		}
	}
	reverse_proxy 127.0.0.1:$JUPYTER_PORT
}
BAKEHOUSE_EOF

systemctl enable --quiet "$PROXY_UNIT"
proxy_started=$(date +%s)
systemctl restart "$PROXY_UNIT"

# Served over HTTPS with a certificate this machine trusts, asked on the loopback address.
certified() {
  curl -fsS -o /dev/null --max-time 10 --connect-to "$SEAT_HOST:443:127.0.0.1:443" \
    "https://$SEAT_HOST/login" 2>/dev/null
}

deadline=$((SECONDS + CERTIFICATE_TIMEOUT))
until certified; do
  if [ "$SECONDS" -ge "$deadline" ] || systemctl is-failed --quiet "$PROXY_UNIT"; then
    echo "bakehouse: no certificate for $SEAT_HOST within $CERTIFICATE_TIMEOUT seconds; Caddy's journal:" >&2
    journalctl --unit="$PROXY_UNIT" --since="@$proxy_started" --lines=60 --no-pager >&2 || true
    exit 1
  fi
  sleep 2
done
verified "https://$SEAT_HOST" --connect-to "$SEAT_HOST:443:127.0.0.1:443" ||
  fail "the seat does not refuse anonymous requests over HTTPS"
report "ready $(settings_digest)"
echo "bakehouse: seat ready at https://$SEAT_HOST/"
