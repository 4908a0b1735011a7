#!/usr/bin/env bash
# CPU instructions per request, the noise-proof companion of scripts/ab.sh: wall-clock figures
# on a shared 2-core machine move by 10-20 %, instruction counts by about 1-2 % (the allocator's
# work varies from run to run; run twice). Each server runs under valgrind's callgrind with
# request logs off (RUST_LOG=warn), gets a 3 s warm-up from wrk, then its counters are zeroed,
# wrk runs DURATION seconds, and the counters are dumped: instructions (Ir, user space only;
# system calls are not counted) divided by the requests wrk completed.
#
# Each configuration is `label=binary`: a soteams-mock binary, or the bare axum example (its
# label must start with "bare"; it answers the bytes the first mock answered). The callgrind
# files stay in OUT/LABEL/ for `callgrind_annotate --inclusive=yes`.
#
# Usage: scripts/instructions.sh [-d SECONDS] [-c CONNECTIONS] [-o OUT] 'label=binary' ...
# Example:
#   scripts/instructions.sh "before=/tmp/before/soteams-mock" "after=target/release/soteams-mock" \
#     "bare=target/release/examples/bare_axum"
set -euo pipefail
DURATION=10 CONNS=32 OUT=target/instructions
while getopts "d:c:o:" opt; do
  case $opt in
    d) DURATION=$OPTARG ;;
    c) CONNS=$OPTARG ;;
    o) OUT=$OPTARG ;;
    *) sed -n '2,17p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { sed -n '2,17p' "$0"; exit 2; }
command -v valgrind >/dev/null || { echo "valgrind is missing: apt-get install -y valgrind"; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
ROUTE="/api/v3/user-groups?pageSize=30"
AUTH=(-H "Authorization: Bearer ada-rw")
mkdir -p "$OUT"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

pid=""
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true' EXIT
for config in "$@"; do
  label=${config%%=*}
  bin=${config#*=}
  dir="$OUT/$label"
  rm -rf "$dir" && mkdir -p "$dir"
  port=$(free_port)
  if [[ $label == bare* ]]; then
    [ -f "$OUT/body.json" ] || { echo "$label: measure a mock first (its answer is the bare server's body)"; exit 1; }
    args=("$port" /api/v3/user-groups "$OUT/body.json")
  else
    args=(--port "$port")
  fi
  RUST_LOG=warn valgrind --tool=callgrind --compress-strings=no --compress-pos=no \
    --callgrind-out-file="$dir/callgrind.out" "$bin" "${args[@]}" >"$dir/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "${AUTH[@]}" "http://127.0.0.1:$port$ROUTE" 2>/dev/null && break
    sleep 0.1
  done
  [[ $label == bare* ]] || curl -fsS "${AUTH[@]}" "http://127.0.0.1:$port$ROUTE" >"$OUT/body.json"
  wrk -t2 -c"$CONNS" -d3s "${AUTH[@]}" "http://127.0.0.1:$port$ROUTE" >/dev/null
  callgrind_control -z "$pid" >/dev/null 2>&1
  wrk -t2 -c"$CONNS" -d"${DURATION}s" "${AUTH[@]}" "http://127.0.0.1:$port$ROUTE" >"$dir/wrk.txt"
  sleep 1
  callgrind_control -d "$pid" >/dev/null 2>&1
  sleep 1
  kill "$pid"; wait "$pid" 2>/dev/null || true
  pid=""
  requests=$(awk '/requests in/ {print $1}' "$dir/wrk.txt")
  ir=$(awk '/^summary:/ {print $2; exit}' "$dir"/callgrind.out.*1)
  printf "%-24s %8s requests   %6.0f instructions/request\n" "$label" "$requests" \
    "$(python3 -c "print($ir / $requests)")"
done
