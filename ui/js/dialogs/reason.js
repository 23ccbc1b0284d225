// A decision with its reason (audited): acknowledging past five-day violations, dismissing a
// tampered usage journal. The reason may not be blank; a refusal is said in the action's terms.
import { say, t } from "../i18n.js";
import { hideIn, showIn } from "../errors.js";
import { close, open } from "./modal.js";

const $ = (id) => document.getElementById(id);

let reasonFor = null;

/**
 * Opens the reason dialog. `texts` renders `{ heading, what, submit }` in the current language
 * (called again after a language switch); `act(reason)` calls the backend, and its refusal is
 * explained from its code and values (ui/js/errors.js); `onDone(result)` runs after the dialog
 * closed.
 */
export function openReason(texts, act, onDone) {
  reasonFor = { act, onDone };
  say($("reason-heading"), () => texts().heading);
  say($("reason-what"), () => texts().what);
  say($("reason-submit"), () => texts().submit);
  hideIn($("reason-error"));
  const input = $("reason-input");
  input.value = "";
  input.removeAttribute("aria-invalid");
  $("reason-submit").disabled = false;
  open($("reason-dialog"));
  input.focus();
}

async function submitReason(event) {
  event.preventDefault();
  const error = $("reason-error");
  const input = $("reason-input");
  hideIn(error);
  const reason = input.value.trim();
  if (!reason) {
    say(error, () => t("reason.needed"));
    error.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.focus();
    return;
  }
  input.removeAttribute("aria-invalid");
  const { act, onDone } = reasonFor;
  $("reason-submit").disabled = true;
  try {
    const result = await act(reason);
    close($("reason-dialog"));
    if (onDone) await onDone(result);
  } catch (e) {
    showIn(error, e);
    input.focus();
  } finally {
    $("reason-submit").disabled = false;
  }
}

export function initReason() {
  $("reason-form").addEventListener("submit", submitReason);
  $("reason-cancel").addEventListener("click", () => close($("reason-dialog")));
}
