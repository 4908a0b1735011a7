#!/usr/bin/env bash
# How long a newcomer waits: a fresh clone of this repository, an empty target/ (the
# dependencies already downloaded, as after `cargo fetch`), `cargo run --release`, until the
# first answer of GET /__admin/health. Then the same for `--profile dist` (published binaries),
# and each binary's start-up time and idle memory (examples/measure.rs).
# Usage: scripts/build-time.sh [PROFILE...]   (default: release dist)
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILES=("${@:-release}")
[ $# -gt 0 ] || PROFILES=(release dist)
WORK=$(mktemp -d)
trap 'kill ${SERVER:-} 2>/dev/null || true; rm -rf "$WORK"' EXIT
git clone -q . "$WORK/repo"
cd "$WORK/repo"
cargo fetch --locked -q
echo "== $(nproc) cores, $(rustc --version), commit $(git rev-parse --short HEAD)"
for profile in "${PROFILES[@]}"; do
  rm -rf target
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  start=$(date +%s.%N)
  cargo run -q --locked --profile "$profile" -- --port "$port" > "$WORK/$profile.log" 2>&1 &
  SERVER=$!
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/__admin/health" 2>/dev/null; do
    kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/$profile.log"; exit 1; }
    sleep 0.2
  done
  end=$(date +%s.%N)
  printf "%-8s fresh clone to the first answer: %.0f s\n" "$profile" "$(echo "$end - $start" | bc)"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
  dir=target/$profile
  [ "$profile" = dev ] && dir=target/debug
  cargo build -q --locked --profile "$profile" --example measure
  "$dir/examples/measure" "$dir/soteams-mock" 21 | sed "s/^/$profile: /"
  ls -l "$dir/soteams-mock" | awk -v p="$profile" '{printf "%s: binary %.1f MiB\n", p, $5/1048576}'
done
