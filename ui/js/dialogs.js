// The two dialogs: registering a standby (R4, R9, R13) and exporting an activation request.
import * as api from "./api.js";
import { t } from "./i18n.js";
import { showIn } from "./errors.js";
import { readFile } from "./files.js";

const $ = (id) => document.getElementById(id);

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
    out.textContent = t("register.check.empty");
    out.className = "check";
    input.removeAttribute("aria-invalid");
    return null;
  }
  try {
    const hwid = await api.checkHardwareId(text);
    if (seq !== checkSeq) return null;
    out.textContent = t("register.check.ok", { hwid });
    out.className = "check ok";
    input.setAttribute("aria-invalid", "false");
    return hwid;
  } catch (error) {
    if (seq !== checkSeq) return null;
    out.textContent = error.message || t("error.invalid_input");
    out.className = "check bad";
    input.setAttribute("aria-invalid", "true");
    return null;
  }
}

function selectSource(value) {
  const radio = document.querySelector(`input[name="source"][value="${value}"]`);
  if (radio) radio.checked = true;
}

export async function openRegister(failover, current, onDone) {
  registerFor = failover;
  registered = onDone;
  $("register-heading").textContent = t("register.heading", { license: failover });
  $("register-error").hidden = true;
  $("hwid-input").value = current && current.hardware_id ? current.hardware_id : "";
  $("hwid-file").value = "";
  $("mode-select").value = (current && current.mode) || "cold";
  selectSource("typed");
  checkTyped();
  $("register-this-id").textContent = "";
  api.thisMachine().then(
    (m) => ($("register-this-id").textContent = m.hardware_id),
    () => ($("register-this-id").textContent = ""),
  );
  $("register-dialog").showModal();
  $("hwid-input").focus();
}

async function submitRegister(event) {
  event.preventDefault();
  const source = document.querySelector('input[name="source"]:checked').value;
  const error = $("register-error");
  error.hidden = true;
  let machine;
  try {
    if (source === "this_machine") {
      machine = { kind: "this_machine" };
    } else if (source === "typed") {
      machine = { kind: "typed", hardware_id: $("hwid-input").value };
    } else {
      const file = $("hwid-file").files[0];
      if (!file) {
        error.textContent = t("register.need_file");
        error.hidden = false;
        return;
      }
      machine = { kind: "file", content: await readFile(file) };
    }
    $("register-submit").disabled = true;
    const system = await api.registerStandby(registerFor, machine, $("mode-select").value);
    $("register-dialog").close();
    if (registered) registered(system);
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
  $("export-error").hidden = true;
  $("export-result").hidden = true;
  $("export-overwrite").checked = false;
  $("export-submit").disabled = false;
  $("export-heading").textContent = role === "release" ? t("release.heading") : t("export.heading");
  $("export-what").textContent =
    role === "main"
      ? t("export.what.main", { license })
      : role === "release"
        ? t("release.what", { license })
        : t("export.what.standby", { license, hwid: hardwareId });
  $("export-path").value = "";
  $("export-dialog").showModal();
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
  error.hidden = true;
  $("export-submit").disabled = true;
  try {
    const path = $("export-path").value;
    const overwrite = $("export-overwrite").checked;
    const file =
      exportArgs.role === "release"
        ? await api.exportReleaseRequest(exportArgs.license, path, overwrite)
        : (await api.exportRequest(exportArgs.license, exportArgs.role, path, overwrite)).file;
    const result = $("export-result");
    result.textContent = exportArgs.role === "release" ? t("release.done", { file }) : t("export.done", { file });
    result.hidden = false;
    if (exported) exported(file);
  } catch (e) {
    showIn(error, e);
    $("export-submit").disabled = false;
  }
}

export function initDialogs() {
  $("register-form").addEventListener("submit", submitRegister);
  $("register-cancel").addEventListener("click", () => $("register-dialog").close());
  $("hwid-input").addEventListener("input", () => {
    selectSource("typed");
    checkTyped();
  });
  $("hwid-file").addEventListener("change", () => selectSource("file"));
  $("export-form").addEventListener("submit", submitExport);
  $("export-cancel").addEventListener("click", () => $("export-dialog").close());
}
