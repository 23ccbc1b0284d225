// The "This machine" and "Vendor keys" screens.
import * as api from "./api.js";
import { html, mount } from "./html.js";
import { onLanguage, say, t } from "./i18n.js";
import { showError } from "./errors.js";

const $ = (id) => document.getElementById(id);
let machine = null;
let keys = null;

export async function renderMachine() {
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

async function copyHwid() {
  const text = $("machine-hwid").textContent;
  const status = $("copy-status");
  try {
    await navigator.clipboard.writeText(text);
    say(status, () => t("machine.copied"));
  } catch (_) {
    // Older WebKit: copy through a selected, temporary text field.
    const field = document.createElement("textarea");
    field.value = text;
    document.body.appendChild(field);
    field.select();
    const ok = document.execCommand("copy");
    field.remove();
    say(status, () => (ok ? t("machine.copied") : t("machine.copy_failed")));
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
      (k) => html`<tr><td class="mono">${k.key_id}</td>
        <td>${k.vendor} ${k.demo ? html`<span class="badge demo">${t("demo")}</span>` : ""}</td>
        <td>${t(`keys.origin.${k.origin}`)}</td></tr>`,
    )}`,
  );
}

export function initPages() {
  $("copy-hwid").addEventListener("click", copyHwid);
  onLanguage(() => {
    if (keys) renderKeys();
  });
}
