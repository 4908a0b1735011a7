#!/usr/bin/env bash
# Load and startup figures for BENCHMARKS.md. Builds the release binary, then measures:
#   1. startup time and idle RSS (default fixtures), and load time + RSS of a generated
#      100k-account fixture (examples/measure.rs, medians over repeated runs);
#   2. throughput and p50/p99 latency with wrk (32 connections) on three routes;
#   3. usersync server time for a 10k roster against a 10k team (journal durationMs);
#   4. a bare axum server answering the same bytes as GET /api/v3/user-groups?pageSize=30, in
#      the same run, and the ratio of each configuration's throughput to it: the binary as it
#      runs by default (request logs on, written to a pipe) and with request logs off
#      (RUST_LOG=warn). ROUNDS rounds, each measuring the three in turn while the others idle,
#      and the median of the rounds' ratios (scripts/ab.sh).
# Everything runs on 127.0.0.1; every loop is bounded.
# Usage: scripts/load.sh [SECONDS] [ROUNDS]   (defaults: 10 s per run, 5 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
ROUNDS="${2:-5}"
OUT=target/load
mkdir -p "$OUT"

if ! command -v wrk >/dev/null; then
  echo "== installing wrk (Debian)"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; else sudo apt-get update -qq && sudo apt-get install -y -qq wrk >/dev/null; fi
fi

echo "== building (release)"
cargo build --release --bins --example bare_axum --example measure -q
BIN=target/release/soteams-mock
MEASURE=target/release/examples/measure

echo "== machine"
echo "$(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{printf "%.0f GiB", $2/1048576}'), $(uname -sr), $(rustc --version)"

echo "== startup and idle memory, default fixtures"
"$MEASURE" "$BIN" 21

echo "== generated fixture: 100k accounts, 20 sites, 20k groups, 50k tags"
BIG="$OUT/big.json"
[ -f "$BIG" ] || target/release/soteams-gen-fixtures --out "$BIG"
ls -l "$BIG" | awk '{printf "size: %.1f MiB\n", $5/1048576}'
/usr/bin/env time -f "check (load + validate): %e s wall, max RSS %M KiB" "$BIN" --check --fixtures "$BIG" 2>&1 | tail -1 || true
"$MEASURE" "$BIN" 5 --fixtures "$BIG"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 1 200); do curl -fsS -o /dev/null -H "Authorization: Bearer ada-rw" "$1" 2>/dev/null && return 0; sleep 0.05; done; echo "server did not start"; exit 1; }
run_wrk() { # key label url [token]
  local args=(-t2 -c32 -d"${DURATION}s" --latency)
  [ -n "${4:-}" ] && args+=(-H "Authorization: Bearer $4")
  wrk "${args[@]}" "$3" > "$OUT/$1.txt"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$1.txt")
  p50=$(awk '$1=="50%" {print $2}' "$OUT/$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "$OUT/$1.txt")
  printf "%-52s %10s req/s   p50 %8s   p99 %8s\n" "$2" "$rps" "$p50" "$p99"
  echo "$rps" > "$OUT/$1.rps"
}

echo "== usersync: one team, a 10k roster against 10k current users (21 dry runs)"
SYNC="$OUT/sync.json"
[ -f "$SYNC" ] || target/release/soteams-gen-fixtures --accounts 20000 --sites 2 --groups 10 --tags 10 --users-per-team 10000 --out "$SYNC"
# team-1 has the accounts E000001…E010000; the roster keeps 5k, removes 5k and adds 5k.
python3 - "$OUT/sync-form.txt" <<'PY'
import json, sys, urllib.parse
members = [{"UserIdentifier": f"E{i:06}", "Level": "Member"} for i in range(5001, 15001)]
form = {"access_token": "admin-rw", "key": "local-key", "dryRun": "true",
        "requestsJson": json.dumps([{"Team": "team-1", "Members": members}])}
open(sys.argv[1], "w").write(urllib.parse.urlencode(form))
PY
SPORT=$(free_port)
"$BIN" --port "$SPORT" --fixtures "$SYNC" > >(cat >/dev/null) 2>&1 &
SYNCER=$!
wait_up "http://127.0.0.1:$SPORT/__admin/health"
for _ in $(seq 1 21); do
  curl -fsS -o "$OUT/sync-answer.json" -H "Content-Type: application/x-www-form-urlencoded" \
    --data-binary @"$OUT/sync-form.txt" "http://127.0.0.1:$SPORT/api/2.3/enterprise/usersync"
done
python3 -c '
import collections, json, sys
result = json.load(open(sys.argv[1]))["items"][0]["Results"][0]
changes = collections.Counter(c["Change"] for c in result["SyncResult"]["IntendedChanges"])
status = result["StatusCode"]
print(f"team status {status}, intended changes {dict(changes)}")
assert status == "SuccessfulDryRun", status' "$OUT/sync-answer.json"
curl -fsS "http://127.0.0.1:$SPORT/__admin/requests?api=usersync" | python3 -c '
import json, statistics, sys
ms = [r["durationMs"] for r in json.load(sys.stdin)["requests"] if r["status"] == 200]
print(f"server time (journal durationMs): median {statistics.median(ms):.1f} ms of {len(ms)} (min {min(ms):.1f}, max {max(ms):.1f})")'
kill $SYNCER; wait $SYNCER 2>/dev/null || true

echo "== throughput (wrk -t2 -c32 -d${DURATION}s) of two more routes, request logs on"
PORT=$(free_port)
"$BIN" --port "$PORT" > >(cat >/dev/null) 2>&1 &
MOCK=$!
trap 'kill $MOCK 2>/dev/null || true' EXIT
BASE="http://127.0.0.1:$PORT"
wait_up "$BASE/api/v3/users/me"
ROUTE="/api/v3/user-groups?pageSize=30"
curl -fsS -H "Authorization: Bearer ada-rw" "$BASE$ROUTE" > "$OUT/user-groups.json"
run_wrk mock-tags "mock GET /api/v3/tags?pageSize=30&sort=name" "$BASE/api/v3/tags?pageSize=30&sort=name" ada-rw
run_wrk mock-me "mock GET /api/v3/users/me" "$BASE/api/v3/users/me" ada-rw
kill $MOCK; wait $MOCK 2>/dev/null || true

echo "== the ratios to a bare axum server answering the same bytes, $ROUNDS rounds"
scripts/ab.sh -d "$DURATION" -r "$ROUNDS" -t ada-rw -o "$OUT/ab" "$ROUTE" \
  "bare=target/release/examples/bare_axum {port} /api/v3/user-groups $OUT/user-groups.json" \
  "default, request logs on (to a pipe)=$BIN --port {port}" \
  "request logs off (RUST_LOG is warn)=env RUST_LOG=warn $BIN --port {port}"
echo "targets: >= 0.80 with request logs on, >= 0.90 with them off"
