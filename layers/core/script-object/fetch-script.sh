#!/bin/bash
# The Run Command text for a bake script too large for one command: it names the S3 object that
# holds the script (region, bucket, key) and the script's SHA-256, fetches it with this
# instance's role (fetch-script.py), and runs it only when the digest matches.
set -euo pipefail

# OBJECT_REGION, OBJECT_BUCKET, OBJECT_KEY and OBJECT_SHA256 as single-quoted words
# (script-object.ts), after the marker the simulated AWS reads.
# bakehouse:slot object

readonly FETCH_DIR=/var/lib/bakehouse/fetch
python=python3
[ ! -x /usr/bin/python3 ] || python=/usr/bin/python3
command -v "$python" >/dev/null || {
  echo "bakehouse: python3 is needed to fetch the bake script from S3" >&2
  exit 1
}
install -d -m 0700 "$FETCH_DIR"
# fetch-script.py as a quoted heredoc into $FETCH_DIR/fetch-script.py.
# bakehouse:slot fetcher

"$python" "$FETCH_DIR/fetch-script.py" "$OBJECT_REGION" "$OBJECT_BUCKET" "$OBJECT_KEY" \
  "$OBJECT_SHA256" "$FETCH_DIR/build.sh"
exec bash "$FETCH_DIR/build.sh"
