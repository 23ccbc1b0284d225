// When the store cannot be opened (written by a newer License Desk, damaged, locked, its folder
// not writable, the disk full, no place for it at all): the Licenses screen says what went
// wrong and what to do, for that reason, in the user's language — never an empty list as if
// there were no licenses. The desk's own sentence stays as the technical detail.
import { html } from "./html.js";
import { known, say, t, unsay } from "./i18n.js";
import { detailPart } from "./errors.js";

const $ = (id) => document.getElementById(id);

/** The reasons with their own advice (DeskError codes; a missing data folder by its refusal). */
const KNOWN = ["newer_store", "store_damaged", "store", "io", "disk_full", "no_data_directory"];

function reasonOf(error) {
  const refusal = error && error.params && error.params.refusal;
  if (refusal === "no_data_directory") return refusal;
  const code = error && error.code;
  return KNOWN.includes(code) ? code : "other";
}

/** Whether `path` (as shown) names a team's store on PostgreSQL. */
export const isTeamStore = (path) => /^postgres(ql)?:\/\//i.test(String(path || ""));

/** The title that says why a store could not be opened (a DeskError), in the current language. */
export const storeErrorTitle = (error) => t(`store.error.${reasonOf(error)}.title`);

/** What to do about it: a team's store has its own advice where a file's would mislead. */
function todoKey(reason, path) {
  const team = `store.error.${reason}.todo.team`;
  return isTeamStore(path) && known(team) ? team : `store.error.${reason}.todo`;
}

/** Shows the error state for `error` (a DeskError from store_info) in place of the licenses; `path` is the store's. */
export function showStoreError(error, path) {
  const reason = reasonOf(error);
  const view = $("view-licenses");
  view.classList.add("store-failed");
  $("store-error").hidden = false;
  say($("store-error-title"), () => t(`store.error.${reason}.title`));
  say($("store-error-todo"), () => t(todoKey(reason, path), { path: path || t("store.error.nowhere") }));
  say($("store-error-detail"), () => {
    const where = path ? html`<p class="mono store-error-path">${t("store.at", { path })}</p>` : "";
    const message = error && error.message ? detailPart({ sentence: t(`store.error.${reason}.title`), detail: error.message, english: true }) : "";
    return html`${where}${message}`;
  });
}

/** The store opens now (another was chosen): the licenses take the error's place again. */
export function hideStoreError() {
  $("view-licenses").classList.remove("store-failed");
  $("store-error").hidden = true;
  for (const id of ["store-error-title", "store-error-todo", "store-error-detail"]) {
    unsay($(id));
    $(id).textContent = "";
  }
}
