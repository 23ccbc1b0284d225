// One row of the licenses list: the customer (with the DEMO mark and what the license needs),
// the license number with its copy button, the users, the extensions and FailoverSuites, the
// main system's state and the last change. Text that may not fit wraps; what cannot wrap (a
// license number) keeps its full text as the cell's title.
import { html } from "../html.js";
import { formatDate, formatDay, formatNumber, t } from "../i18n.js";
import { copyButton } from "../copy.js";
import { demoBadge, listState, statusBadge } from "../badges.js";
import { state } from "../state.js";
import { attentionBadges } from "./attention.js";

/** The users of a variant, as short as the column's header allows: "25", "Unlimited". */
const USERS = {
  10: () => t("list.users.10"),
  25: () => t("list.users.25"),
  250: () => t("list.users.250"),
  unlimited: () => t("list.users.unlimited"),
};

function extensionChips(row) {
  const chips = row.extensions.map(
    (e) => html`<li class="chip" title="${e.article}">${e.name} <span class="qty">×${formatNumber(e.quantity)}</span></li>`,
  );
  for (const f of row.failovers) {
    const standby = f.standby ? t("standby.label", { status: t(`status.${listState(f.standby)}`) }) : t("standby.none");
    chips.push(
      html`<li class="chip failover" title="${f.license}">${t("failover.chip")} <span class="sub">${standby}</span></li>`,
    );
  }
  return chips.length ? html`<ul class="chips">${chips}</ul>` : html`<span class="muted">—</span>`;
}

/** The day of `iso` in the user's format ("25 Nov 2026", "25.11.2026"); its full time as the title. */
function changedCell(iso) {
  if (!iso) return html`<span class="muted">—</span>`;
  if (Number.isNaN(Date.parse(iso))) return html`${iso}`;
  return html`<time datetime="${iso}" title="${formatDate(iso)}">${formatDay(iso)}</time>`;
}

/** The row of `row`; `focusable` is the one row of the list Tab reaches (roving tabindex). */
export function rowMarkup(row, focusable) {
  const selected = state.selected === row.license;
  const needs = row.attention && row.attention.length > 0;
  return html`<tr tabindex="${focusable ? "0" : "-1"}" data-license="${row.license}" aria-selected="${selected ? "true" : "false"}"
      class="${[selected ? "selected" : "", needs ? "needs-attention" : ""].join(" ").trim()}">
    <td class="customer"><span class="customer-name">${row.customer}</span> ${demoBadge(row.demo)}${attentionBadges(row.attention)}</td>
    <td class="license-cell" title="${row.license}"><span class="mono">${row.license}</span>${copyButton(row.license, "license", { tabindex: -1 })}</td>
    <td class="users" title="${t(`variant.${row.variant}`)}">${USERS[row.variant] ? USERS[row.variant]() : row.variant}</td>
    <td class="extensions">${extensionChips(row)}</td>
    <td class="main-status">${statusBadge(row.main_system && listState(row.main_system))}</td>
    <td class="changed">${changedCell(row.changed_at)}</td>
  </tr>`;
}
