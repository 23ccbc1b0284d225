// Copy buttons: one beside every license number, hardware ID and key ID the window shows. A
// button carries the text it copies (`data-copy`) and is labelled with what it copies, so a
// screen reader says "Copy license number OMS-…" rather than a bare "Copy"; one listener on the
// document serves every button, wherever a screen rendered it. The result is said in the status
// banner (a status message, read once by screen readers).
import { html } from "./html.js";
import { t } from "./i18n.js";
import { beginAction, showStatus } from "./notes.js";

/** Puts `text` on the clipboard; true when it got there. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (_) {
    // Older WebKit: copy through a selected, temporary text field.
    const field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    document.body.appendChild(field);
    field.select();
    const ok = document.execCommand("copy");
    field.remove();
    return ok;
  }
}

/**
 * A copy button for `value`; `what` names it (`license`, `hardware`, `key`). `tabindex` -1 keeps
 * it out of the Tab order where the surrounding widget moves the focus itself (a list row).
 */
export function copyButton(value, what, { tabindex = null } = {}) {
  const label = t(`copy.${what}`, { value });
  return html`<button type="button" class="copy-btn" data-copy="${value}" data-copy-what="${what}"
    aria-label="${label}" title="${label}"${tabindex === null ? "" : html` tabindex="${tabindex}"`}>${t("copy.button")}</button>`;
}

/** One listener for every copy button (call once). */
export function initCopy() {
  document.addEventListener("click", async (event) => {
    const button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    event.stopPropagation();
    beginAction();
    const value = button.dataset.copy;
    const what = button.dataset.copyWhat;
    const ok = await copyText(value);
    showStatus(() => (ok ? t("copy.done", { value, what: t(`copy.what.${what}`) }) : t("copy.failed")));
  });
}
