#!/usr/bin/env bash
# Same-run comparison of server configurations, for BENCHMARKS.md ("an optimisation keeps its
# place only with a same-run figure, on and off").
#
# Each configuration is `label=command`, a command line that starts a server listening on
# 127.0.0.1:{port}. All the servers run at once; their standard output and error go to a pipe
# read by `cat`, as CI captures them (a terminal would measure the terminal). Every round runs
# wrk against each configuration in turn while the others idle, and records its req/s and the
# server's CPU time per request (user + system from /proc/PID/stat, threads included, so a log
# writer thread counts). It prints each round, then per configuration the median req/s, the
# median CPU per request and the median of its round-by-round ratio to the first configuration.
#
# Usage: scripts/ab.sh [-d SECONDS] [-r ROUNDS] [-c CONNECTIONS] [-t TOKEN] [-o OUT] PATH 'label=command {port}' ...
# Example:
#   scripts/ab.sh -d 5 -r 5 -t ada-rw '/api/v3/user-groups?pageSize=30' \
#     "logs=target/release/soteams-mock --port {port}" \
#     "no-logs=env RUST_LOG=warn target/release/soteams-mock --port {port}"
set -euo pipefail
DURATION=10 ROUNDS=5 CONNS=32 TOKEN="" OUT=target/ab
while getopts "d:r:c:t:o:" opt; do
  case $opt in
    d) DURATION=$OPTARG ;;
    r) ROUNDS=$OPTARG ;;
    c) CONNS=$OPTARG ;;
    t) TOKEN=$OPTARG ;;
    o) OUT=$OPTARG ;;
    *) sed -n '2,20p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 2 ] || { sed -n '2,20p' "$0"; exit 2; }
ROUTE=$1
shift
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
mkdir -p "$OUT"
TICK=$(getconf CLK_TCK)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

labels=() pids=() ports=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
for config in "$@"; do
  label=${config%%=*}
  command=${config#*=}
  port=$(free_port)
  command=${command//\{port\}/$port}
  eval "exec $command" > >(cat >/dev/null) 2>&1 &
  pids+=("$!") labels+=("$label") ports+=("$port")
done
auth=()
[ -n "$TOKEN" ] && auth=(-H "Authorization: Bearer $TOKEN")
for i in "${!ports[@]}"; do
  for _ in $(seq 1 200); do
    curl -fsS -o /dev/null "${auth[@]}" "http://127.0.0.1:${ports[$i]}$ROUTE" 2>/dev/null && break
    sleep 0.05
  done
  curl -fsS -o /dev/null "${auth[@]}" "http://127.0.0.1:${ports[$i]}$ROUTE" ||
    { echo "${labels[$i]} does not answer $ROUTE"; exit 1; }
done

: > "$OUT/rounds.tsv"
for round in $(seq 1 "$ROUNDS"); do
  for i in "${!ports[@]}"; do
    before=$(cpu_ticks "${pids[$i]}")
    wrk -t2 -c"$CONNS" -d"${DURATION}s" "${auth[@]}" "http://127.0.0.1:${ports[$i]}$ROUTE" > "$OUT/wrk.txt"
    after=$(cpu_ticks "${pids[$i]}")
    requests=$(awk '/requests in/ {print $1}' "$OUT/wrk.txt")
    rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk.txt")
    errors=$(awk '/Non-2xx|Socket errors/ {print}' "$OUT/wrk.txt")
    [ -z "$errors" ] || echo "   ${labels[$i]}: $errors"
    cpu_us=$(python3 -c "print(f'{($after - $before) / $TICK / $requests * 1e6:.2f}')")
    printf "round %d  %-24s %10s req/s   %6s µs CPU/request\n" "$round" "${labels[$i]}" "$rps" "$cpu_us"
    printf "%s\t%s\t%s\t%s\n" "$round" "${labels[$i]}" "$rps" "$cpu_us" >> "$OUT/rounds.tsv"
  done
done

python3 - "$OUT/rounds.tsv" "${labels[@]}" <<'PY'
import collections, statistics, sys
path, labels = sys.argv[1], sys.argv[2:]
rps, cpu = collections.defaultdict(dict), collections.defaultdict(dict)
for line in open(path):
    r, label, q, c = line.split("\t")
    rps[label][r], cpu[label][r] = float(q), float(c)
first = labels[0]
print(f"{'configuration':24} {'median req/s':>13} {'range':>19} {'µs CPU/req':>11} {'× ' + first + ' (median of rounds)':>30}")
for label in labels:
    qs = list(rps[label].values())
    ratios = [rps[label][r] / rps[first][r] for r in rps[label]]
    print(f"{label:24} {statistics.median(qs):13.0f} {min(qs):9.0f}–{max(qs):<9.0f} "
          f"{statistics.median(cpu[label].values()):11.2f} {statistics.median(ratios):30.3f}"
          f"   (rounds: {', '.join(f'{x:.2f}' for x in ratios)})")
PY
