// The pages of the licenses list: first, previous, page N of M (a number field to jump to any
// page), next, last, and which licenses the page shows. A page number that is not one of the
// list's is said next to the field, in the user's language, and nothing moves.
import { formatNumber, t } from "../i18n.js";
import { beginAction } from "../notes.js";
import { PAGE, state } from "../state.js";

const $ = (id) => document.getElementById(id);

/** How many pages the list has (an empty list has one, empty, page). */
export function pageCount() {
  return Math.max(1, Math.ceil(state.total / PAGE));
}

/** The page shown, from 1. */
export function currentPage() {
  return Math.floor(state.offset / PAGE) + 1;
}

function clearPageError() {
  const field = $("page-number");
  field.removeAttribute("aria-invalid");
  $("page-error").hidden = true;
  $("page-error").textContent = "";
}

/** Shows the pager for the page the state names. */
export function renderPager() {
  const pages = pageCount();
  const page = currentPage();
  const from = state.rows.length ? state.offset + 1 : 0;
  const to = state.offset + state.rows.length;
  $("page-info").textContent = t("pager.info", {
    from: formatNumber(from),
    to: formatNumber(to),
    total: formatNumber(state.total),
  });
  const field = $("page-number");
  if (document.activeElement !== field || field.getAttribute("aria-invalid") !== "true") {
    field.value = String(page);
    clearPageError();
  }
  field.max = String(pages);
  $("page-count").textContent = t("list.pager.of", { pages: formatNumber(pages) });
  $("first").disabled = page <= 1;
  $("prev").disabled = page <= 1;
  $("next").disabled = page >= pages;
  $("last").disabled = page >= pages;
}

/** Wires the pager: each move calls `go()` after setting the state's offset. */
export function initPager(go) {
  const toPage = (page) => {
    beginAction();
    state.offset = (Math.min(Math.max(page, 1), pageCount()) - 1) * PAGE;
    go();
  };
  $("first").addEventListener("click", () => toPage(1));
  $("prev").addEventListener("click", () => toPage(currentPage() - 1));
  $("next").addEventListener("click", () => toPage(currentPage() + 1));
  $("last").addEventListener("click", () => toPage(pageCount()));
  const jump = (event) => {
    event.preventDefault();
    const field = $("page-number");
    const text = field.value.trim();
    const page = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(page >= 1 && page <= pageCount())) {
      field.setAttribute("aria-invalid", "true");
      $("page-error").textContent = t("list.pager.invalid", { pages: formatNumber(pageCount()) });
      $("page-error").hidden = false;
      field.select();
      return;
    }
    clearPageError();
    if (page !== currentPage()) toPage(page);
  };
  $("page-form").addEventListener("submit", jump);
  $("page-number").addEventListener("change", jump);
}
