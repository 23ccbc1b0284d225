// What every dialog shares: it is modal — while one is open the rest of the page is inert, except
// the language buttons, so the language can still be switched (and every text in the dialog
// follows) — Tab cycles through the dialog and the language buttons only, Escape closes it, and
// the focus goes back to where it was.
const $ = (id) => document.getElementById(id);

/**
 * Makes everything outside `keep` inert: at each level from the body down to a kept element,
 * the siblings that hold no kept element. Returns the elements made inert, to undo it.
 */
function inertOutside(keep) {
  const onPath = new Set();
  for (const k of keep) for (let e = k; e && e !== document.body; e = e.parentElement) onPath.add(e);
  const made = [];
  const walk = (parent) => {
    for (const child of parent.children) {
      if (keep.includes(child)) continue;
      if (onPath.has(child)) walk(child);
      else if (!child.inert && child.tagName !== "SCRIPT") {
        child.inert = true;
        made.push(child);
      }
    }
  };
  walk(document.body);
  return made;
}

/** The elements Tab stops at inside `root`, in document order (one radio button per group). */
function tabStops(root) {
  const candidates = root.querySelectorAll(
    "button, input, select, textarea, summary, a[href], [tabindex]:not([tabindex='-1'])",
  );
  const radioGroups = new Set();
  return Array.from(candidates).filter((e) => {
    if (e.disabled || e.tabIndex < 0 || e.closest("[inert]") || e.getClientRects().length === 0) return false;
    if (e.type === "radio") {
      const group = root.querySelectorAll(`input[type=radio][name="${CSS.escape(e.name)}"]`);
      const stop = Array.from(group).find((r) => r.checked && !r.disabled) || Array.from(group).find((r) => !r.disabled);
      if (stop !== e || radioGroups.has(e.name)) return false;
      radioGroups.add(e.name);
    }
    return true;
  });
}

/** Tab and Shift+Tab go round the open dialog and the language buttons, nowhere else. */
function trapTab(event) {
  // (Shift+Tab may come as key "Unidentified" with code "Tab", as WebKitGTK's ISO_Left_Tab.)
  if (event.key !== "Tab" && event.code !== "Tab" && event.keyCode !== 9) return;
  const dialog = document.querySelector("dialog[open]");
  if (!dialog) return;
  const ring = [...tabStops(document.querySelector(".lang")), ...tabStops(dialog)];
  if (ring.length === 0) return;
  event.preventDefault();
  const at = ring.indexOf(document.activeElement);
  const step = event.shiftKey ? -1 : 1;
  const next = at < 0 ? (event.shiftKey ? ring[ring.length - 1] : ring[0]) : ring[(at + step + ring.length) % ring.length];
  next.focus();
}

/** How to find the opener again after the panel it was in was made anew (by id, or by its class and FailoverSuite). */
function selectorOf(element) {
  if (!element || element === document.body) return null;
  if (element.id) return `#${CSS.escape(element.id)}`;
  if (element.dataset && element.dataset.failover && element.classList.length) {
    const cls = Array.from(element.classList).find((c) => !["button", "primary"].includes(c)) || element.classList[0];
    const hash = element.dataset.hash ? `[data-hash="${CSS.escape(element.dataset.hash)}"]` : "";
    return `.${CSS.escape(cls)}[data-failover="${CSS.escape(element.dataset.failover)}"]${hash}`;
  }
  return null;
}

/** Opens `dialog` as a modal one (closing any other) and remembers where the focus was. */
export function open(dialog) {
  for (const other of document.querySelectorAll("dialog[open]")) if (other !== dialog) other.close();
  if (dialog.open) return;
  dialog.returnFocus = document.activeElement;
  dialog.returnSelector = selectorOf(document.activeElement);
  dialog.show();
  dialog.madeInert = inertOutside([dialog, document.querySelector(".lang")]);
  document.body.classList.add("modal-open");
}

/** Closes the open dialog, if any; says whether there was one. */
export function closeOpenDialog() {
  const dialog = document.querySelector("dialog[open]");
  if (dialog) dialog.close();
  return Boolean(dialog);
}

export function close(dialog) {
  dialog.close();
}

/**
 * After a dialog closed: the page is live again, and the focus goes back to its opener — or,
 * when the panel it was in was made anew meanwhile, to the same button there, or to the heading.
 */
function closed(dialog) {
  for (const e of dialog.madeInert || []) e.inert = false;
  dialog.madeInert = null;
  document.body.classList.remove("modal-open");
  const back = dialog.returnFocus;
  const selector = dialog.returnSelector;
  dialog.returnFocus = null;
  dialog.returnSelector = null;
  if (back && back.isConnected) {
    back.focus();
    return;
  }
  const again = selector && document.querySelector(selector);
  const target = again || $("detail-heading") || $("detail");
  if (target) target.focus();
}

/** Makes `dialog` modal in this way: Escape closes it, and closing gives the focus back (a
 * dialog made after the page started, such as the Store dialog, is made modal when it is made). */
export function modal(dialog) {
  // Escape is ours to handle (the dialog is opened with show()): it closes the dialog and gives the focus back.
  dialog.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close(dialog);
    }
  });
  dialog.addEventListener("close", () => closed(dialog));
}

/** Makes every dialog of the page modal in this way (Escape, closing, Tab). */
export function initModal() {
  document.addEventListener("keydown", trapTab);
  for (const dialog of document.querySelectorAll("dialog")) modal(dialog);
}
