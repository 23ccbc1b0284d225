#!/usr/bin/python3
"""Loads a UI folder in a WebKitGTK view as licdesk-app shows ui/ (the tauri:// scheme, a window of
1180 x 760, the page's IPC answered from a fixture instead of a store), waits for the
`licdesk:first-rows` mark, lets the memory settle, then prints the page's performance marks and
the PSS of this process and of WebKit's processes below it; then quits.

It is how BENCHMARKS.md attributes the window's start and memory to parts of the page without a
release build per experiment: run it on ui/ and on a copy with one thing changed (no style
sheets, no scripts, performance marks added, a JSC_ option in the environment) and compare.

    DISPLAY=:N WEBKIT_DISABLE_COMPOSITING_MODE=1 bench/page-probe/probe.py UI_DIR [PAGE_JSON]

PAGE_JSON is what `list_licenses` answers (`licdesk --json list --limit 50` of a store; none: an
empty list); `store_info` answers an open store with nothing to report. Needs Debian's
python3-gi and gir1.2-webkit2-4.1 (the system Python).
"""
import json
import mimetypes
import os
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import Gio, GLib, Gtk, WebKit2  # noqa: E402

SETTLE_MS = 4000
EMPTY_PAGE = {"total": 0, "offset": 0, "rows": [], "attention_total": 0}


def mock_tauri(page):
    """The window.__TAURI__ the page's api.js calls, answering from `page`."""
    return """
window.__TAURI__ = {
  core: {
    Channel: class {},
    invoke(command) {
      if (command === 'store_info')
        return Promise.resolve({ path: '/probe/store.sqlite', error: null, clock_behind: null, unverified_journals: [] });
      if (command === 'list_licenses') return Promise.resolve(%s);
      if (command === 'first_rows')
        return Promise.resolve(Array.from({ length: 100 }, (_, i) => ['OMS-FLOOR-' + i, 'Customer ' + i]));
      return Promise.reject({ code: 'internal', message: command });
    },
  },
  event: { listen() { return Promise.resolve(() => {}); } },
};""" % json.dumps(page)


def serve_from(root):
    def serve(request):
        path = os.path.join(root, request.get_path().lstrip("/") or "index.html")
        with open(path, "rb") as f:
            data = f.read()
        mime = "text/javascript" if path.endswith(".js") else mimetypes.guess_type(path)[0] or "text/html"
        request.finish(Gio.MemoryInputStream.new_from_bytes(GLib.Bytes.new(data)), len(data), mime)
    return serve


def pss_mib(pid):
    with open(f"/proc/{pid}/smaps_rollup") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("Pss:")) / 1024


def children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except OSError:
                pass
    return found


def report(view):
    def read(_view, result):
        print(view.evaluate_javascript_finish(result).to_string())
        total = 0.0
        for pid in [os.getpid()] + children(os.getpid()):
            with open(f"/proc/{pid}/comm") as f:
                name = f.read().strip()
            mib = pss_mib(pid)
            total += mib
            print(f"{name:<18} {mib:7.1f} MiB")
        print(f"{'total':<18} {total:7.1f} MiB")
        Gtk.main_quit()
    view.evaluate_javascript(
        "performance.getEntriesByType('mark').map(m => m.name + ' ' + m.startTime.toFixed(0)).join(', ')"
        " + ', DOMContentLoaded handled ' + performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd.toFixed(0)",
        -1, None, None, None, read)
    return False


def main():
    root = os.path.abspath(sys.argv[1])
    page = EMPTY_PAGE
    if len(sys.argv) > 2:
        with open(sys.argv[2]) as f:
            page = json.load(f)
    context = WebKit2.WebContext.get_default()
    context.register_uri_scheme("tauri", serve_from(root))
    context.get_security_manager().register_uri_scheme_as_secure("tauri")
    scripts = WebKit2.UserContentManager()
    scripts.add_script(WebKit2.UserScript.new(
        mock_tauri(page), WebKit2.UserContentInjectedFrames.TOP_FRAME,
        WebKit2.UserScriptInjectionTime.START, None, None))
    view = WebKit2.WebView.new_with_user_content_manager(scripts)
    window = Gtk.Window()
    window.set_default_size(1180, 760)
    window.add(view)
    window.show_all()
    view.load_uri("tauri://localhost/index.html")

    def painted(_view, result):
        if view.evaluate_javascript_finish(result).to_boolean():
            GLib.timeout_add(SETTLE_MS, report, view)
        else:
            GLib.timeout_add(50, poll)

    def poll():
        view.evaluate_javascript(
            "performance.getEntriesByName('licdesk:first-rows').length > 0", -1, None, None, None, painted)
        return False

    GLib.timeout_add(50, poll)
    Gtk.main()


if __name__ == "__main__":
    main()
