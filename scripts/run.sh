#!/usr/bin/env bash
# `make run`: builds License Desk and opens it on a populated demo store (marked DEMO). Without a
# display it runs the app under a virtual display (Xvfb), says so, and saves a screenshot.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

demo_dir="$PWD/target/demo"
store="$demo_dir/store.sqlite"
mkdir -p "$demo_dir"

cargo build --quiet -p licdesk-app -p licdesk-tests --bins
if [ ! -f "$store" ]; then
  echo "run: creating the demo store $store"
  target/debug/make-demo-store --store "$store"
fi
export LICDESK_STORE="$store"
app="$PWD/target/debug/licdesk-app"

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: opening License Desk on the demo store"
  exec "$app"
fi

n=99
while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
echo "run: no display found: running License Desk under a virtual display (Xvfb :$n)"
Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >"$demo_dir/xvfb.log" 2>&1 &
xvfb=$!
export DISPLAY=":$n"
"$app" >"$demo_dir/app.log" 2>&1 &
app_pid=$!
stop() { kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; kill "$xvfb" 2>/dev/null || true; }
trap stop EXIT INT TERM

shown=""
for _ in $(seq 1 100); do
  if ! kill -0 "$app_pid" 2>/dev/null; then
    echo "run: the app stopped early; its log ($demo_dir/app.log) ends with:" >&2
    tail -n 20 "$demo_dir/app.log" >&2
    exit 1
  fi
  if xwininfo -root -tree 2>/dev/null | grep -q '"License Desk"'; then shown=1; break; fi
  sleep 0.2
done
if [ -z "$shown" ]; then
  echo "run: no License Desk window appeared within 20 s; see $demo_dir/app.log" >&2
  exit 1
fi
sleep 4 # first paint of the rows (a loaded machine may take a few seconds)
shot="$demo_dir/screenshot.png"
import -window root "$shot"
echo "run: screenshot of the window: $shot"
if [ -n "${RUN_SECONDS:-}" ]; then
  sleep "$RUN_SECONDS"
else
  echo "run: the app keeps running on the virtual display; press Ctrl+C to stop it"
  wait "$app_pid"
fi
