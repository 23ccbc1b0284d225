// The detail panel of one base license: its facts and notices, its entitlements, its main system,
// and each FailoverSuite with its standby and five-day view. The buttons' actions are in
// actions.js; the panel is made anew after each change and keeps its open lists and the focus.
import * as api from "../api.js";
import { html, mount } from "../html.js";
import { formatDate, formatNumber, standbyNotice, t } from "../i18n.js";
import { clearError, showError } from "../errors.js";
import { beginAction } from "../notes.js";
import { demoBadge, statusBadge } from "../badges.js";
import { fiveDays, limitsOf } from "../five-days/five-days.js";
import { focusRow, renderList } from "../list/list.js";
import { state } from "../state.js";
import { wireActions } from "./actions.js";

const $ = (id) => document.getElementById(id);
let detailSeq = 0;

/**
 * An entitlement's name in the user's language: the suite's own (article OMS) is said from
 * `variant` — the base license's, or the one a system's activation granted (both sent by the
 * backend as codes); extensions keep the names their certificate gives them.
 */
function entitlementName(e, variant) {
  if (e.article !== "OMS" || !variant) return e.name;
  return t("entitlement.suite", { variant: t(`variant.inline.${variant}`) });
}

/**
 * Where a system that is not active stands with its activation request: none can be written
 * (a typed standby), not exported yet, or exported on a date and waiting for the response.
 */
function requestFact(s) {
  if (s.status === "active") return "";
  const said = !s.activatable
    ? t("detail.request.impossible")
    : s.request_written_at
      ? t("detail.request.sent", { date: formatDate(s.request_written_at) })
      : t("detail.request.none");
  const state = !s.activatable ? "impossible" : s.request_written_at ? "sent" : "none";
  return html`<dt>${t("detail.request")}</dt><dd class="request-state request-${state}">${said}</dd>`;
}

/**
 * A main system or standby: its facts and what its activation granted (its suite entitlement
 * said from the variant the activation granted, which an out-of-date system's may not be the
 * base license's current one, R5).
 */
function systemBlock(s) {
  const grantedVariant = s.granted_variant || null;
  const mode = s.mode ? html`<dt>${t("detail.mode")}</dt><dd class="mode mode-${s.mode}">${t(`mode.${s.mode}`)}</dd>` : "";
  const activated = s.activated_at ? html`<dt>${t("detail.activated")}</dt><dd>${formatDate(s.activated_at)}</dd>` : "";
  const granted = s.entitlements.length
    ? html`<details class="granted" data-key="${s.role}-${s.license}"${openDetails.has(`${s.role}-${s.license}`) ? html` open` : ""}><summary>${t("detail.granted")} (${formatNumber(s.entitlements.length)})</summary>
        <ul>${s.entitlements.map((e) => html`<li><span class="mono">${e.article}</span> ${entitlementName(e, grantedVariant)} ×${formatNumber(e.quantity)}</li>`)}</ul>
      </details>`
    : "";
  return html`<dl class="facts">
      <dt>${t("detail.hardware")}</dt><dd class="mono">${s.hardware_id}${s.label ? html` <span class="muted">(${s.label})</span>` : ""}</dd>
      ${mode}
      <dt>${t("detail.state")}</dt><dd>${statusBadge(s.status)}</dd>
      ${requestFact(s)}
      <dt>${t("detail.registered")}</dt><dd>${formatDate(s.registered_at)}</dd>
      ${activated}
    </dl>${granted}`;
}

/** R11: the administrator acknowledges the standby/test-only notice (audited). */
function acknowledgement(f) {
  if (!f.standby) return "";
  if (f.standby.notice_acknowledged_at) {
    return html`<p class="muted ack">${t("notice.acknowledged", { date: formatDate(f.standby.notice_acknowledged_at) })}</p>`;
  }
  return html`<p class="ack"><button type="button" class="button acknowledge" data-failover="${f.license}">${t("notice.acknowledge")}</button></p>`;
}

function noticesOf(d) {
  const notices = [];
  if (d.demo) notices.push(html`<li class="notice demo-notice">${t("notice.demo")}</li>`);
  const systems = [d.main_system, ...d.failovers.map((f) => f.standby)].filter(Boolean);
  for (const s of systems) {
    if (s.status === "out_of_date") {
      notices.push(html`<li class="notice warn">${t("notice.out_of_date", { role: t(`role.${s.role}`), hwid: s.hardware_id })}</li>`);
    }
  }
  return notices;
}

/** Which "licensed on this system" lists are open, so a re-render keeps them open. */
let openDetails = new Set();

