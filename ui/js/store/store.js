// The Store dialog (toolbar: "Store…"): where the store is now and what this computer keeps for
// it; this computer's store or a team's store by its URL, opened at once and at the next start;
// and sync with a team's store, its progress, its Cancel and its report (report.js). A URL with
// a password is refused by the backend with its own sentence (the password belongs in the
// password file); a store that cannot be opened is said with the store's error texts, and the
// window stays where it was. Nothing the backend sends back holds a password.
import * as api from "../api.js";
import { html } from "../html.js";
import { formatNumber, say, t, translateStatic, unsay } from "../i18n.js";
import { detailPart, explain, explainMarkup, hideIn, showIn } from "../errors.js";
import { beginAction, showStatus } from "../notes.js";
import { close, modal, open } from "../dialogs/modal.js";
import { storeErrorTitle } from "../store-error.js";
import { STORE_DIALOG } from "./markup.js";
import { reportMarkup, reportSentence } from "./report.js";

const $ = (id) => document.getElementById(id);

/** What the backend said of the store when the dialog last asked (`store_choice`). */
let choice = null;
/** Whether a sync runs (its controls disabled, Cancel shown). */
let syncing = false;
/** The window's: after a store was chosen (`storeChanged(choice)`) and after a sync (`refresh()`). */
let hooks = { storeChanged: async () => {}, refresh: async () => {} };

const kind = () => ($("store-kind-team").checked ? "team" : "local");

/** Shows what `choice` says: the store now, what stays on this computer, the choices. */
function renderChoice() {
  const c = choice;
  say($("store-current"), () => c.current || t("store.error.nowhere"));
  say($("store-home"), () =>
    c.home ? html`<span class="mono">${c.home}</span> ${t("storechoice.now.home.what")}` : t("store.error.nowhere"),
  );
  const env = $("store-env");
  if (c.env_store) {
    say(env, () => t("storechoice.env", { store: c.env_store }));
    env.hidden = false;
  } else {
    unsay(env);
    env.hidden = true;
  }
  $("store-local").textContent = c.local || "";
}

/** The error of choosing a store: a refusal said as such; a store that cannot be opened by the store's own texts. */
function choiceErrorMarkup(error, team) {
  if (error && error.params && error.params.refusal) return explainMarkup(error);
  const current = (choice && choice.current) || t("store.error.nowhere");
  const advice = team ? t("storechoice.failed.team", { current }) : t("storechoice.failed.local", { current });
  const detail = detailPart({ ...explain(error), sentence: storeErrorTitle(error) });
  return html`<strong>${storeErrorTitle(error)}</strong> ${advice} ${detail}`;
}

/** Whether the sync's URL names the store the window works on: Sync then has nothing to do. */
async function checkSyncTarget() {
  const url = $("sync-url").value.trim();
  let same = false;
  try {
    same = url !== "" && (await api.isCurrentStore(url));
  } catch (_) {
    same = false;
  }
  if (url !== $("sync-url").value.trim()) return; // typed on meanwhile: the newer check decides
  $("sync-same").hidden = !same;
  $("sync-start").disabled = same || syncing;
}

/** Opens the dialog on what the backend says of the store now. */
export async function openStoreDialog() {
  made();
  beginAction();
  hideIn($("store-choice-error"));
  hideResult();
  try {
    choice = await api.storeChoice();
  } catch (error) {
    choice = { current: "", team: false, home: null, local: null, team_url: null, sync_with: null, env_store: null };
    showIn($("store-choice-error"), error);
  }
  renderChoice();
  $("store-kind-team").checked = choice.team;
  $("store-kind-local").checked = !choice.team;
  $("store-url").value = choice.team_url || "";
  $("store-url").removeAttribute("aria-invalid");
  if (!syncing) {
    hideIn($("sync-error"));
    $("sync-url").value = choice.sync_with || (choice.team ? "" : choice.team_url || "");
  }
  open($("store-dialog"));
  (choice.team ? $("store-kind-team") : $("store-kind-local")).focus();
  await checkSyncTarget();
}

function hideResult() {
  unsay($("store-choice-result"));
  $("store-choice-result").hidden = true;
}

