// The "This machine" and "Vendor keys" screens. This machine's hardware-ID file is saved where
// the desk suggests (the documents folder) or where the user says: a path typed or pasted, or
// chosen in the native Save dialog.
import * as api from "./api.js";
import { html, mount } from "./html.js";
import { onLanguage, say, t, unsay } from "./i18n.js";
import { hideIn, showError, showIn } from "./errors.js";
import { beginAction, onActionBegins } from "./notes.js";
import { copyButton, copyText } from "./copy.js";
import { chooseSavePath } from "./dialogs/choose.js";

const $ = (id) => document.getElementById(id);
let machine = null;
let keys = null;

export async function renderMachine() {
  if (!$("hwfile-path").value) {
    api
      .suggestHardwareFilePath()
      .then((path) => {
        if (!$("hwfile-path").value) $("hwfile-path").value = path;
      })
      .catch((e) => showIn($("hwfile-error"), e));
  }
  if (!machine) {
    try {
      machine = await api.thisMachine();
    } catch (e) {
      showError(e);
      return;
    }
  }
  $("machine-hwid").textContent = machine.hardware_id;
  const host = machine.label;
  say($("machine-label"), () => (host ? t("machine.host", { host }) : ""));
}

function clearCopyStatus() {
  unsay($("copy-status"));
  $("copy-status").textContent = "";
}

async function copyHwid() {
  beginAction();
  const ok = await copyText($("machine-hwid").textContent);
  say($("copy-status"), () => (ok ? t("machine.copied") : t("machine.copy_failed")));
}

/** Writes this machine's hardware-ID file where the user said, for registering it as a standby elsewhere. */
async function saveHardwareFile(event) {
  event.preventDefault();
  beginAction();
  const button = $("hwfile-save");
  button.disabled = true;
  try {
    const file = await api.saveHardwareFile($("hwfile-path").value, $("hwfile-overwrite").checked);
    const result = $("hwfile-result");
    say(result, () => t("machine.file.done", { file }));
    result.hidden = false;
    $("hwfile-overwrite").checked = false;
  } catch (e) {
    showIn($("hwfile-error"), e);
  } finally {
    button.disabled = false;
  }
}

export async function renderKeys() {
  if (!keys) {
    try {
      keys = await api.trustedKeys();
    } catch (e) {
      showError(e);
      return;
    }
  }
  mount(
    $("keys-rows"),
    html`${keys.map(
      (k) => html`<tr><td><span class="mono">${k.key_id}</span> ${copyButton(k.key_id, "key")}</td>
        <td>${k.vendor} ${k.demo ? html`<span class="badge demo">${t("demo")}</span>` : ""}</td>
        <td>${t(`keys.origin.${k.origin}`)}</td></tr>`,
    )}`,
  );
}

export function initPages() {
  $("copy-hwid").addEventListener("click", copyHwid);
  $("hwfile-form").addEventListener("submit", saveHardwareFile);
  // The native Save dialog fills the path field (which takes a typed or pasted path too).
  $("hwfile-choose").addEventListener("click", () => {
    beginAction();
    chooseSavePath($("hwfile-path"), "hwid", $("hwfile-error"));
  });
  // "Copied" and a saved file's message stay until the next action begins.
  onActionBegins(() => {
    clearCopyStatus();
    hideIn($("hwfile-result"));
    hideIn($("hwfile-error"));
  });
  onLanguage(() => {
    if (keys) renderKeys();
  });
}
