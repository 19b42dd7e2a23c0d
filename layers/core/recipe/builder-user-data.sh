#!/bin/sh
# Powers the builder off TTL_MINUTES after boot (compile.ts: builderUserData).
# bakehouse:slot settings
systemd-run --unit=bakehouse-builder-ttl --on-active="${TTL_MINUTES}min" /usr/bin/systemctl poweroff ||
  shutdown -P "+$TTL_MINUTES"
