// What a sync did, said in the user's language from the desk's report: the counts both ways,
// each conflict (whose registration or decision was set aside, by which rule), each refused file
// with its reason (the app's error texts); what a conflict kept and set aside from the values the
// desk gives (`kept_item`, `set_aside_item`).
import { html } from "../html.js";
import { formatDate, formatNumber, known, t } from "../i18n.js";
import { detailPart } from "../errors.js";
import { refusalOf } from "../import/outcomes.js";

/** The counts of a direction, in the order the table shows them. */
const ROWS = ["files", "registrations", "requests", "decisions", "audit_entries"];

const count = (direction, what) => {
  const n = what === "files" ? direction.files : direction[what];
  return typeof n === "number" ? n : 0;
};

/** A content id as monitoring shows a hash: its first 12 characters. */
const shortId = (id) => (String(id).length > 12 ? `${String(id).slice(0, 12)}…` : String(id));

/** The sentence that closes a sync: done, nothing to exchange, or cancelled part way. */
export function reportSentence(report) {
  if (report.interrupted) return t("sync.cancelled");
  const total = ROWS.reduce((n, what) => n + count(report.received, what) + count(report.sent, what), 0);
  const refused = report.received.refused.length + report.sent.refused.length;
  if (total === 0 && refused === 0 && report.conflicts.length === 0) return t("sync.nothing", { store: report.with });
  return t("sync.done", { store: report.with });
}

function ruleText(rule) {
  const key = `sync.rule.${rule}`;
  return known(key) ? t(key) : rule;
}

/** One side of a conflict: a registration (its machine, when, pending or activated) or a
 * decision (when, the reason given). */
function itemText(item) {
  if (!item) return "";
  if (item.item === "registration") {
    return t(`sync.item.registration.${item.active ? "active" : "pending"}`, {
      role: t(`sync.role.${item.role === "main" ? "main" : "standby"}`),
      hwid: item.hardware_id,
      at: formatDate(item.registered_at),
    });
  }
  const key = item.acknowledged_violation_from ? "sync.item.acknowledged" : "sync.item.dismissed";
  return t(key, {
    from: item.acknowledged_violation_from ? formatDate(item.acknowledged_violation_from) : "",
    at: formatDate(item.at),
    reason: item.reason,
  });
}

function conflictMarkup(c) {
  const sentence = t(`sync.conflict.${c.side === "this" ? "this" : "other"}`, {
    subject: c.subject,
    rule: ruleText(c.rule),
  });
  return html`<li class="sync-conflict" data-rule="${c.rule}">${sentence}
    <span class="sync-values">${t("sync.kept")} ${itemText(c.kept_item)};
    ${t("sync.set_aside")} ${itemText(c.set_aside_item)}</span></li>`;
}

function refusedMarkup(o, side) {
  const explained = refusalOf({ ...o, status: o.status === "tampered" ? "tampered" : "refused" });
  // A registration the store's rules refused is named by its license, a file by its content id.
  const kind =
    o.kind && known(`kind.${o.kind}`) ? t(`kind.${o.kind}`) : t(o.kind ? "sync.file" : "sync.registration");
  const line = t(`sync.refused.${side}`, { file: shortId(o.file), kind, reason: explained.sentence });
  return html`<li class="sync-refused" data-side="${side}">${line} ${detailPart(explained)}</li>`;
}

/** The whole report, as markup. */
export function reportMarkup(report) {
  const rows = ROWS.map(
    (what) => html`<tr><th scope="row">${t(`sync.row.${what}`)}</th>
      <td data-count="received-${what}">${formatNumber(count(report.received, what))}</td>
      <td data-count="sent-${what}">${formatNumber(count(report.sent, what))}</td></tr>`,
  );
  const refused = [
    ...report.received.refused.map((o) => refusedMarkup(o, "this")),
    ...report.sent.refused.map((o) => refusedMarkup(o, "other")),
  ];
  return html`<h4 id="sync-report-heading">${reportSentence(report)}</h4>
    <table class="sync-counts">
      <thead><tr><th scope="col">${t("sync.col.what")}</th><th scope="col">${t("sync.col.received")}</th><th scope="col">${t("sync.col.sent")}</th></tr></thead>
      <tbody>${rows}</tbody>
    </table>
    ${report.conflicts.length ? html`<h5>${t("sync.conflicts.heading")}</h5><ul class="sync-list" id="sync-conflicts">${report.conflicts.map(conflictMarkup)}</ul>` : ""}
    ${refused.length ? html`<h5>${t("sync.refused.heading")}</h5><ul class="sync-list" id="sync-refusals">${refused}</ul>` : ""}`;
}
