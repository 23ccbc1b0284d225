#!/usr/bin/env bash
# Sets up a fresh Debian machine for building, running, testing and packaging License Desk.
# Idempotent: installs only what is missing — system packages with apt, using sudo when not root
# (among them, for the packages and their tests: the mingw-w64 cross compiler, Wine, wixl and
# msitools, zip/unzip; for the test of `licdesk check` in real monitoring: Nagios 4,
# nagios4-core; for the end-to-end test of a usage journal overdue, a standby's whole chain made
# days ago: faketime; esbuild, which bundles the window's scripts into the one file the app
# embeds; nodejs, in which a test compares the window's number and date formats with Intl's;
# postgresql (15), whose initdb and pg_ctl the tests run for a throwaway cluster of their own:
# the vendor's ledger on PostgreSQL); the Rust target x86_64-pc-windows-gnu with rustup; tauri-driver, cargo-machete
# and cargo-deb with cargo; axe-core, the accessibility rules the end-to-end tests run in the
# window, from the npm registry into the target folder (never into the repository).
set -euo pipefail

say() { printf 'setup: %s\n' "$*"; }

packages=(libwebkit2gtk-4.1-dev build-essential pkg-config xvfb xauth webkit2gtk-driver imagemagick x11-utils python3 python3-venv
  curl ca-certificates dpkg-dev gcc-mingw-w64-x86-64 wine wine64 wixl msitools zip unzip nagios4-core faketime esbuild nodejs postgresql)

if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    echo "setup: cargo is not installed: install the Rust toolchain (https://rustup.rs) and run this again" >&2
    exit 1
  fi
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  say "installing system packages: ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  say "system packages present"
fi

if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  say "installing tauri-driver (cargo install tauri-driver --locked --version ^2)"
  cargo install tauri-driver --locked --version '^2' --quiet
else
  say "tauri-driver present"
fi

if ! command -v cargo-machete >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/cargo-machete" ]; then
  say "installing cargo-machete (cargo install cargo-machete --locked --version ^0.9)"
  cargo install cargo-machete --locked --version '^0.9' --quiet
else
  say "cargo-machete present"
fi

if ! rustup target list --installed 2>/dev/null | grep -qx x86_64-pc-windows-gnu; then
  command -v rustup >/dev/null 2>&1 || { echo "setup: rustup is missing: install the Rust toolchain with rustup (https://rustup.rs) to add the Windows target" >&2; exit 1; }
  say "adding the Rust target x86_64-pc-windows-gnu (rustup target add)"
  rustup target add x86_64-pc-windows-gnu
else
  say "Rust target x86_64-pc-windows-gnu present"
fi

if ! command -v cargo-deb >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/cargo-deb" ]; then
  say "installing cargo-deb (cargo install cargo-deb --locked --version ^3)"
  cargo install cargo-deb --locked --version '^3' --quiet
else
  say "cargo-deb present"
fi

# axe-core for tests/e2e/accessibility.rs: one pinned version, its tarball checked against the
# integrity hash the npm registry publishes for it (`npm view axe-core@VERSION dist.integrity`),
# unpacked into $CARGO_TARGET_DIR (or target/) where the test looks for it.
AXE_VERSION=4.10.3
AXE_INTEGRITY=sha512-Xm7bpRXnDSX2YE2YFfBk2FnF0ep6tmG7xPh8iHee8MIcrgq762Nkce856dYtJYLkuIoYZvGfTs/PbZhideTcEg==
axe_dir="${CARGO_TARGET_DIR:-$(cd "$(dirname "$0")/.." && pwd)/target}/axe-core-$AXE_VERSION"
if [ ! -s "$axe_dir/axe.min.js" ]; then
  say "fetching axe-core $AXE_VERSION from the npm registry"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  curl -fsSL --retry 3 -o "$tmp/axe.tgz" "https://registry.npmjs.org/axe-core/-/axe-core-$AXE_VERSION.tgz"
  got="sha512-$(python3 -c 'import base64, hashlib, sys; print(base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$tmp/axe.tgz")"
  if [ "$got" != "$AXE_INTEGRITY" ]; then
    echo "setup: the axe-core $AXE_VERSION tarball does not match its published integrity hash ($got)" >&2
    exit 1
  fi
  tar -xzf "$tmp/axe.tgz" -C "$tmp" package/axe.min.js package/LICENSE
  mkdir -p "$axe_dir"
  mv "$tmp/package/axe.min.js" "$tmp/package/LICENSE" "$axe_dir/"
else
  say "axe-core $AXE_VERSION present"
fi
