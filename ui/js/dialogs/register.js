// Registering a standby for a FailoverSuite (R4, R9, R13): from its hardware-ID file (the
// default: only it carries the installation key the vendor certifies), this machine, or a typed
// hardware ID (checked as it is typed), in cold, hot or test mode.
import * as api from "../api.js";
import { say, standbyNotice, t, unsay } from "../i18n.js";
import { explain, hideIn, idProblem, showIn } from "../errors.js";
import { readFile } from "../files.js";
import { close, open } from "./modal.js";

const $ = (id) => document.getElementById(id);

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

export function initRegister() {
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
}
