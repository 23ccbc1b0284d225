#!/usr/bin/env bash
# Builds License Desk's packages into one folder (default: <target dir>/package, where the target
# dir is CARGO_TARGET_DIR or ./target):
#   licdesk_<version>-1_amd64.deb          the window (licdesk-app), the licdesk command line,
#                                          the menu entry "License Desk" and its icon
#   licdesk-issuer_<version>-1_amd64.deb   the vendor tool, a package of its own
#   license-desk-<version>-x64.msi         Windows: the window, WebView2Loader.dll, licdesk.exe on
#                                          the system PATH, a Start-menu shortcut "License Desk"
#   licdesk-issuer-<version>-windows-x64.zip   the vendor tool for Windows, with a README
#
#   scripts/package.sh [--profile release|debug] [--out DIR] [--no-build] [--msi-only VERSION]
#
# --profile: which build to package (release by default: `make package`; the package tests use
# the debug build `make build` made). --no-build: package the binaries already built, refuse
# when one is missing. --msi-only VERSION: only the msi, numbered VERSION instead of the
# workspace version (the tests' "newer" msi that must replace the current one). Needs cargo-deb, wixl and msibuild (msitools), and the Windows target
# (scripts/setup.sh installs them).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
profile=release
out=""
build=1
msi_only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) profile="${2:?--profile needs release or debug}"; shift 2 ;;
    --out) out="${2:?--out needs a folder}"; shift 2 ;;
    --no-build) build=0; shift ;;
    --msi-only) msi_only="${2:?--msi-only needs a version}"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "package: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$profile" in
  release) cargo_profile=(--release) ;;
  debug) cargo_profile=() ;;
  *) echo "package: --profile is release or debug, not $profile" >&2; exit 2 ;;
esac

say() { printf 'package: %s\n' "$*"; }
need() {
  command -v "$1" >/dev/null 2>&1 || { echo "package: $1 is missing: run scripts/setup.sh (make setup)" >&2; exit 1; }
}
need cargo
need cargo-deb
need wixl
need msibuild
need msiinfo
need zip

target_dir="${CARGO_TARGET_DIR:-$root/target}"
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac
windows=x86_64-pc-windows-gnu
linux_bin="$target_dir/$profile"
windows_bin="$target_dir/$windows/$profile"
out="${out:-$target_dir/package}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# The workspace version: the version of every package.
version="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' "$root/Cargo.toml")"
[ -n "$version" ] || { echo "package: no version in [workspace.package] of Cargo.toml" >&2; exit 1; }
# An MSI version is numbers only (major.minor.build).
msi_version="${version%%[-+]*}"
if [ -n "$msi_only" ]; then
  msi_version="$msi_only"
  version="$msi_only"
fi

cd "$root"
if [ "$build" = 1 ]; then
  say "building the $profile binaries for Linux and for Windows ($windows)"
  cargo build "${cargo_profile[@]}" -p licdesk -p licdesk-issuer -p licdesk-app
  cargo build "${cargo_profile[@]}" --target "$windows" -p licdesk -p licdesk-issuer -p licdesk-app
fi
missing=()
for f in "$linux_bin/licdesk-app" "$linux_bin/licdesk" "$linux_bin/licdesk-issuer" \
  "$windows_bin/licdesk-app.exe" "$windows_bin/WebView2Loader.dll" "$windows_bin/licdesk.exe" \
  "$windows_bin/licdesk-issuer.exe"; do
  [ -f "$f" ] || missing+=("$f")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "package: not built: ${missing[*]} (run make build for the debug build, make package for release)" >&2
  exit 1
fi

stage="$(mktemp -d "$out/.stage.XXXXXX")"
trap 'rm -rf "$stage"' EXIT

if [ -z "$msi_only" ]; then
  # --- Debian: cargo-deb packages the binaries built above (its assets name target/release/...:
  # a staging target dir holds this profile's binaries under release/, so nothing is rebuilt).
  mkdir -p "$stage/deb/release"
  cp "$linux_bin/licdesk-app" "$linux_bin/licdesk" "$linux_bin/licdesk-issuer" "$stage/deb/release/"
  deb_options=(--no-build --quiet --output "$out")
  [ "$profile" = debug ] && deb_options+=(--fast)
  for crate in licdesk-app licdesk-issuer; do
    CARGO_TARGET_DIR="$stage/deb" cargo deb -p "$crate" "${deb_options[@]}" >/dev/null
  done
  say "wrote $out/licdesk_${version}-1_amd64.deb and $out/licdesk-issuer_${version}-1_amd64.deb"
fi

# --- Windows: the customer's msi (wixl), then the PATH entry (msibuild: wixl has no
# <Environment>). The Environment row appends [INSTALLDIR] to the system PATH (=-*PATH:
# set at install, only this part removed at uninstall, system variable).
mkdir -p "$stage/msi"
cp "$windows_bin/licdesk-app.exe" "$windows_bin/WebView2Loader.dll" "$windows_bin/licdesk.exe" \
  "$root/src-tauri/icons/icon.ico" "$root/packaging/windows/license-desk.wxs" \
  "$root/packaging/windows/environment.idt" "$stage/msi/"
msi="$out/license-desk-${version}-x64.msi"
rm -f "$msi"
(
  cd "$stage/msi"
  wixl -a x64 -D Version="$msi_version" -o license-desk.msi license-desk.wxs
  msibuild license-desk.msi -i environment.idt
  for action in "RemoveEnvironmentStrings 3300" "WriteEnvironmentStrings 5200"; do
    set -- $action
    if ! msiinfo export license-desk.msi InstallExecuteSequence | grep -q "^$1"$'\t'; then
      msibuild license-desk.msi -q "INSERT INTO InstallExecuteSequence (Action, Sequence) VALUES ('$1', $2)"
    fi
  done
)
mv "$stage/msi/license-desk.msi" "$msi"
say "wrote $msi"
[ -z "$msi_only" ] || exit 0

# --- The vendor tool for Windows: a zip with the exe and a README (never in the msi).
mkdir -p "$stage/issuer/licdesk-issuer-$version"
cp "$windows_bin/licdesk-issuer.exe" "$stage/issuer/licdesk-issuer-$version/"
sed "s/VERSION/$version/" "$root/packaging/windows/issuer-README.txt" \
  | sed 's/$/\r/' >"$stage/issuer/licdesk-issuer-$version/README.txt"
zip_file="$out/licdesk-issuer-${version}-windows-x64.zip"
rm -f "$zip_file"
(cd "$stage/issuer" && zip -q -r "$zip_file" "licdesk-issuer-$version")
say "wrote $zip_file"
