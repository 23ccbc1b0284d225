// What the detail panel's buttons do: add a FailoverSuite (the guided dialog), export a main
// system's or a standby's activation request or a release request, register a standby,
// acknowledge the standby notice (R11), acknowledge past five-day violations or dismiss a
// tampered journal (each with a reason, audited). After each, the window is refreshed and the
// focus goes to the next step. Ctrl+E opens the open license's next export.
import * as api from "../api.js";
import { formatNumber, t } from "../i18n.js";
import { showError } from "../errors.js";
import { beginAction, showStatus } from "../notes.js";
import { onShortcut } from "../shortcuts.js";
import { openAddFailover, openExport, openReason, openRegister } from "../dialogs/dialogs.js";
import { limitsOf, shortHash } from "../five-days/five-days.js";
import { state } from "../state.js";
import { reasonText } from "./action-view.js";

const $ = (id) => document.getElementById(id);

/**
 * After an action on `failover` re-rendered the panel: the focus goes to the button of the
 * next step (the first of `classes` there is that can be used), else to the panel's heading —
 * never to nothing.
 */
function focusNextStep(failover, classes) {
  for (const cls of classes) {
    const button = document.querySelector(`#detail .${cls}[data-failover="${CSS.escape(failover)}"]:not([disabled])`);
    if (button) {
      button.focus();
      return;
    }
  }
  const heading = $("detail-heading");
  if (heading) heading.focus();
}

/** Where the focus goes after a decision on the five-day status: what is still open there, then the standby's next step. */
const AFTER_DECISION = ["dismiss-tamper", "acknowledge-violations", "acknowledge", "export-standby", "register-standby", "release-standby"];

/**
 * After a standby was registered: say so and what comes next — exporting its activation
 * request, or, for one typed in by its hardware ID, why it cannot be activated — and put the
 * focus on the button of that next step.
 */
const registeredStandby = (refresh) => async (system) => {
  const key = system.activatable ? "register.done" : "register.done.typed";
  showStatus(() => t(key, { hwid: system.hardware_id, license: system.license }));
  await refresh();
  focusNextStep(system.license, system.activatable ? ["export-standby"] : ["register-standby"]);
};

/** After a request was written: say where, and what to do with it (send it, then import the answer). */
const exportedRequest = (refresh) => async (file, role) => {
  showStatus(() => t(role === "release" ? "release.next" : "export.next", { file }));
  await refresh();
};

/** Opens the register dialog for `failover` (from its button, or from the guided Add FailoverSuite). */
function register(failover, refresh) {
  const d = state.detail;
  const f = d && d.failovers.find((x) => x.license === failover);
  openRegister(failover, f && f.standby, registeredStandby(refresh));
}

/** Wires the buttons of the panel just made for license detail `d`; `refresh` shows a change everywhere. */
export function wireActions(panel, d, refresh) {
  const failover = (b) => d.failovers.find((x) => x.license === b.dataset.failover);
  const on = (selector, act) =>
    panel.querySelectorAll(selector).forEach((b) =>
      b.addEventListener("click", () => {
        beginAction();
        act(b);
      }),
    );
  on("#add-failover", () => openAddFailover(d, refresh, (license) => register(license, refresh)));
  on("#export-main", () => openExport(d.license, "main", null, exportedRequest(refresh)));
  on(".register-standby", (b) => register(b.dataset.failover, refresh));
  on(".export-standby", (b) =>
    openExport(b.dataset.failover, "standby", b.dataset.hwid, exportedRequest(refresh), limitsOf(failover(b))),
  );
  on(".release-standby", (b) => openExport(b.dataset.failover, "release", null, exportedRequest(refresh), limitsOf(failover(b))));
  on(".acknowledge", async (b) => {
    const license = b.dataset.failover;
    try {
      await api.acknowledgeNotice(license);
      await refresh();
      focusNextStep(license, ["export-standby", "register-standby", "release-standby"]);
    } catch (error) {
      showError(error);
    }
  });
  on(".acknowledge-violations", (b) => {
    const license = b.dataset.failover;
    openReason(
      () => ({ heading: t("violations.heading", { license }), what: t("violations.what", { license }), submit: t("violations.submit") }),
      (reason) => api.acknowledgeViolations(license, reason),
      async (done) => {
        showStatus(() => t("violations.done", { license, count: formatNumber(done.episodes.length) }));
        await refresh();
        focusNextStep(license, AFTER_DECISION);
      },
    );
  });
  on(".dismiss-tamper", (b) => {
    const license = b.dataset.failover;
    const hash = b.dataset.hash;
    openReason(
      () => ({ heading: t("dismiss.heading", { license }), what: t("dismiss.what", { license, hash: shortHash(hash) }), submit: t("dismiss.submit") }),
      (reason) => api.dismissTamperedJournal(hash, reason),
      async () => {
        showStatus(() => t("dismiss.done", { license, hash: shortHash(hash) }));
        await refresh();
        focusNextStep(license, AFTER_DECISION);
      },
    );
  });
}

/** The exports Ctrl+E can open, in the order it tries them: each standby's request, then the main system's. */
function exportsOf(d) {
  const standbys = d.actions.filter((a) => a.action === "export_standby_request");
  const main = d.actions.filter((a) => a.action === "export_main_request");
  return [...standbys, ...main];
}

/**
 * Ctrl+E: the open license's next export — the first activation request that can be written
 * now, opened as its button opens it (so the focus comes back to that button) — or why there is
 * none, in the status banner.
 */
function exportNext() {
  beginAction();
  const d = state.detail;
  if (state.view !== "licenses" || !d) {
    showStatus(() => t("shortcut.export.no_license"));
    return;
  }
  const exports = exportsOf(d);
  const next = exports.find((a) => a.available);
  if (next) {
    const selector =
      next.action === "export_main_request" ? "#export-main" : `.export-standby[data-failover="${CSS.escape(next.license)}"]`;
    const button = document.querySelector(`#detail ${selector}`);
    if (button) {
      button.focus();
      button.click();
      return;
    }
  }
  const first = exports.find((a) => a.reason) || null;
  const license = d.license;
  showStatus(() => t("shortcut.export.none", { license, reason: first ? reasonText(first.reason) : "" }).trim());
}

/** Registers Ctrl+E (call once). */
export function initShortcut() {
  onShortcut("export", exportNext);
}
