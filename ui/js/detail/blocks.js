// The parts of a license's detail: a system (main or standby) with its facts, the notices, and a
// FailoverSuite with its standby, five-day view and actions. Every license number, hardware ID
// and key ID shown has its copy button; every action is the desk's (enabled, or disabled with
// the reason: action-view.js).
import { html } from "../html.js";
import { formatDate, formatNumber, standbyNotice, t } from "../i18n.js";
import { demoBadge, statusBadge } from "../badges.js";
import { copyButton } from "../copy.js";
import { fiveDays, limitsOf } from "../five-days/five-days.js";
import { actionControl, actionOf } from "./action-view.js";

/**
 * An entitlement's name in the user's language: the suite's own (article OMS) is said from
 * `variant` — the base license's, or the one a system's activation granted (both sent by the
 * backend as codes); extensions keep the names their certificate gives them.
 */
export function entitlementName(e, variant) {
  if (e.article !== "OMS" || !variant) return e.name;
  return t("entitlement.suite", { variant: t(`variant.inline.${variant}`) });
}

/** A license number with its copy button. */
export const licenseWithCopy = (license) => html`<span class="mono">${license}</span> ${copyButton(license, "license")}`;

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
 * base license's current one, R5). `open` holds the keys of the lists left open.
 */
export function systemBlock(s, open) {
  const grantedVariant = s.granted_variant || null;
  const key = `${s.role}-${s.license}`;
  const mode = s.mode ? html`<dt>${t("detail.mode")}</dt><dd class="mode mode-${s.mode}">${t(`mode.${s.mode}`)}</dd>` : "";
  const activated = s.activated_at ? html`<dt>${t("detail.activated")}</dt><dd>${formatDate(s.activated_at)}</dd>` : "";
  const granted = s.entitlements.length
    ? html`<details class="granted" data-key="${key}"${open.has(key) ? html` open` : ""}><summary>${t("detail.granted")} (${formatNumber(s.entitlements.length)})</summary>
        <ul>${s.entitlements.map((e) => html`<li><span class="mono">${e.article}</span> ${entitlementName(e, grantedVariant)} ×${formatNumber(e.quantity)}</li>`)}</ul>
      </details>`
    : "";
  return html`<dl class="facts">
      <dt>${t("detail.hardware")}</dt><dd><span class="mono hwid-value">${s.hardware_id}</span> ${copyButton(s.hardware_id, "hardware")}${s.label ? html` <span class="muted">(${s.label})</span>` : ""}</dd>
      ${mode}
      <dt>${t("detail.state")}</dt><dd>${statusBadge(s.status)}</dd>
      ${requestFact(s)}
      <dt>${t("detail.registered")}</dt><dd>${formatDate(s.registered_at)}</dd>
      ${activated}
    </dl>${granted}`;
}

/** The notices of a license: DEMO, and each system out of date (R5). */
export function noticesOf(d) {
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

/** R11: the standby/test-only notice acknowledged (when), or the action to acknowledge it. */
function acknowledgement(f) {
  if (!f.standby) return "";
  if (f.standby.notice_acknowledged_at) {
    return html`<p class="muted ack">${t("notice.acknowledged", { date: formatDate(f.standby.notice_acknowledged_at) })}</p>`;
  }
  const view = actionOf("acknowledge_notice", f.license);
  return html`<p class="ack">${actionControl(view, { label: t("notice.acknowledge"), cls: "acknowledge", data: { failover: f.license } })}</p>`;
}

/** The standby's actions: register or change it, export its request (or re-activation), release it. */
function failoverActions(f) {
  const s = f.standby;
  const register = actionControl(actionOf("register_standby", f.license), {
    label: s ? t("detail.change_standby") : t("detail.register"),
    cls: "register-standby",
    primary: !s,
    data: { failover: f.license },
  });
  const exportButton = actionControl(actionOf("export_standby_request", f.license), {
    label: s && s.status === "out_of_date" ? t("detail.reactivate") : t("detail.export_standby"),
    cls: "export-standby",
    primary: true,
    data: { failover: f.license, hwid: s ? s.hardware_id : "" },
  });
  const release = actionControl(actionOf("release_standby", f.license), {
    label: t("detail.release"),
    cls: "release-standby",
    data: { failover: f.license },
  });
  return html`${register}${exportButton}${release}`;
}

/** A FailoverSuite of the license: its notice, standby, five-day view (with its chart) and actions. */
export function failoverBlock(f, timeline, open) {
  const name = t("detail.failover", { license: f.license });
  return html`<section class="failover-block" aria-label="${name}" data-failover="${f.license}">
      <div class="block-head"><h4>${name} ${demoBadge(f.demo)}</h4>${copyButton(f.license, "license")}</div>
      <p class="notice standby-notice" role="note">${standbyNotice(limitsOf(f))}</p>
      ${acknowledgement(f)}
      ${f.standby ? systemBlock(f.standby, open) : html`<p class="muted">${t("detail.standby.none")}</p>`}
      ${fiveDays(f, timeline)}
      <div class="actions">${failoverActions(f)}</div>
    </section>`;
}
