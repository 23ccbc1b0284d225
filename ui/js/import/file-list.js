// A long list of files as one listbox: only the rows in view are in the page (10,000 refused
// files make neither a tall page nor 10,000 Tab stops), one Tab stop for the whole list, the
// arrow keys (and Page Up/Down, Home, End) move the active row inside it, and a screen reader
// hears the active row (aria-activedescendant) with its place in the list (aria-posinset).
import { html, mount } from "../html.js";

/** The most rows the list shows at once; it scrolls past that. */
const VISIBLE_ROWS = 6;

/**
 * Makes `box` (an element with role="listbox" and tabindex="0", holding `.vlist-before`,
 * `.vlist-rows` and `.vlist-after`: the rows in view between two spacers as tall as the rows
 * above and below them) a list of `items`; `text(item)` is a row's text, `onActive(item)` hears
 * which row is active. Returns `{ show(items), refresh() }`.
 */
export function fileList(box, { text, onActive }) {
  const before = box.querySelector(".vlist-before");
  const rows = box.querySelector(".vlist-rows");
  const after = box.querySelector(".vlist-after");
  let items = [];
  let active = 0;

  // The rows' height, from the style sheet (so zoom and fonts follow it).
  const rowHeight = () => parseFloat(getComputedStyle(box).getPropertyValue("--row-height")) || 28;

  function render() {
    const height = rowHeight();
    box.style.height = `${Math.max(1, Math.min(items.length, VISIBLE_ROWS)) * height + 2}px`;
    const first = Math.max(0, Math.floor(box.scrollTop / height) - 1);
    const last = Math.min(items.length, first + VISIBLE_ROWS + 3);
    before.style.height = `${first * height}px`;
    after.style.height = `${(items.length - last) * height}px`;
    const shown = [];
    for (let i = first; i < last; i += 1) {
      const line = text(items[i]);
      shown.push(html`<div role="option" id="import-file-${i}" class="vlist-row${i === active ? " active" : ""}"
        aria-selected="${String(i === active)}" aria-setsize="${items.length}" aria-posinset="${i + 1}"
        data-index="${i}" title="${line}">${line}</div>`);
    }
    mount(rows, html`${shown}`);
    if (items.length) box.setAttribute("aria-activedescendant", `import-file-${active}`);
    else box.removeAttribute("aria-activedescendant");
  }

  /** Makes row `i` the active one, scrolled into view. */
  function activate(i) {
    if (!items.length) return;
    active = Math.max(0, Math.min(items.length - 1, i));
    const height = rowHeight();
    const top = active * height;
    if (top < box.scrollTop) box.scrollTop = top;
    else if (top + height > box.scrollTop + box.clientHeight) box.scrollTop = top + height - box.clientHeight;
    render();
    onActive(items[active]);
  }

  box.addEventListener("scroll", render);
  box.addEventListener("click", (event) => {
    const row = event.target.closest("[data-index]");
    if (row) activate(Number(row.dataset.index));
  });
  box.addEventListener("keydown", (event) => {
    const page = Math.max(1, Math.floor(box.clientHeight / rowHeight()) - 1);
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (event.key in moves) activate(active + moves[event.key]);
    else if (event.key === "Home") activate(0);
    else if (event.key === "End") activate(items.length - 1);
    else return;
    event.preventDefault();
  });

  return {
    show(list) {
      items = list;
      active = 0;
      box.scrollTop = 0;
      render();
      onActive(items.length ? items[0] : null);
    },
    /** Renders the rows again (after a language switch). */
    refresh() {
      render();
      onActive(items.length ? items[active] : null);
    },
  };
}
