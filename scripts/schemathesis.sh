#!/usr/bin/env bash
# Property-based API testing (docs/conformance.md): schemathesis, pinned, against the release
# binary serving the default fixtures, over every operation of the served /openapi.json
# (v3 under its three shapes and usersync), with a read-write admin token. The control API is
# left out: fuzzing it resets the state, revokes the tokens and moves the clock under the other
# operations (its own black-box tests cover it).
#
# Usage: scripts/schemathesis.sh            (builds the release binary if needed)
# Env:   ST_SEED (default 20251123), ST_MAX_EXAMPLES (default 50), ST_WORKERS (default 2),
#        ST_VENV (default target/schemathesis-venv), ST_TOKEN (default ada-rw),
#        ST_CLOUD_TOKEN (default acme-admin-rw). Extra arguments go to `st run`.
# Per-shape tokens and team slugs: scripts/schemathesis.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

ST_VERSION=4.32.5
SEED=${ST_SEED:-20251123}
MAX_EXAMPLES=${ST_MAX_EXAMPLES:-50}
WORKERS=${ST_WORKERS:-2}
VENV=${ST_VENV:-target/schemathesis-venv}
export ST_TOKEN=${ST_TOKEN:-ada-rw} ST_CLOUD_TOKEN=${ST_CLOUD_TOKEN:-acme-admin-rw}

if ! "$VENV/bin/st" --version 2>/dev/null | grep -q "$ST_VERSION"; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$ST_VERSION"
fi
"$VENV/bin/st" --version

[ -x target/release/soteams-mock ] || cargo build --release --locked

out=$(mktemp -d)
target/release/soteams-mock --port 0 --log-format json >"$out/stdout" 2>"$out/stderr" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
url=""
for _ in $(seq 100); do
  # With --log-format json the banner is one JSON event; its "url" is the base URL.
  url=$(sed -n 's/.*"url":"\(http[^"]*\)".*/\1/p' "$out/stdout" | head -n1)
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$out/stderr"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "the server printed no URL"; cat "$out/stderr"; exit 1; }
echo "server at $url (seed $SEED, $MAX_EXAMPLES examples per operation)"

"$VENV/bin/st" --config-file scripts/schemathesis.toml run "$url/openapi.json" \
  --url "$url" \
  --exclude-path-regex '^/__admin' \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$MAX_EXAMPLES" \
  --seed "$SEED" \
  --workers "$WORKERS" \
  --generation-database none \
  --no-color \
  "$@"
