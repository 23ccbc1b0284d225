// The window's toolbar, in the header: Import files (Ctrl+O), Find (Ctrl+F), Export activation
// request (Ctrl+E), and Store… (store/store.js wires it). Each button with a shortcut shows it
// and announces it (aria-keyshortcuts), and does what its shortcut does, as the feature that
// registered it says (shortcuts.js). The toolbar is one Tab stop (ARIA toolbar): Left and
// Right, Home and End move between its buttons.
import { hasShortcut, keysOf, runShortcut } from "./shortcuts.js";

const $ = (id) => document.getElementById(id);

/** The toolbar's buttons, in order: Import files, Import from a path, Find, Export, Store… */
function items() {
  return Array.from($("toolbar").querySelectorAll("button")).filter((e) => !e.disabled);
}

function makeStop(item) {
  for (const i of items()) i.setAttribute("tabindex", i === item ? "0" : "-1");
}

/** Wires the toolbar (call once the features have registered their shortcuts). */
export function initToolbar() {
  const bar = $("toolbar");
  for (const button of bar.querySelectorAll("[data-shortcut]")) {
    const name = button.dataset.shortcut;
    button.setAttribute("aria-keyshortcuts", keysOf(name));
    button.disabled = !hasShortcut(name);
    button.addEventListener("click", () => runShortcut(name));
  }
  makeStop(items()[0]);
  bar.addEventListener("keydown", (event) => {
    const all = items();
    const at = all.indexOf(event.target);
    if (at < 0) return;
    const to = {
      ArrowRight: (at + 1) % all.length,
      ArrowLeft: (at - 1 + all.length) % all.length,
      Home: 0,
      End: all.length - 1,
    }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    makeStop(all[to]);
    all[to].focus();
  });
  bar.addEventListener("focusin", (event) => {
    if (items().includes(event.target)) makeStop(event.target);
  });
}
