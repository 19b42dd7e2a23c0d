#!/usr/bin/env bash
# The instance tests boot a Debian 12 container with systemd-nspawn. Install what they need when
# we can (root with apt), and say clearly when we cannot: those tests then skip with a reason.
set -euo pipefail

missing=()
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
command -v systemd-nspawn >/dev/null 2>&1 || missing+=(systemd-container)
command -v zstd >/dev/null 2>&1 || missing+=(zstd)
# The HTTPS seat test: pebble (Let's Encrypt's test ACME server) and openssl for its listener.
command -v pebble >/dev/null 2>&1 || missing+=(pebble)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# The browser tests (the class page's in test/browser, the seat's in test/instance): Debian's
# chromium (driven by playwright-core) and NSS's certutil, which puts pebble's root into the
# browser's trust store.
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v certutil >/dev/null 2>&1 || missing+=(libnss3-tools)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "bakehouse: instance tests need ${missing[*]} (root + apt); they will be skipped." >&2
  exit 0
fi
echo "bakehouse: installing ${missing[*]} for the instance tests" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
