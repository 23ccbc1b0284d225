// The window's keyboard shortcuts: Ctrl+O imports files, Ctrl+F finds a license, Ctrl+E exports
// an activation request (⌘ instead of Ctrl on a Mac). Each feature registers what its shortcut
// does; a shortcut nobody registered, or one pressed while a dialog is open, does nothing.
const SHORTCUTS = { o: "import", f: "search", e: "export" };
const handlers = {};

/** `name` is "import", "search" or "export"; `handler` runs when its shortcut is pressed. */
export function onShortcut(name, handler) {
  handlers[name] = handler;
}

/** Whether a feature registered what `name` does. */
export function hasShortcut(name) {
  return Boolean(handlers[name]);
}

/** Does what `name`'s shortcut does, as a toolbar button does (true: something was registered). */
export function runShortcut(name) {
  if (!handlers[name]) return false;
  handlers[name]();
  return true;
}

/** The shortcut's keys as aria-keyshortcuts names them ("Control+O"). */
export function keysOf(name) {
  const key = Object.keys(SHORTCUTS).find((k) => SHORTCUTS[k] === name);
  return key ? `Control+${key.toUpperCase()}` : "";
}

export function initShortcuts() {
  document.addEventListener("keydown", (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    const name = SHORTCUTS[event.key.toLowerCase()];
    if (!name || !handlers[name]) return;
    if (document.querySelector("dialog[open]")) return;
    event.preventDefault();
    handlers[name]();
  });
}
