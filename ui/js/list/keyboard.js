// The licenses list is one Tab stop (a roving tabindex): Tab reaches one row — the open
// license's, else the first — and the arrow keys move inside: Up and Down a row, Home and End
// the first and last row of the page, Page Up and Page Down a screenful. Past the page's last
// row, Down and Page Down go on to the next page's first row; before its first row, Up and Page
// Up go back to the previous page's last row; Ctrl+Home and Ctrl+End go to the first and the
// last license of the whole list. Enter or Space opens the focused license. The rows' copy
// buttons stay out of the Tab order (a click copies).

const ROW = "tr[data-license]";

function rows() {
  return Array.from(document.querySelectorAll(`#rows ${ROW}`));
}

/** Makes `row` the list's one Tab stop and moves the focus there. */
export function focusRowElement(row) {
  if (!row) return;
  for (const r of rows()) r.setAttribute("tabindex", r === row ? "0" : "-1");
  row.focus();
  row.scrollIntoView({ block: "nearest" });
}

/** How many rows fit in the list's visible part (at least one). */
function screenful() {
  const wrap = document.querySelector(".table-wrap");
  const first = rows()[0];
  if (!wrap || !first) return 1;
  const head = wrap.querySelector("thead");
  const visible = wrap.clientHeight - (head ? head.offsetHeight : 0);
  return Math.max(1, Math.floor(visible / Math.max(first.offsetHeight, 1)) - 1);
}

/**
 * Wires the keys of the list: `open(license)` opens one (a promise: the panel takes the focus);
 * `turnPage(page)` shows the `"next"`, `"previous"`, `"first"` or `"last"` page of the list (a
 * promise of whether it turned: false when there is no such other page).
 */
export function initRowKeys(open, turnPage) {
  const edgeRow = (edge) => {
    const all = rows();
    return edge === "first" ? all[0] : all[all.length - 1];
  };
  /** Turns to `page`, then focuses its row at `edge`; `stay`: a turn that did not happen moves nothing. */
  const turn = (page, edge, stay) =>
    turnPage(page).then((turned) => {
      if (turned || !stay) focusRowElement(edgeRow(edge));
    });
  document.getElementById("rows").addEventListener("keydown", (event) => {
    const row = event.target.closest(ROW);
    if (!row || event.target !== row) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      open(row.dataset.license);
      return;
    }
    if (event.altKey || event.metaKey) return;
    if (event.ctrlKey) {
      const page = { Home: "first", End: "last" }[event.key];
      if (!page) return;
      event.preventDefault();
      turn(page, page, false);
      return;
    }
    const all = rows();
    const at = all.indexOf(row);
    const down = event.key === "ArrowDown" || event.key === "PageDown";
    const up = event.key === "ArrowUp" || event.key === "PageUp";
    if ((down && at === all.length - 1) || (up && at === 0)) {
      event.preventDefault();
      turn(down ? "next" : "previous", down ? "first" : "last", true);
      return;
    }
    const to = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      Home: 0,
      End: all.length - 1,
      PageDown: at + screenful(),
      PageUp: at - screenful(),
    }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    focusRowElement(all[Math.min(Math.max(to, 0), all.length - 1)]);
  });
  // A row clicked becomes the Tab stop too.
  document.getElementById("rows").addEventListener("focusin", (event) => {
    const row = event.target.closest(ROW);
    if (row && event.target === row) {
      for (const r of rows()) r.setAttribute("tabindex", r === row ? "0" : "-1");
    }
  });
}
