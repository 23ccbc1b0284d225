#!/usr/bin/env bash
# Runs a Windows program under Wine in License Desk's test prefix: the cargo runner for
# `cargo test --target x86_64-pc-windows-gnu` (.cargo/config.toml) and the Wine tests' launcher.
#
# The prefix (${CARGO_TARGET_DIR:-target}/wine/prefix, or $LICDESK_WINEPREFIX) is made on first
# use (wineboot, 6-12 s, without Mono and Gecko) and gets the test-only ProcessPrng shim
# (tests/wine/shim/). Test setup only: nothing here is part of the product.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
prefix=${LICDESK_WINEPREFIX:-$target/wine/prefix}

fail() { echo "tests/wine/run.sh: $*" >&2; exit 125; }
command -v wine >/dev/null 2>&1 || fail "wine is not installed: run 'make setup' (Debian packages wine, wine64)"
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || fail "x86_64-w64-mingw32-gcc is not installed: run 'make setup' (Debian package gcc-mingw-w64-x86-64)"

export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
unset DISPLAY WAYLAND_DISPLAY

mkdir -p "$(dirname "$prefix")"
(
  flock 9
  if [ ! -e "$prefix/.licdesk-ready" ]; then
    rm -rf "$prefix"
    wineboot --init </dev/null >/dev/null 2>&1 9>&- || fail "wineboot could not make the prefix $prefix"
    wineserver --wait 9>&-
    x86_64-w64-mingw32-gcc -shared -O2 -o "$prefix/drive_c/windows/system32/bcryptprimitives.dll" \
      "$root/tests/wine/shim/bcryptprimitives.c" -ladvapi32 \
      || fail "could not build the ProcessPrng shim for Wine"
    touch "$prefix/.licdesk-ready"
  fi
) 9>"$prefix.lock"

# One server per prefix that outlives each program by a minute (Wine's default is 3 s): with
# programs run one after another under load, a new one could otherwise meet the old server while
# it shuts down and fail without a word. A new server's first program starts Wine's services
# (winedevice, explorer), which live as long as the server and keep the output they were given:
# start them here with none, so that they never hold a test's pipes open (nor the lock: a
# program started under it must not inherit it). The server ends by
# itself a minute after the last program.
(
  flock 9
  if wineserver --persistent=60 </dev/null >/dev/null 2>&1 9>&-; then
    wine cmd /c exit 0 </dev/null >/dev/null 2>&1 9>&- || true
  fi
) 9>"$prefix.lock"

exec wine "$@"
