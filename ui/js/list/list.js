// The licenses list: one page of base licenses at a time, filtered as you type, sorted by any of
// its columns, only those needing attention at the press of a toggle. Each row shows its
// extensions, its FailoverSuites (and their standbys' state), its main system's state, its last
// change and what it needs (`rows.js`, `attention.js`); the header sorts (`sorting.js`), the
// pager jumps to any page (`pager.js`), the keyboard moves inside the list (`keyboard.js`).
// The count of licenses and of those needing attention are the list's only live regions.
import * as api from "../api.js";
import { html, mount } from "../html.js";
import { formatNumber, t } from "../i18n.js";
import { clearError, showError } from "../errors.js";
import { beginAction } from "../notes.js";
import { onShortcut } from "../shortcuts.js";
import { PAGE, state } from "../state.js";
import { attentionCountText } from "./attention.js";
import { focusRowElement, initRowKeys } from "./keyboard.js";
import { currentPage, initPager, pageCount, renderPager } from "./pager.js";
import { rowMarkup } from "./rows.js";
import { initSorting, renderSorting } from "./sorting.js";

const $ = (id) => document.getElementById(id);
let listSeq = 0;

/** The row Tab reaches: the open license's when it is shown, else the first. */
function tabStop() {
  return state.rows.some((r) => r.license === state.selected) ? state.selected : state.rows[0]?.license;
}

function emptyText() {
  if (state.needsAttention) {
    return state.filter ? t("list.empty.attention.filter", { filter: state.filter }) : t("list.empty.attention");
  }
  return state.filter ? t("licenses.empty.filter", { filter: state.filter }) : t("licenses.empty.store");
}

/** Shows the rows, the counts, the pager and the sorted column from the state (the selected row marked). */
export function renderList() {
  // Until the first page arrives the list stays as the markup has it: empty, with no count and
  // no "this store holds no licenses" while the store is still being read.
  if (!state.listed) return;
  // A row with the focus keeps it through the render (selecting a license renders the list).
  const focused = document.activeElement?.closest?.("#rows tr[data-license]")?.dataset.license;
  const stop = tabStop();
  mount($("rows"), html`${state.rows.map((row) => rowMarkup(row, row.license === stop))}`);
  if (focused) focusRow(focused);
  const empty = $("empty");
  empty.hidden = state.rows.length !== 0;
  empty.textContent = state.rows.length ? "" : emptyText();
  const count =
    state.total === 1 ? t("licenses.count.one") : t("licenses.count", { count: formatNumber(state.total) });
  // Live regions speak when their text changes: set only then.
  if ($("count").textContent !== count) $("count").textContent = count;
  const attention = attentionCountText(state.attentionTotal);
  if ($("attention-count").textContent !== attention) $("attention-count").textContent = attention;
  $("attention-count").classList.toggle("none", state.attentionTotal === 0);
  const toggle = $("attention-filter");
  toggle.setAttribute("aria-pressed", String(state.needsAttention));
  renderPager();
  renderSorting();
}

/**
 * Leaves a page's timing as standard performance measures, as the first rows leave a mark (read
 * from outside, as `make bench` does): `licdesk:list-ipc` the request's round trip,
 * `licdesk:list-render` the rows put in the page, `licdesk:list-paint` to the frame after they
 * painted. Only the last page's are kept: a long session does not fill the timeline.
 */
function measurePage(asked, answered, rendered) {
  requestAnimationFrame(() =>
    setTimeout(() => {
      const spans = [
        ["licdesk:list-ipc", asked, answered],
        ["licdesk:list-render", answered, rendered],
        ["licdesk:list-paint", rendered, performance.now()],
      ];
      for (const [name, start, end] of spans) {
        performance.clearMeasures(name);
        performance.measure(name, { start, end });
      }
    }, 0),
  );
}

/**
 * Asks the backend for the page the state names now: `{ asked, answer }`, the time it was asked
 * and the answer's promise. The window's start asks for its first page this way before the
 * screens are wired up (app.js), and hands it to `loadList`.
 */
export function requestPage() {
  return {
    asked: performance.now(),
    answer: api.listLicenses({
      filter: state.filter,
      needsAttention: state.needsAttention,
      order: state.order,
      descending: state.descending,
      offset: state.offset,
      limit: PAGE,
    }),
  };
}

/**
 * Shows the page the state names, from `request` (by default asked now); an answer overtaken by
 * a newer request is dropped.
 */
export async function loadList(request = requestPage()) {
  const seq = ++listSeq;
  try {
    const { asked } = request;
    const page = await request.answer;
    if (seq !== listSeq) return; // a newer request is on its way
    // Past the end (the list shrank since: a filter, an import): the last page instead.
    if (page.rows.length === 0 && page.total > 0 && state.offset > 0) {
      state.offset = Math.floor((page.total - 1) / PAGE) * PAGE;
      return loadList();
    }
    state.rows = page.rows;
    state.total = page.total;
    state.attentionTotal = page.attention_total;
    state.listed = true;
    const answered = performance.now();
    clearError();
    renderList();
    measurePage(asked, answered, performance.now());
  } catch (error) {
    if (seq === listSeq) showError(error);
  }
}

/** Puts the focus on the row of `license`, where it is shown (it becomes the list's Tab stop). */
export function focusRow(license) {
  const row = license && document.querySelector(`#rows tr[data-license="${CSS.escape(license)}"]`);
  if (row) focusRowElement(row);
}

/** Ctrl+F: the filter, its text selected, to type over. */
function focusFilter() {
  const filter = $("filter");
  filter.focus();
  filter.select();
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
 * Wires the filter, the "Needs attention" toggle, the rows (a click, Enter or Space opens a
 * license with `open(license)`, which returns a promise), the sorting and the pager.
 */
export function initList(open) {
  $("filter").addEventListener("input", onFilterInput);
  onShortcut("search", focusFilter);
  $("attention-filter").addEventListener("click", () => {
    beginAction();
    state.needsAttention = !state.needsAttention;
    state.offset = 0;
    renderList();
    loadList();
  });
  $("rows").addEventListener("click", (event) => {
    const row = event.target.closest("tr[data-license]");
    if (!row || event.target.closest("[data-copy]")) return;
    beginAction();
    open(row.dataset.license);
  });
  initRowKeys(
    (license) => {
      beginAction();
      open(license).then(() => $("detail").focus());
    },
    async (page) => {
      const [pages, current] = [pageCount(), currentPage()];
      const to = { next: current + 1, previous: current - 1, first: 1, last: pages }[page];
      if (to < 1 || to > pages || to === current) return false;
      beginAction();
      state.offset = (to - 1) * PAGE;
      await loadList();
      return true;
    },
  );
  initSorting(() => {
    beginAction();
    state.offset = 0;
    loadList();
  });
  initPager(loadList);
}
