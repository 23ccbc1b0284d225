// The window's toolbar, in the header: Import files (Ctrl+O), Find (Ctrl+F), Export activation
// request (Ctrl+E). Each button shows its shortcut and announces it (aria-keyshortcuts); each
// does what its shortcut does, as the feature that registered it says (shortcuts.js). The
// toolbar is one Tab stop (ARIA toolbar): Left and Right, Home and End move between its buttons.
import { hasShortcut, keysOf, runShortcut } from "./shortcuts.js";

const $ = (id) => document.getElementById(id);

/** The toolbar's controls, in order: the Import button's file field, Find, Export. */
function items() {
  return Array.from($("toolbar").querySelectorAll("input, button")).filter((e) => !e.disabled);
}

function makeStop(item) {
  for (const i of items()) i.setAttribute("tabindex", i === item ? "0" : "-1");
}

/** Wires the toolbar (call once the features have registered their shortcuts). */
export function initToolbar() {
  const bar = $("toolbar");
  for (const button of bar.querySelectorAll("[data-shortcut]")) {
    const name = button.dataset.shortcut;
    // Announced by the control that takes the focus: the Import button's file field.
    const control = button.tagName === "LABEL" ? button.querySelector("input") : button;
    control.setAttribute("aria-keyshortcuts", keysOf(name));
    // The Import button is the file field's label; Find and Export run what their shortcut runs.
    if (button.tagName === "BUTTON") {
      button.disabled = !hasShortcut(name);
      button.addEventListener("click", () => runShortcut(name));
    }
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
