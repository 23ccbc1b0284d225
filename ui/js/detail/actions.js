// What the detail panel's buttons do: add a FailoverSuite (import), export a main system's or a
// standby's activation request or a release request, register a standby, acknowledge the
// standby notice (R11), acknowledge past five-day violations or dismiss a tampered journal (each
// with a reason, audited). After each, the window is refreshed and the focus goes to the next step.
import * as api from "../api.js";
import { formatNumber, t } from "../i18n.js";
import { showError } from "../errors.js";
import { beginAction, showStatus } from "../notes.js";
import { openExport, openReason, openRegister } from "../dialogs/dialogs.js";
import { limitsOf, shortHash } from "../five-days/five-days.js";
import { openImportDialog } from "../import/import.js";

const $ = (id) => document.getElementById(id);

/**
 * After an action on `failover` re-rendered the panel: the focus goes to the button of the
 * next step (the first of `classes` there is), else to the panel's heading — never to nothing.
 */
function focusNextStep(failover, classes) {
  for (const cls of classes) {
    const button = document.querySelector(`#detail .${cls}[data-failover="${CSS.escape(failover)}"]`);
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

/** Wires the buttons of the panel just made for license detail `d`; `refresh` shows a change everywhere. */
export function wireActions(panel, d, refresh) {
  const failover = (b) => d.failovers.find((x) => x.license === b.dataset.failover);
  $("add-failover").addEventListener("click", () => {
    beginAction();
    openImportDialog();
  });
  $("export-main").addEventListener("click", () => {
    beginAction();
    openExport(d.license, "main", null, exportedRequest(refresh));
  });
  panel.querySelectorAll(".register-standby").forEach((b) =>
    b.addEventListener("click", () => {
      beginAction();
      const f = failover(b);
      openRegister(b.dataset.failover, f && f.standby, registeredStandby(refresh));
    }),
  );
  panel.querySelectorAll(".export-standby").forEach((b) =>
    b.addEventListener("click", () => {
      beginAction();
      openExport(b.dataset.failover, "standby", b.dataset.hwid, exportedRequest(refresh), limitsOf(failover(b)));
    }),
  );
  panel.querySelectorAll(".release-standby").forEach((b) =>
    b.addEventListener("click", () => {
      beginAction();
      openExport(b.dataset.failover, "release", null, exportedRequest(refresh), limitsOf(failover(b)));
    }),
  );
  panel.querySelectorAll(".acknowledge").forEach((b) =>
    b.addEventListener("click", async () => {
      beginAction();
      const license = b.dataset.failover;
      try {
        await api.acknowledgeNotice(license);
        await refresh();
        focusNextStep(license, ["export-standby", "register-standby", "release-standby"]);
      } catch (error) {
        showError(error);
      }
    }),
  );
  panel.querySelectorAll(".acknowledge-violations").forEach((b) =>
    b.addEventListener("click", () => {
      beginAction();
      const license = b.dataset.failover;
      openReason(
        () => ({ heading: t("violations.heading", { license }), what: t("violations.what", { license }), submit: t("violations.submit") }),
        (reason) => api.acknowledgeViolations(license, reason),
        async (done) => {
          showStatus(() => t("violations.done", { license, count: formatNumber(done.episodes.length) }));
          await refresh();
          focusNextStep(license, AFTER_DECISION);
        },
        "acknowledge_violations",
      );
    }),
  );
  panel.querySelectorAll(".dismiss-tamper").forEach((b) =>
    b.addEventListener("click", () => {
      beginAction();
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
        "dismiss_tampered_journal",
      );
    }),
  );
}
