// The two dialogs: registering a standby (R4, R9, R13) and exporting an activation or release
// request. They are not modal: the language can be switched while one is open, and every text in
// them follows the switch.
import * as api from "./api.js";
import { say, t, unsay } from "./i18n.js";
import { explain, hideIn, idProblem, showIn } from "./errors.js";
import { readFile } from "./files.js";

const $ = (id) => document.getElementById(id);

/** Opens `dialog` beside the window's content (closing any other) and remembers where the focus was. */
function open(dialog) {
  for (const other of document.querySelectorAll("dialog[open]")) if (other !== dialog) other.close();
  if (!dialog.open) dialog.returnFocus = document.activeElement;
  if (!dialog.open) dialog.show();
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

function closed(dialog) {
  const back = dialog.returnFocus;
  dialog.returnFocus = null;
  if (back && back.isConnected) back.focus();
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
    say(out, () => {
      const { sentence, detail } = explain(error);
      return t("register.this_failed", { reason: sentence, detail }).trim();
    });
    out.className = "check bad";
    radio.disabled = true;
    if (radio.checked) selectSource("typed");
  }
}

export async function openRegister(failover, current, onDone) {
  registerFor = failover;
  registered = onDone;
  say($("register-heading"), () => t("register.heading", { license: failover }));
  hideIn($("register-error"));
  $("hwid-input").value = current && current.hardware_id ? current.hardware_id : "";
  $("hwid-file").value = "";
  $("mode-select").value = (current && current.mode) || "cold";
  selectSource("typed");
  checkTyped();
  showThisMachine();
  open($("register-dialog"));
  $("hwid-input").focus();
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

/** `role` is "main" or "standby" for an activation request, or "release" for a release request. */
export async function openExport(license, role, hardwareId, onDone) {
  exportArgs = { license, role };
  exported = onDone;
  hideIn($("export-error"));
  hideIn($("export-result"));
  $("export-overwrite").checked = false;
  $("export-submit").disabled = false;
  // R11: a standby's activation (and re-activation) and its release show the standby/test notice.
  $("export-notice").hidden = role === "main";
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
    if (exported) exported(file);
  } catch (e) {
    showIn(error, e);
    $("export-submit").disabled = false;
  }
}

export function initDialogs() {
  $("register-form").addEventListener("submit", submitRegister);
  $("register-cancel").addEventListener("click", () => close($("register-dialog")));
  $("hwid-input").addEventListener("input", () => {
    selectSource("typed");
    checkTyped();
  });
  $("hwid-file").addEventListener("change", () => selectSource("file"));
  $("export-form").addEventListener("submit", submitExport);
  $("export-cancel").addEventListener("click", () => close($("export-dialog")));
  for (const dialog of document.querySelectorAll("dialog")) {
    // Not modal, so Escape is ours to handle: it closes the dialog and gives the focus back.
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
