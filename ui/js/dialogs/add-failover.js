// "Add FailoverSuite" as a small guided dialog: which base license it extends (with its users
// and main system), which standby it will serve (one FailoverSuite per standby machine, R4),
// and what happens next — import its certificate, register the standby's hardware ID, export
// the activation request, import the vendor's response — with the step that can be done now as
// the primary button. The certificate comes from the native Open dialog or from the path field
// (typed or pasted); the desk refuses a file that is not a FailoverSuite certificate for this
// base license. After the import the window is refreshed and the next step is registering.
import * as api from "../api.js";
import { html } from "../html.js";
import { formatNumber, say, t } from "../i18n.js";
import { hideIn, showIn } from "../errors.js";
import { statusBadge } from "../badges.js";
import { copyButton } from "../copy.js";
import { chooseOpenPath } from "./choose.js";
import { close, open } from "./modal.js";

const $ = (id) => document.getElementById(id);

const STEPS = ["import", "register", "export", "response"];

/** The dialog's case: the base license's detail, the step now, the FailoverSuite added, and what comes after. */
let guide = null;

/** The base license: customer, number, users and main system. */
function baseFacts(d) {
  const main = d.main_system;
  return html`<dt>${t("detail.customer")}</dt><dd>${d.customer}</dd>
    <dt>${t("addfo.license")}</dt><dd><span class="mono">${d.license}</span> ${copyButton(d.license, "license")}</dd>
    <dt>${t("addfo.users")}</dt><dd>${t(`variant.${d.variant}`)}</dd>
    <dt>${t("detail.main")}</dt><dd>${
      main ? html`<span class="mono">${main.hardware_id}</span> ${copyButton(main.hardware_id, "hardware")} ${statusBadge(main.status)}` : t("addfo.main.none")
    }</dd>`;
}

/** Which standby it will serve: one FailoverSuite per standby machine, and the ones this base license has. */
function standbyHint(d) {
  const hint = t("addfo.standby.hint");
  if (d.failovers.length === 0) return hint;
  const unused = d.failovers.find((f) => !f.standby);
  const list = d.failovers
    .map((f) => (f.standby ? t("addfo.existing.standby", { license: f.license, hwid: f.standby.hardware_id }) : t("addfo.existing.none", { license: f.license })))
    .join(", ");
  const existing = t(d.failovers.length === 1 ? "addfo.existing.one" : "addfo.existing", { count: formatNumber(d.failovers.length), list });
  return html`${hint} ${existing}${unused ? html` <strong class="unused">${t("addfo.unused", { license: unused.license })}</strong>` : ""}`;
}

/** The four steps, the ones done marked, the one now current. */
function steps() {
  const now = STEPS.indexOf(guide.step);
  return html`${STEPS.map((step, i) => {
    const state = i < now ? "done" : i === now ? "current" : "later";
    const mark = i < now ? html`<span class="visually-hidden">${t("addfo.step.done")} </span>` : "";
    return html`<li class="step step-${state}"${i === now ? html` aria-current="step"` : ""}>${mark}${t(`addfo.step.${step}`)}</li>`;
  })}`;
}

/** Shows the dialog for the step it is at. */
function render() {
  const importing = guide.step === "import";
  $("add-failover-file").hidden = !importing;
  say($("add-failover-steps"), steps);
  say($("add-failover-submit"), () => (importing ? t("addfo.submit.import") : t("addfo.submit.register")));
  say($("add-failover-cancel"), () => (importing ? t("dialog.cancel") : t("dialog.close")));
}

/**
 * Opens the guided dialog for the base license of detail `d`. `refresh` shows the new
 * FailoverSuite everywhere; `register(license)` opens the next step, registering its standby.
 */
export function openAddFailover(d, refresh, register) {
  guide = { d, refresh, register, step: "import", added: null };
  say($("add-failover-heading"), () => t("addfo.heading", { license: d.license }));
  say($("add-failover-base"), () => baseFacts(d));
  say($("add-failover-standby"), () => standbyHint(d));
  hideIn($("add-failover-error"));
  hideIn($("add-failover-result"));
  $("add-failover-path").value = "";
  $("add-failover-submit").disabled = false;
  render();
  open($("add-failover-dialog"));
  $("add-failover-submit").focus();
}

/** The primary button: import the certificate (chosen first when the field is empty), or go on to registering the standby. */
async function submit(event) {
  event.preventDefault();
  const error = $("add-failover-error");
  hideIn(error);
  if (guide.step === "register") {
    const { register, added } = guide;
    // The next dialog opens once this one has closed and given the focus back.
    $("add-failover-dialog").addEventListener("close", () => register(added), { once: true });
    close($("add-failover-dialog"));
    return;
  }
  const field = $("add-failover-path");
  if (!field.value.trim()) {
    const chosen = await chooseOpenPath("lic", error);
    if (!chosen) {
      field.focus();
      return;
    }
    field.value = chosen;
  }
  const button = $("add-failover-submit");
  button.disabled = true;
  try {
    const outcome = await api.addFailover(guide.d.license, field.value);
    const license = outcome.license;
    const key = outcome.status === "unchanged" ? "addfo.already" : "addfo.done";
    const base = guide.d.license;
    showResult(() => t(key, { license, base }));
    guide.step = "register";
    guide.added = license;
    render();
    await guide.refresh();
  } catch (e) {
    // A refusal says itself (a certificate for another base license, with both numbers); a
    // file of another kind, or one that cannot be read, is said for this dialog.
    const hint = e && !e.params && e.code ? `addfo.refused.${e.code}` : null;
    if (hint && t(hint) !== hint) {
      say(error, () => t(hint));
      error.hidden = false;
    } else {
      showIn(error, e);
    }
    field.focus();
  } finally {
    button.disabled = false;
  }
  if (guide.step === "register") button.focus();
}

function showResult(render) {
  const result = $("add-failover-result");
  say(result, render);
  result.hidden = false;
}

export function initAddFailover() {
  $("add-failover-form").addEventListener("submit", submit);
  $("add-failover-cancel").addEventListener("click", () => close($("add-failover-dialog")));
  $("add-failover-choose").addEventListener("click", async () => {
    hideIn($("add-failover-error"));
    const chosen = await chooseOpenPath("lic", $("add-failover-error"));
    if (chosen) {
      $("add-failover-path").value = chosen;
      $("add-failover-path").focus();
    }
  });
}
