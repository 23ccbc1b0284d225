// The licenses list: one page of base licenses at a time, filtered as you type, each row with its
// extensions, its FailoverSuites (and their standbys' state) and its main system's state.
import * as api from "../api.js";
import { html, mount } from "../html.js";
import { formatNumber, t } from "../i18n.js";
import { clearError, showError } from "../errors.js";
import { beginAction } from "../notes.js";
import { demoBadge, listState, statusBadge } from "../badges.js";
import { PAGE, state } from "../state.js";

const $ = (id) => document.getElementById(id);
let listSeq = 0;

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

function rowMarkup(row) {
  const selected = state.selected === row.license;
  return html`<tr tabindex="0" data-license="${row.license}" aria-selected="${selected ? "true" : "false"}" class="${selected ? "selected" : ""}">
    <td class="customer">${row.customer} ${demoBadge(row.demo)}</td>
    <td class="mono">${row.license}</td>
    <td>${t(`variant.${row.variant}`)}</td>
    <td>${extensionChips(row)}</td>
    <td>${statusBadge(row.main_system && listState(row.main_system))}</td>
  </tr>`;
}

/** Shows the rows, the count and the pager from the state (the selected row marked). */
export function renderList() {
  mount($("rows"), html`${state.rows.map(rowMarkup)}`);
  const empty = $("empty");
  if (state.rows.length === 0) {
    empty.textContent = state.filter ? t("licenses.empty.filter", { filter: state.filter }) : t("licenses.empty.store");
    empty.hidden = false;
  } else {
    empty.hidden = true;
  }
  $("count").textContent =
    state.total === 1 ? t("licenses.count.one") : t("licenses.count", { count: formatNumber(state.total) });
  const from = state.rows.length ? state.offset + 1 : 0;
  const to = state.offset + state.rows.length;
  $("page-info").textContent = t("pager.info", {
    from: formatNumber(from),
    to: formatNumber(to),
    total: formatNumber(state.total),
  });
  $("prev").disabled = state.offset === 0;
  $("next").disabled = to >= state.total;
}

/** Asks the backend for the page the state names (an answer overtaken by a newer request is dropped). */
export async function loadList() {
  const seq = ++listSeq;
  try {
    const page = await api.listLicenses(state.filter, state.offset, PAGE);
    if (seq !== listSeq) return; // a newer filter is on its way
    state.rows = page.rows;
    state.total = page.total;
    clearError();
    renderList();
  } catch (error) {
    if (seq === listSeq) showError(error);
  }
}

/** Puts the focus on the row of `license`, where it is shown. */
export function focusRow(license) {
  const row = license && document.querySelector(`tr[data-license="${CSS.escape(license)}"]`);
  if (row) row.focus();
}

let filterTimer = null;
function onFilterInput(event) {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => {
    state.filter = event.target.value.trim();
    state.offset = 0;
    loadList();
  }, 120);
}

/**
 * Wires the filter, the rows (click, Enter or Space opens a license with `open(license)`, which
 * returns a promise; the arrow keys move between rows) and the pager.
 */
export function initList(open) {
  $("filter").addEventListener("input", onFilterInput);
  $("rows").addEventListener("click", (event) => {
    const row = event.target.closest("tr[data-license]");
    if (!row) return;
    beginAction();
    open(row.dataset.license);
  });
  $("rows").addEventListener("keydown", (event) => {
    const row = event.target.closest("tr[data-license]");
    if (!row) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      beginAction();
      open(row.dataset.license).then(() => $("detail").focus());
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const next = event.key === "ArrowDown" ? row.nextElementSibling : row.previousElementSibling;
      if (next) next.focus();
    }
  });
  $("prev").addEventListener("click", () => {
    beginAction();
    state.offset = Math.max(0, state.offset - PAGE);
    loadList();
  });
  $("next").addEventListener("click", () => {
    beginAction();
    state.offset += PAGE;
    loadList();
  });
}
