// What the window says after an action (the status banner), and what it clears when the next
// action begins: a message about an earlier action never stays on screen beside a newer one.
// Actions are clicks on buttons that change something or open something (a license, a dialog,
// a screen, an import, a copy); a language switch is not one, and the texts follow it.
import { say, unsay } from "./i18n.js";
import { dismissError } from "./errors.js";

const $ = (id) => document.getElementById(id);
const clearers = [];

/** Calls `clear` whenever an action begins (each screen clears its own messages). */
export function onActionBegins(clear) {
  clearers.push(clear);
}

/** Shows `render()` in the status banner (replacing what it said), in every language. */
export function showStatus(render) {
  say($("status-text"), render);
  $("status-banner").hidden = false;
}

export function hideStatus() {
  unsay($("status-text"));
  $("status-text").textContent = "";
  $("status-banner").hidden = true;
}

/** A new action begins: the status banner, the error banner and every screen's messages go. */
export function beginAction() {
  hideStatus();
  dismissError();
  for (const clear of clearers) clear();
}