/** Save and open: the store chosen is opened (or refused, and nothing changes). */
async function saveChoice(event) {
  event.preventDefault();
  hideIn($("store-choice-error"));
  hideResult();
  const team = kind() === "team";
  const url = $("store-url").value.trim();
  const save = $("store-save");
  save.disabled = true;
  try {
    choice = await api.chooseStore(team ? url : null);
    $("store-url").removeAttribute("aria-invalid");
    renderChoice();
    const store = choice.current;
    // Kept for the next start, where LICDESK_STORE does not decide instead.
    const key = `storechoice.opened.${team ? "team" : "local"}${choice.env_store ? ".env" : ""}`;
    say($("store-choice-result"), () => t(key, { store }));
    $("store-choice-result").hidden = false;
    // The report of a sync of the store left behind no longer speaks of this one.
    hideReport();
    await hooks.storeChanged(choice);
  } catch (error) {
    say($("store-choice-error"), () => choiceErrorMarkup(error, team));
    $("store-choice-error").hidden = false;
    if (team) {
      $("store-url").setAttribute("aria-invalid", "true");
      $("store-url").focus();
    }
  } finally {
    save.disabled = false;
    await checkSyncTarget();
  }
}

function hideReport() {
  unsay($("sync-report"));
  $("sync-report").textContent = "";
  $("sync-report").hidden = true;
}

function setSyncing(running) {
  syncing = running;
  $("sync-running").hidden = !running;
  $("sync-start").disabled = running;
  $("sync-url").readOnly = running;
  $("store-save").disabled = running;
  $("sync-cancel").disabled = false;
}

function showSteps(steps) {
  say($("sync-steps"), () => (steps === 1 ? t("sync.steps.one") : t("sync.steps", { steps: formatNumber(steps) })));
}

/** Sync: off the window's thread; its progress step by step; its report when done. */
async function startSync(event) {
  event.preventDefault();
  if (syncing || $("sync-start").disabled) return;
  hideIn($("sync-error"));
  hideReport();
  const url = $("sync-url").value.trim();
  setSyncing(true);
  say($("sync-steps"), () => t("sync.running"));
  try {
    const report = await api.syncStore(url, (p) => showSteps(p.steps));
    $("sync-url").removeAttribute("aria-invalid");
    say($("sync-report"), () => reportMarkup(report));
    $("sync-report").hidden = false;
    $("sync-report").scrollIntoView({ block: "nearest" });
    // Seen where the dialog is closed meanwhile: the window's status line says it too.
    if (!$("store-dialog").open) showStatus(() => reportSentence(report));
    await hooks.refresh();
  } catch (error) {
    showIn($("sync-error"), error);
    if (error && error.params && error.params.refusal) {
      $("sync-url").setAttribute("aria-invalid", "true");
      if ($("store-dialog").open) $("sync-url").focus();
    }
  } finally {
    setSyncing(false);
    unsay($("sync-steps"));
    $("sync-steps").textContent = "";
    await checkSyncTarget();
  }
}

async function cancelSync() {
  $("sync-cancel").disabled = true;
  say($("sync-steps"), () => t("sync.cancelling"));
  try {
    await api.cancelSync();
  } catch (error) {
    showIn($("sync-error"), error);
  }
}

/**
 * Wires the dialog. `storeChanged(choice)` runs after another store was opened (the window shows
 * its licenses); `refresh()` after a sync changed the store.
 */
export function initStore({ storeChanged, refresh }) {
  hooks = { storeChanged, refresh };
  $("store-button").addEventListener("click", () => openStoreDialog());
}

/** The dialog, made (in the current language, its controls wired) the first time it is asked for. */
function made() {
  if ($("store-dialog")) return;
  document.body.insertAdjacentHTML("beforeend", STORE_DIALOG);
  const dialog = $("store-dialog");
  translateStatic(dialog);
  modal(dialog);
  $("store-button").setAttribute("aria-controls", "store-dialog");
  $("store-form").addEventListener("submit", saveChoice);
  $("sync-form").addEventListener("submit", startSync);
  $("sync-cancel").addEventListener("click", cancelSync);
  $("store-close").addEventListener("click", () => close($("store-dialog")));
  // Typing a URL is choosing the team's store.
  $("store-url").addEventListener("input", () => {
    $("store-kind-team").checked = true;
    $("store-url").removeAttribute("aria-invalid");
  });
  $("sync-url").addEventListener("input", () => {
    $("sync-url").removeAttribute("aria-invalid");
    checkSyncTarget();
  });
}
