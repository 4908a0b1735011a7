#!/usr/bin/env bash
# The CI recipe of docs/ci.md, as one script a CI job calls (copy it into your repository):
#
#   install   the soteams-mock binary, from the cache directory, or built into it once
#             (`cargo install --locked --root CACHE SOURCE`);
#   run CMD   start it on a free port of 127.0.0.1, wait until GET /__admin/health answers, run
#             CMD with SOTEAMS_MOCK_URL set (the Python plugin and the JavaScript helpers then use
#             this server, and each test takes a sandbox of its own) and SOTEAMS_MOCK_BIN (for
#             tests that start a server of their own), stop it with SIGTERM, and exit with CMD's
#             status;
#   all CMD   both.
#
# Usage: scripts/ci-recipe.sh install | run CMD [ARG...] | all CMD [ARG...]
# Env:   SOTEAMS_MOCK_CACHE   the cache directory (default .soteams-mock); the binary is
#                             CACHE/bin/soteams-mock. Cache it under a key that names the
#                             soteams-mock revision.
#        SOTEAMS_MOCK_SOURCE  what `cargo install` builds when the cache is empty: `--git URL
#                             --rev REV` in a job; `--path . --target-dir target` in this
#                             repository's own CI (.ci/run), which reuses its release build.
#        SOTEAMS_MOCK_ARGS    more flags for the server (`--fixtures tests/world.json`).
# Needs curl.
set -euo pipefail

CACHE=${SOTEAMS_MOCK_CACHE:-.soteams-mock}
BIN=$CACHE/bin/soteams-mock

install() {
  if [ -x "$BIN" ]; then
    echo "soteams-mock from the cache: $BIN"
  else
    if [ -z "${SOTEAMS_MOCK_SOURCE:-}" ]; then
      echo "no $BIN in the cache, and SOTEAMS_MOCK_SOURCE does not say what to build" >&2
      exit 2
    fi
    local start=$SECONDS
    # shellcheck disable=SC2086 # the source is several words
    cargo install --locked --root "$CACHE" $SOTEAMS_MOCK_SOURCE
    echo "soteams-mock installed into $CACHE in $((SECONDS - start)) s"
  fi
  "$BIN" --version
}

run() {
  [ $# -gt 0 ] || { echo "run: which suite? (e.g. run pytest -n auto)" >&2; exit 2; }
  [ -x "$BIN" ] || { echo "no $BIN: run '$0 install' first" >&2; exit 2; }
  local work server url status=0
  work=$(mktemp -d)
  # shellcheck disable=SC2086 # the flags are several words
  "$BIN" --port 0 --host 127.0.0.1 --ready-file "$work/ready" ${SOTEAMS_MOCK_ARGS:-} \
    >"$work/server.log" 2>&1 &
  server=$!
  trap 'kill -TERM '"$server"' 2>/dev/null || true; rm -rf '"$work" EXIT

  # The ready file holds the URL once the server listens; health then answers.
  for _ in $(seq 300); do
    if [ -s "$work/ready" ] && curl -fsS -o /dev/null "$(cat "$work/ready")/__admin/health"; then
      url=$(cat "$work/ready")
      break
    fi
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "${url:-}" ] || { echo "soteams-mock did not answer within 30 s" >&2; cat "$work/server.log" >&2; exit 1; }
  echo "soteams-mock at $url: $(curl -fsS "$url/__admin/health")"

  # The suite's own helpers start more servers (if it asks them to) from the same binary.
  SOTEAMS_MOCK_URL=$url SOTEAMS_MOCK_BIN=$(cd "$(dirname "$BIN")" && pwd)/soteams-mock "$@" || status=$?

  if [ "$status" -ne 0 ]; then
    echo "the suite failed ($status); the server's last log lines:" >&2
    tail -n 40 "$work/server.log" >&2
  fi
  kill -TERM "$server"
  if ! wait "$server"; then
    echo "soteams-mock did not stop cleanly" >&2
    [ "$status" -ne 0 ] || status=1
  fi
  trap - EXIT
  rm -rf "$work"
  return "$status"
}

case ${1:-} in
  install) install ;;
  run) shift; run "$@" ;;
  all) shift; install; run "$@" ;;
  *) echo "usage: $0 install | run CMD [ARG...] | all CMD [ARG...]" >&2; exit 2 ;;
esac
