// Sorting the licenses list by a column: customer, license number, users, main system's state,
// last change. A header's button sorts by its column (again: the other way); `aria-sort` on the
// header says how the list is sorted. The store sorts (by index), so the order holds across
// pages and filters. The header buttons are one Tab stop: the arrow keys move between them.
import { state } from "../state.js";

const $ = (id) => document.getElementById(id);

/** A column sorted for the first time: the latest change first, every other column A to Z. */
const FIRST_DESCENDING = new Set(["changed"]);

function buttons() {
  return Array.from(document.querySelectorAll("#licenses-table thead button.sort"));
}

/** Marks the sorted column (`aria-sort`, its arrow) and makes its button the header's Tab stop. */
export function renderSorting() {
  for (const button of buttons()) {
    const th = button.closest("th");
    const sorted = button.dataset.order === state.order;
    if (sorted) th.setAttribute("aria-sort", state.descending ? "descending" : "ascending");
    else th.removeAttribute("aria-sort");
    th.classList.toggle("sorted", sorted);
    button.querySelector(".sort-mark").textContent = sorted ? (state.descending ? "▼" : "▲") : "";
  }
  const current = buttons().find((b) => b.getAttribute("tabindex") === "0");
  if (!current) setStop(buttons().find((b) => b.dataset.order === state.order) || buttons()[0]);
}

function setStop(button) {
  for (const b of buttons()) b.setAttribute("tabindex", b === button ? "0" : "-1");
}

/** Wires the header buttons: a click sorts (`sorted()` then reloads), arrows move the focus. */
export function initSorting(sorted) {
  const head = $("licenses-table").querySelector("thead");
  head.addEventListener("click", (event) => {
    const button = event.target.closest("button.sort");
    if (!button) return;
    const order = button.dataset.order;
    if (order === state.order) state.descending = !state.descending;
    else {
      state.order = order;
      state.descending = FIRST_DESCENDING.has(order);
    }
    setStop(button);
    renderSorting();
    sorted();
  });
  head.addEventListener("keydown", (event) => {
    const all = buttons();
    const at = all.indexOf(event.target);
    if (at < 0) return;
    const to = {
      ArrowRight: Math.min(at + 1, all.length - 1),
      ArrowLeft: Math.max(at - 1, 0),
      Home: 0,
      End: all.length - 1,
    }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    setStop(all[to]);
    all[to].focus();
  });
  renderSorting();
}
