#!/usr/bin/env bash
# A statically linked Linux x86-64 binary of soteams-mock, for any x86-64 Linux and any image
# (`scratch`, `distroless/static`): glibc's static libraries (`-C target-feature=+crt-static`)
# with an explicit `--target`, so that the flag reaches the binary and not the build scripts and
# proc macros, which run on the host (the README's "Install" and docs/ci.md).
#
# Usage: scripts/build-static.sh [PROFILE]   (release by default; `dist` for published binaries)
# The last line printed is the binary's absolute path. Build output goes to standard error.
#
# Needs glibc's static libraries (Debian: libc6-dev, which gcc brings). It names host names with
# getaddrinfo only for a --host that is not an IP address; pass an address (127.0.0.1, 0.0.0.0).
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=x86_64-unknown-linux-gnu
PROFILE=${1:-release}
[ "$(uname -m)" = x86_64 ] || { echo "build-static.sh builds for x86-64 Linux; this is $(uname -m)" >&2; exit 2; }

RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static" \
  cargo build --locked --profile "$PROFILE" --target "$TARGET" --bin soteams-mock >&2

dir=$PROFILE
[ "$PROFILE" = dev ] && dir=debug
binary=$PWD/target/$TARGET/$dir/soteams-mock
# A static binary has no interpreter: ldd says so ("not a dynamic executable" or "statically
# linked", depending on the glibc), and lists no library.
if ldd "$binary" 2>&1 | grep -q '=>'; then
  echo "$binary is not static:" >&2
  ldd "$binary" >&2
  exit 1
fi
echo "$binary"