/** How to find a control of the detail panel again after the panel was made anew. */
function focusKey(element) {
  if (!element || element === $("detail")) return null;
  if (element.id) return `#${CSS.escape(element.id)}`;
  const details = element.tagName === "SUMMARY" && element.closest("details[data-key]");
  if (details) return `details[data-key="${CSS.escape(details.dataset.key)}"] summary`;
  if (element.dataset.failover) {
    const cls = Array.from(element.classList).find((c) => !["button", "primary"].includes(c));
    const hash = element.dataset.hash ? `[data-hash="${CSS.escape(element.dataset.hash)}"]` : "";
    if (cls) return `.${CSS.escape(cls)}[data-failover="${CSS.escape(element.dataset.failover)}"]${hash}`;
  }
  return null;
}

function failoverActions(f) {
  const s = f.standby;
  const register =
    s && s.status !== "pending"
      ? ""
      : html`<button type="button" class="button register-standby" data-failover="${f.license}">${s ? t("detail.change_standby") : t("detail.register")}</button>`;
  // A standby typed in by its hardware ID cannot be activated: no request can be exported for it.
  const exportButton =
    s && s.activatable
      ? html`<button type="button" class="button primary export-standby" data-failover="${f.license}" data-hwid="${s.hardware_id}">${s.status === "out_of_date" ? t("detail.reactivate") : t("detail.export_standby")}</button>`
      : "";
  const release =
    s && s.status !== "pending" ? html`<button type="button" class="button release-standby" data-failover="${f.license}">${t("detail.release")}</button>` : "";
  return html`${register}${exportButton}${release}`;
}

/** Shows the license the state holds (or the hint), keeping open lists and the focused control. */
export function renderDetail() {
  const panel = $("detail");
  const d = state.detail;
  openDetails = new Set(Array.from(panel.querySelectorAll("details[open][data-key]"), (e) => e.dataset.key));
  const focused = panel.contains(document.activeElement) ? focusKey(document.activeElement) : null;
  if (!d) {
    mount(panel, html`<p class="hint" id="detail-hint">${t("detail.hint")}</p>`);
    return;
  }
  const failovers = d.failovers.map(
    (f) => html`<section class="failover-block" aria-label="${t("detail.failover", { license: f.license })}" data-failover="${f.license}">
      <h4>${t("detail.failover", { license: f.license })} ${demoBadge(f.demo)}</h4>
      <p class="notice standby-notice" role="note">${standbyNotice(limitsOf(f))}</p>
      ${acknowledgement(f)}
      ${f.standby ? systemBlock(f.standby) : html`<p class="muted">${t("detail.standby.none")}</p>`}
      ${f.standby && !f.standby.activatable ? html`<p class="notice warn cannot-activate" role="note">${t("standby.cannot_activate")}</p>` : ""}
      ${fiveDays(f)}
      <div class="actions">${failoverActions(f)}</div>
    </section>`,
  );
  const notices = noticesOf(d);
  mount(
    panel,
    html`<div class="detail-head">
        <h3 id="detail-heading" tabindex="-1">${d.customer} ${demoBadge(d.demo)}</h3>
        <button type="button" class="close" id="detail-close" aria-label="${t("detail.close")}">×</button>
      </div>
      <p class="mono license-no">${d.license}</p>
      <dl class="facts">
        <dt>${t("detail.variant")}</dt><dd>${t(`variant.${d.variant}`)} · ${t("detail.revision", { revision: d.revision })}</dd>
        <dt>${t("detail.vendor")}</dt><dd>${d.vendor} <span class="muted mono">${d.key_id}</span></dd>
        <dt>${t("detail.issued")}</dt><dd>${formatDate(d.issued_at)}</dd>
      </dl>
      ${notices.length ? html`<ul class="notices" aria-label="${t("detail.notices")}">${notices}</ul>` : ""}
      <h4>${t("detail.entitlements")}</h4>
      <table class="entitlements">
        <thead><tr><th scope="col">${t("detail.article")}</th><th scope="col">${t("detail.name")}</th><th scope="col" class="num">${t("detail.quantity")}</th></tr></thead>
        <tbody>${d.entitlements.map((e) => html`<tr><td class="mono">${e.article}</td><td>${entitlementName(e, d.variant)}</td><td class="num">${formatNumber(e.quantity)}</td></tr>`)}
        ${d.failovers.map((f) => html`<tr class="failover-row"><td class="mono">${f.article}</td><td>${t("failover.chip")} ${f.license}</td><td class="num">1</td></tr>`)}</tbody>
      </table>
      <div class="actions">
        <button type="button" class="button" id="add-failover">${t("detail.add_failover")}</button>
      </div>
      <h4>${t("detail.main")}</h4>
      ${d.main_system ? systemBlock(d.main_system) : html`<p class="muted">${t("detail.main.none")}</p>`}
      <div class="actions">
        <button type="button" class="button" id="export-main">${t("detail.export_main")}</button>
      </div>
      ${failovers}`,
  );
  $("detail-close").addEventListener("click", closeDetail);
  wireActions(panel, d, reload);
  if (focused) {
    const again = panel.querySelector(focused);
    if (again) again.focus();
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
}
