// The License Desk window: wires the screens together and starts them. The licenses list
// (list/), the detail panel (detail/) with its five-day view (five-days/), what concerns the
// whole store (journals/), the dialogs (dialogs/), the import of files (import/), where the
// store is and sync (store/) and the other screens (pages.js) are each their own module; the
// state they share is in state.js.
import * as api from "./api.js";
import { initLanguage, language, onLanguage, relabel, say, setLanguage, t } from "./i18n.js";
import { clearError, showError } from "./errors.js";
import { beginAction, hideStatus } from "./notes.js";
import { initImport } from "./import/import.js";
import { closeOpenDialog, initDialogs } from "./dialogs/dialogs.js";
import { initPages, renderKeys, renderMachine } from "./pages.js";
import { initList, loadList, renderList, requestPage } from "./list/list.js";
import { closeDetail, initDetail, openDetail, renderDetail } from "./detail/detail.js";
import { initJournals, loadStoreWide, renderJournals, showStoreWide } from "./journals/journals.js";
import { state } from "./state.js";
import { initCopy } from "./copy.js";
import { initShortcuts } from "./shortcuts.js";
import { hideStoreError, showStoreError } from "./store-error.js";
import { initStore } from "./store/store.js";
import { initToolbar } from "./toolbar.js";
import { setZone } from "./clock.js";

const $ = (id) => document.getElementById(id);

// The page loads this script `async`: it runs as soon as it has arrived, perhaps before the
// document is parsed and painted. Its first two questions leave then, and the backend reads the
// store while the page paints and wires its screens up (`start`, once the document is parsed).
// When the store cannot be opened, the first answer says why and the page asked is dropped.
// (Each answer gets a handler now: one that arrives before `start` waits for it is no unhandled
// rejection.)
const firstInfo = api.storeInfo();
const firstPage = requestPage();
const firstZone = api.localTimeZone();
for (const answer of [firstInfo, firstPage.answer, firstZone]) answer.catch(() => {});

/** Reloads the list, the open detail and what concerns the whole store after something changed the store. */
async function refresh() {
  await loadList();
  if (state.selected) await openDetail(state.selected);
  await loadStoreWide();
}

/** Shows where the store is in the header (a long path is cut on screen: the whole of it is the title). */
function showStorePath(path) {
  state.storePath = path;
  say($("store-path"), () => (path ? t("store.at", { path }) : ""));
  $("store-path").title = path || "";
}

/**
 * Another store was opened (the Store dialog): the licenses of that one, from its first page,
 * no license open, and what concerns it as a whole — or why it cannot be shown.
 */
async function storeChanged(choice) {
  showStorePath(choice.current);
  state.selected = null;
  state.detail = null;
  state.offset = 0;
  renderDetail();
  let info;
  try {
    info = await api.storeInfo();
  } catch (error) {
    showError(error, { sticky: true });
    return;
  }
  if (info.error) {
    showStoreError(info.error, info.path);
    return;
  }
  hideStoreError();
  clearError();
  showStoreWide(info);
  await loadList();
  document.body.dataset.ready = "true";
}

// ---------------------------------------------------------------------------------------------
// Screens

function showView(view) {
  beginAction();
  state.view = view;
  for (const v of ["licenses", "machine", "keys"]) {
    $(`view-${v}`).hidden = v !== view;
    const tab = $(`tab-${v}`);
    tab.setAttribute("aria-selected", String(v === view));
    tab.tabIndex = v === view ? 0 : -1;
  }
  renderJournals();
  if (view === "machine") renderMachine();
  if (view === "keys") renderKeys();
}

// ---------------------------------------------------------------------------------------------
// Language

// Everything on screen follows a switch: the static markup, every text shown with `say` (banners,
// errors, dialogs, statuses) and every screen that renders itself (journals banner, list, detail,
// import panel, vendor keys).
onLanguage(renderJournals);
onLanguage(() => {
  renderList();
  renderDetail();
});

function applyLanguage(lang) {
  setLanguage(lang);
  // One Tab stop for the language: the button of the language shown is pressed, and left out of
  // the Tab order (there is nothing to do with it); the other one switches.
  document.querySelectorAll(".lang-btn").forEach((b) => {
    const current = b.dataset.lang === lang;
    b.setAttribute("aria-pressed", String(current));
    b.tabIndex = current ? -1 : 0;
  });
  relabel();
}

// ---------------------------------------------------------------------------------------------

async function start() {
  applyLanguage(initLanguage());
  document.querySelectorAll(".lang-btn").forEach((b) => b.addEventListener("click", () => applyLanguage(b.dataset.lang)));
  initList(openDetail);
  initDetail(refresh);
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    // Escape closes the open dialog first (wherever the focus is), then the detail panel.
    if (closeOpenDialog()) return;
    if (state.detail) closeDetail();
  });
  document.querySelectorAll(".tab").forEach((b) => b.addEventListener("click", () => showView(b.dataset.view)));
  // The tabs are one Tab stop: the arrow keys (Home, End) move to another screen and show it.
  document.querySelector(".tabs").addEventListener("keydown", (event) => {
    const tabs = Array.from(document.querySelectorAll(".tab"));
    const at = tabs.indexOf(event.target);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1 + tabs.length, Home: 0, End: tabs.length - 1 }[event.key];
    if (at < 0 || to === undefined) return;
    event.preventDefault();
    const tab = tabs[to % tabs.length];
    showView(tab.dataset.view);
    tab.focus();
  });
  initImport(refresh);
  initDialogs();
  initPages();
  initCopy();
  initShortcuts();
  initJournals(refresh);
  initStore({ storeChanged, refresh });
  // Last: its buttons run what the features above registered for their shortcuts.
  initToolbar();
  $("status-close").addEventListener("click", hideStatus);
  $("error-close").addEventListener("click", clearError);
  // Times are written in local time from the zone's table (clock.js); without one, by the engine.
  // The zone's name on the page says which writes them (for the record, and the tests).
  const zone = await firstZone.catch(() => null);
  setZone(zone);
  document.body.dataset.timeZone = (zone && zone.name) || (zone ? "table" : "engine");
  try {
    const info = await firstInfo;
    showStorePath(info.path);
    if (info.error) {
      // The store could not be opened: the Licenses screen says why and what to do.
      showStoreError(info.error, info.path);
      document.body.dataset.ready = "error";
      return;
    }
    showStoreWide(info);
  } catch (error) {
    showError(error, { sticky: true });
    document.body.dataset.ready = "error";
    return;
  }
  await loadList(firstPage);
  document.body.dataset.ready = "true";
  // A standard performance mark once the first rows have painted (the frame after they were
  // rendered): start-up time can then be read from outside, as `make bench` does.
  requestAnimationFrame(() => setTimeout(() => performance.mark("licdesk:first-rows"), 0));
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
export { language };
