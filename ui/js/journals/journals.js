// What concerns the whole store rather than one license: the warning that the system clock is
// behind the latest signed time, and the usage journals whose own signature fails.
import * as api from "../api.js";
import { html, mount } from "../html.js";
import { formatDate, formatNumber, say, t, unsay } from "../i18n.js";
import { showError } from "../errors.js";
import { beginAction, showStatus } from "../notes.js";
import { openReason } from "../dialogs/dialogs.js";
import { shortHash } from "../five-days/five-days.js";
import { state } from "../state.js";

const $ = (id) => document.getElementById(id);

/** Whether the list of unverified journals is open (kept across re-renders). */
let journalsOpen = false;

/** How a dismissal shows its change everywhere: the window's `refresh`, given once at start. */
let refresh = async () => {};

/**
 * Usage journals whose own signature fails: nothing in them was read, so they belong to no
 * FailoverSuite and are shown above the licenses, each with a "Dismiss…" action (a reason,
 * audited), until dismissed. The key id comes from the file's header (unverified): escaped.
 */
export function renderJournals() {
  const banner = $("journals-banner");
  const journals = state.unverified;
  banner.hidden = journals.length === 0 || state.view !== "licenses";
  if (journals.length === 0) journalsOpen = false;
  // A live region: its text is set only when it changes (a refresh does not announce it again).
  const said = journals.length === 1 ? t("journals.banner.one") : t("journals.banner", { count: formatNumber(journals.length) });
  if ($("journals-text").textContent !== said) $("journals-text").textContent = said;
  const toggle = $("journals-toggle");
  toggle.textContent = journalsOpen ? t("journals.hide") : t("journals.show");
  toggle.setAttribute("aria-expanded", String(journalsOpen));
  const list = $("journals-list");
  list.hidden = !journalsOpen;
  mount(
    list,
    html`${journals.map(
      (j) => html`<li class="unverified-journal" data-hash="${j.file_hash}">
        <span id="unverified-${j.file_hash}">${t("journals.entry", { date: formatDate(j.imported_at), hash: shortHash(j.file_hash), key: j.key_id })}</span>
        <button type="button" class="button dismiss-unverified" data-hash="${j.file_hash}" aria-describedby="unverified-${j.file_hash}">${t("journals.dismiss")}</button>
      </li>`,
    )}`,
  );
}

function dismissUnverified(button) {
  beginAction();
  const hash = button.dataset.hash;
  const journal = state.unverified.find((j) => j.file_hash === hash);
  const key = journal ? journal.key_id : "";
  openReason(
    () => ({
      heading: t("journals.dismiss.heading"),
      what: t("journals.dismiss.what", { hash: shortHash(hash), key }),
      submit: t("dismiss.submit"),
    }),
    (reason) => api.dismissTamperedJournal(hash, reason),
    async () => {
      showStatus(() => t("journals.dismiss.done", { hash: shortHash(hash) }));
      await refresh();
      // The focus goes to the next journal's "Dismiss…", else to the filter — never to nothing.
      const next = document.querySelector("#journals-list .dismiss-unverified");
      (next && !$("journals-banner").hidden ? next : $("filter")).focus();
    },
    "dismiss_tampered_journal",
  );
}

/** Shows what concerns the whole store: a system clock behind the latest signed time, and the unverified journals. */
export function showStoreWide(info) {
  const clock = $("clock-banner");
  if (info.clock_behind) {
    say(clock, () => t("clock.behind", { date: formatDate(info.clock_behind) }));
    clock.hidden = false;
  } else {
    unsay(clock);
    clock.hidden = true;
  }
  state.unverified = info.unverified_journals || [];
  renderJournals();
}

/** Asks the backend again what concerns the whole store (after an import or a decision). */
export async function loadStoreWide() {
  try {
    showStoreWide(await api.storeInfo());
  } catch (error) {
    showError(error);
  }
}

/** Wires the banner's "Show"/"Hide" and each journal's "Dismiss…"; `reload` is the window's refresh. */
export function initJournals(reload) {
  refresh = reload;
  $("journals-toggle").addEventListener("click", () => {
    beginAction();
    journalsOpen = !journalsOpen;
    renderJournals();
  });
  $("journals-list").addEventListener("click", (event) => {
    const button = event.target.closest(".dismiss-unverified");
    if (button) dismissUnverified(button);
  });
}
