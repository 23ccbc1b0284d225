// The detail panel of one base license: a header that stays in view (customer, license number)
// and never covers what scrolls below it, its facts and notices, its entitlements, its main
// system, and each FailoverSuite with its standby and five-day view (blocks.js). The actions
// are the desk's (action-view.js); what they do is actions.js. The panel is made anew after each
// change and keeps its open lists and the focus. It is not a live region: what an action did is
// said in the status banner, once.
import * as api from "../api.js";
import { html, mount } from "../html.js";
import { formatDate, formatNumber, t } from "../i18n.js";
import { clearError, showError } from "../errors.js";
import { beginAction } from "../notes.js";
import { demoBadge } from "../badges.js";
import { copyButton } from "../copy.js";
import { focusRow, renderList } from "../list/list.js";
import { state } from "../state.js";
import { entitlementName, failoverBlock, licenseWithCopy, noticesOf, systemBlock } from "./blocks.js";
import { actionControl, actionOf } from "./action-view.js";
import { initShortcut, wireActions } from "./actions.js";

const $ = (id) => document.getElementById(id);
let detailSeq = 0;

/** Which "licensed on this system" lists are open, so a re-render keeps them open. */
let openDetails = new Set();

/** How to find a control of the detail panel again after the panel was made anew. */
function focusKey(element) {
  if (!element || element === $("detail")) return null;
  if (element.id) return `#${CSS.escape(element.id)}`;
  const details = element.tagName === "SUMMARY" && element.closest("details[data-key]");
  if (details) return `details[data-key="${CSS.escape(details.dataset.key)}"] summary`;
  if (element.dataset.copy) {
    // The same number can show twice (a FailoverSuite's, in the entitlements and its own block).
    const block = element.closest("section[data-failover]");
    const scope = block ? `section[data-failover="${CSS.escape(block.dataset.failover)}"] ` : "";
    return `${scope}[data-copy="${CSS.escape(element.dataset.copy)}"]`;
  }
  if (element.dataset.failover) {
    const cls = Array.from(element.classList).find((c) => !["button", "primary"].includes(c));
    const hash = element.dataset.hash ? `[data-hash="${CSS.escape(element.dataset.hash)}"]` : "";
    if (cls) return `.${CSS.escape(cls)}[data-failover="${CSS.escape(element.dataset.failover)}"]${hash}`;
  }
  return null;
}

/** The base license's own part: its facts, notices, entitlements and main system, with their actions. */
function baseLicense(d) {
  const notices = noticesOf(d);
  const main = d.main_system;
  return html`<dl class="facts">
      <dt>${t("detail.variant")}</dt><dd>${t(`variant.${d.variant}`)} · ${t("detail.revision", { revision: d.revision })}</dd>
      <dt>${t("detail.vendor")}</dt><dd>${d.vendor} <span class="muted mono">${d.key_id}</span> ${copyButton(d.key_id, "key")}</dd>
      <dt>${t("detail.issued")}</dt><dd>${formatDate(d.issued_at)}</dd>
    </dl>
    ${notices.length ? html`<ul class="notices" aria-label="${t("detail.notices")}">${notices}</ul>` : ""}
    <h4>${t("detail.entitlements")}</h4>
    <table class="entitlements">
      <thead><tr><th scope="col">${t("detail.article")}</th><th scope="col">${t("detail.name")}</th><th scope="col" class="num">${t("detail.quantity")}</th></tr></thead>
      <tbody>${d.entitlements.map((e) => html`<tr><td class="mono">${e.article}</td><td>${entitlementName(e, d.variant)}</td><td class="num">${formatNumber(e.quantity)}</td></tr>`)}
      ${d.failovers.map((f) => html`<tr class="failover-row"><td class="mono">${f.article}</td><td>${t("failover.chip")} ${licenseWithCopy(f.license)}</td><td class="num">1</td></tr>`)}</tbody>
    </table>
    <div class="actions">${actionControl(actionOf("add_failover", d.license), { label: t("detail.add_failover"), cls: "add-failover", id: "add-failover" })}</div>
    <h4>${t("detail.main")}</h4>
    ${main ? systemBlock(main, openDetails) : html`<p class="muted">${t("detail.main.none")}</p>`}
    <div class="actions">${actionControl(actionOf("export_main_request", d.license), {
      label: main && main.status === "out_of_date" ? t("detail.reactivate") : t("detail.export_main"),
      cls: "export-main",
      id: "export-main",
    })}</div>`;
}

/** Keeps what the header covers out of reach of a scroll into view (Tab, a focus): the panel's scroll padding is the header's height. */
function keepClearOfHeader(panel) {
  const head = panel.querySelector(".detail-head");
  panel.style.scrollPaddingTop = head ? `${Math.ceil(head.getBoundingClientRect().height) + 8}px` : "";
}

/** Shows the license the state holds (or the hint), keeping open lists and the focused control. */
export function renderDetail() {
  const panel = $("detail");
  const d = state.detail;
  openDetails = new Set(Array.from(panel.querySelectorAll("details[open][data-key]"), (e) => e.dataset.key));
  const focused = panel.contains(document.activeElement) ? focusKey(document.activeElement) : null;
  if (!d) {
    mount(panel, html`<p class="hint" id="detail-hint">${t("detail.hint")}</p>`);
    keepClearOfHeader(panel);
    return;
  }
  const timelineOf = (f) => (d.timelines || []).find((tl) => tl.failover === f.license) || null;
  mount(
    panel,
    html`<div class="detail-head">
        <div class="detail-title">
          <h3 id="detail-heading" tabindex="-1">${d.customer} ${demoBadge(d.demo)}</h3>
          <p class="license-no">${licenseWithCopy(d.license)}</p>
        </div>
        <button type="button" class="close" id="detail-close" aria-label="${t("detail.close")}">×</button>
      </div>
      <div class="detail-body">
        ${baseLicense(d)}
        ${d.failovers.map((f) => failoverBlock(f, timelineOf(f), openDetails))}
      </div>`,
  );
  keepClearOfHeader(panel);
  $("detail-close").addEventListener("click", closeDetail);
  wireActions(panel, d, reload);
  if (focused) {
    const again = panel.querySelector(focused);
    if (again && !again.disabled) again.focus();
    else $("detail-heading").focus();
  }
}

/** Opens `license` in the panel (its row marked in the list); an answer overtaken by a newer one is dropped. */
export async function openDetail(license) {
  state.selected = license;
  renderList();
  const seq = ++detailSeq;
  try {
    const detail = await api.showLicense(license);
    if (seq !== detailSeq) return;
    state.detail = detail;
    clearError();
    renderDetail();
  } catch (error) {
    if (seq === detailSeq) showError(error);
  }
}

/** Closes the panel; the focus goes back to the license's row. */
export function closeDetail() {
  beginAction();
  const license = state.selected;
  state.selected = null;
  state.detail = null;
  renderDetail();
  renderList();
  focusRow(license);
}

/** How the panel's actions show their change everywhere: the window's `refresh`, given once at start. */
let reload = async () => {};

export function initDetail(refresh) {
  reload = refresh;
  initShortcut();
  // The header's height follows the panel's width (a long customer name wraps).
  window.addEventListener("resize", () => keepClearOfHeader($("detail")));
}
