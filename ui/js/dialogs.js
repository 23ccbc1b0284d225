// The dialogs: registering a standby (R4, R9, R13), exporting an activation or release
// request, and giving the reason for an administrator's decision (acknowledging past five-day
// violations, dismissing a tampered usage journal). They are modal: while one is open the rest of the page is inert — except the language
// buttons, so the language can still be switched, and every text in the dialog follows — and Tab
// cycles through the dialog (and the language buttons) only.
import * as api from "./api.js";
import { say, standbyNotice, t, unsay } from "./i18n.js";
import { explain, hideIn, idProblem, showIn } from "./errors.js";
import { readFile } from "./files.js";

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------------------------
// Modality

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
function open(dialog) {
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

function close(dialog) {
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

// ---------------------------------------------------------------------------------------------
// Register standby

let registerFor = null;
let registered = null;
let checkSeq = 0;

async function checkTyped() {
  const input = $("hwid-input");
  const out = $("hwid-check");
  const text = input.value.trim();
  const seq = ++checkSeq;
  if (!text) {
    say(out, () => t("register.check.empty"));
    out.className = "check";
    input.removeAttribute("aria-invalid");
    return null;
  }
  try {
    const hwid = await api.checkHardwareId(text);
    if (seq !== checkSeq) return null;
    say(out, () => t("register.check.ok", { hwid }));
    out.className = "check ok";
    input.setAttribute("aria-invalid", "false");
    return hwid;
  } catch (error) {
    if (seq !== checkSeq) return null;
    const count = text.replace(/[\s-]/g, "").length;
    say(out, () => {
      const precise = idProblem(error);
      if (!precise) return explain(error).sentence;
      return error.reason === "wrong_shape" ? `${precise} ${t("idcheck.count", { count })}` : precise;
    });
    out.className = "check bad";
    input.setAttribute("aria-invalid", "true");
    return null;
  }
}

function selectSource(value) {
  const radio = document.querySelector(`input[name="source"][value="${value}"]`);
  if (radio) radio.checked = true;
}

/** Shows which hardware-ID file is chosen, in the user's language (the native picker's own text is hidden). */
function showChosenFile() {
  const file = $("hwid-file").files[0];
  const name = file ? file.name : null;
  say($("hwid-file-name"), () => (name ? t("register.file.chosen", { file: name }) : t("register.file.none")));
}

/** Shows this machine's hardware ID beside its choice, or why it could not be read. */
async function showThisMachine() {
  const out = $("register-this-id");
  const radio = $("source-this");
  say(out, () => t("register.this_reading"));
  out.className = "mono muted";
  radio.disabled = false;
  try {
    const m = await api.thisMachine();
    unsay(out);
    out.textContent = m.hardware_id;
  } catch (error) {
    say(out, () => t("register.this_failed", { reason: explain(error).sentence, detail: "" }).trim());
    out.className = "check bad";
    radio.disabled = true;
    if (radio.checked) selectSource("file");
  }
}

/**
 * Opens the register dialog for `failover`. The hardware-ID file is the default choice: only it
 * (or this machine, on the standby itself) carries the installation key the vendor certifies.
 */
export async function openRegister(failover, current, onDone) {
  registerFor = failover;
  registered = onDone;
  say($("register-heading"), () => t("register.heading", { license: failover }));
  say($("register-notice"), () => standbyNotice(current && current.limits));
  hideIn($("register-error"));
  $("hwid-input").value = current && current.hardware_id ? current.hardware_id : "";
  $("hwid-file").value = "";
  showChosenFile();
  $("mode-select").value = (current && current.mode) || "cold";
  selectSource("file");
  checkTyped();
  showThisMachine();
  open($("register-dialog"));
  $("hwid-file-button").focus();
}

async function submitRegister(event) {
  event.preventDefault();
  const source = document.querySelector('input[name="source"]:checked').value;
  const error = $("register-error");
  hideIn(error);
  let machine;
  try {
    if (source === "this_machine") {
      machine = { kind: "this_machine" };
    } else if (source === "typed") {
      machine = { kind: "typed", hardware_id: $("hwid-input").value };
    } else {
      const file = $("hwid-file").files[0];
      if (!file) {
        say(error, () => t("register.need_file"));
        error.hidden = false;
        $("hwid-file-button").focus();
        return;
      }
      machine = { kind: "file", content: await readFile(file) };
    }
    $("register-submit").disabled = true;
    const system = await api.registerStandby(registerFor, machine, $("mode-select").value);
    close($("register-dialog"));
    if (registered) await registered(system);
  } catch (e) {
    showIn(error, e);
  } finally {
    $("register-submit").disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------
// Export activation request

let exportArgs = null;
let exported = null;

/**
 * `role` is "main" or "standby" for an activation request, or "release" for a release request;
 * `limits` are those of the standby's signed activation, where known (R11 notice).
 */
export async function openExport(license, role, hardwareId, onDone, limits = null) {
  exportArgs = { license, role };
  exported = onDone;
  hideIn($("export-error"));
  hideIn($("export-result"));
  $("export-overwrite").checked = false;
  $("export-submit").disabled = false;
  // R11: a standby's activation (and re-activation) and its release show the standby/test notice.
  const notice = $("export-notice");
  if (role === "main") {
    unsay(notice);
    notice.hidden = true;
  } else {
    say(notice, () => standbyNotice(limits));
    notice.hidden = false;
  }
  say($("export-heading"), () => (role === "release" ? t("release.heading") : t("export.heading")));
  say($("export-what"), () =>
    role === "main"
      ? t("export.what.main", { license })
      : role === "release"
        ? t("release.what", { license })
        : t("export.what.standby", { license, hwid: hardwareId }),
  );
  $("export-path").value = "";
  open($("export-dialog"));
  try {
    $("export-path").value =
      role === "release" ? await api.suggestReleasePath(license) : await api.suggestRequestPath(license, role);
  } catch (e) {
    showIn($("export-error"), e);
  }
  $("export-path").focus();
}

async function submitExport(event) {
  event.preventDefault();
  const error = $("export-error");
  hideIn(error);
  $("export-submit").disabled = true;
  try {
    const path = $("export-path").value;
    const overwrite = $("export-overwrite").checked;
    const role = exportArgs.role;
    const file =
      role === "release"
        ? await api.exportReleaseRequest(exportArgs.license, path, overwrite)
        : (await api.exportRequest(exportArgs.license, role, path, overwrite)).file;
    const result = $("export-result");
    say(result, () => (role === "release" ? t("release.done", { file }) : t("export.done", { file })));
    result.hidden = false;
    if (exported) await exported(file, role);
    // The request is written: the next step is to close this dialog.
    $("export-cancel").focus();
  } catch (e) {
    showIn(error, e);
    $("export-submit").disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------
// A decision with its reason (audited): acknowledging past violations, dismissing a tampered journal

let reasonFor = null;

/**
 * Opens the reason dialog. `texts` renders `{ heading, what, submit }` in the current language
 * (called again after a language switch); `act(reason)` calls the backend, and its refusal is
 * explained by its code (with `context`'s own sentence where there is one); `onDone(result)`
 * runs after the dialog closed.
 */
export function openReason(texts, act, onDone, context = null) {
  reasonFor = { act, onDone, context };
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
  const { act, onDone, context } = reasonFor;
  $("reason-submit").disabled = true;
  try {
    const result = await act(reason);
    close($("reason-dialog"));
    if (onDone) await onDone(result);
  } catch (e) {
    showIn(error, e, context);
    input.focus();
  } finally {
    $("reason-submit").disabled = false;
  }
}

export function initDialogs() {
  $("reason-form").addEventListener("submit", submitReason);
  $("reason-cancel").addEventListener("click", () => close($("reason-dialog")));
  $("register-form").addEventListener("submit", submitRegister);
  $("register-cancel").addEventListener("click", () => close($("register-dialog")));
  $("hwid-input").addEventListener("input", () => {
    selectSource("typed");
    checkTyped();
  });
  $("hwid-file-button").addEventListener("click", () => $("hwid-file").click());
  $("hwid-file").addEventListener("change", () => {
    selectSource("file");
    showChosenFile();
  });
  $("export-form").addEventListener("submit", submitExport);
  $("export-cancel").addEventListener("click", () => close($("export-dialog")));
  document.addEventListener("keydown", trapTab);
  for (const dialog of document.querySelectorAll("dialog")) {
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
}
