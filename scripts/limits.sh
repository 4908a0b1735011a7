#!/usr/bin/env bash
# Figures of the limits (BENCHMARKS.md, "Limits"), from the release binary in its default
# configuration (request logs on, to a pipe):
#   1. the memory of one usersync call at the largest body, per body shape
#      (examples/usersync_memory.rs);
#   2. throughput of GET /api/v3/users/me with no fault rule and with the most an instance
#      keeps (256, none matching), in turns on one server, ROUNDS rounds of SECONDS each.
# Usage: scripts/limits.sh [SECONDS] [ROUNDS]   (defaults: 5 s, 5 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-5}"
ROUNDS="${2:-5}"
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }
cargo build --release -q --bins --example usersync_memory
BIN=target/release/soteams-mock

echo "== usersync memory at the largest body"
target/release/examples/usersync_memory "$BIN"

echo "== GET /api/v3/users/me, 0 against 256 fault rules (none matching), wrk -t2 -c32"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" --port "$port" > /dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
M="http://127.0.0.1:$port"
until curl -fsS -o /dev/null "$M/__admin/health"; do sleep 0.1; done
rate() {
  wrk -t2 -c32 -d"${DURATION}s" -H 'Authorization: Bearer ada-rw' "$M/api/v3/users/me" |
    awk '/Requests\/sec/ {print $2}'
}
for round in $(seq "$ROUNDS"); do
  curl -fsS -o /dev/null -X DELETE "$M/__admin/faults"
  none=$(rate)
  for i in $(seq 256); do
    curl -fsS -o /dev/null --json "{\"match\":{\"method\":\"GET\",\"path\":\"/api/v3/users/*/nowhere/$i\"},\"action\":{\"status\":503}}" "$M/__admin/faults"
  done
  full=$(rate)
  echo "round $round: 0 rules $none req/s, 256 rules $full req/s, ratio $(echo "scale=3; $full / $none" | bc)"
done
