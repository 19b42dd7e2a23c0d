#!/bin/bash
# The image test's throwaway credential, made on the test instance and kept there: a token of
# 32 random bytes (hex) readable by root only, its SHA-256 for the seat, and for the password a
# hash in Jupyter's argon2 format over random bytes, which no password is known to match (the
# test logs in with the token). Nothing of it leaves the instance, which is terminated after.
set -euo pipefail

# bakehouse:slot credential-dir

umask 077
install -d -m 0700 "$CREDENTIAL_DIR"
od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$CREDENTIAL_DIR/token"
[ "$(wc -c <"$CREDENTIAL_DIR/token")" -eq 64 ] || {
  echo "bakehouse: could not read 32 random bytes" >&2
  exit 1
}
tr -d '\n' <"$CREDENTIAL_DIR/token" | sha256sum | cut -d' ' -f1 >"$CREDENTIAL_DIR/token-sha256"
salt=$(head -c 16 /dev/urandom | base64 | tr -d '=\n')
unknown=$(head -c 32 /dev/urandom | base64 | tr -d '=\n')
# shellcheck disable=SC2016 # the $ are argon2's separators
printf 'argon2:$argon2id$v=19$m=4096,t=1,p=1$%s$%s\n' "$salt" "$unknown" >"$CREDENTIAL_DIR/password-hash"
echo "bakehouse: throwaway credential made on this instance"
