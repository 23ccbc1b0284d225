// Files the user picks or drops: size-checked before reading, then handed to the backend as bytes.
import * as api from "./api.js";
import { html, mount } from "./html.js";
import { t } from "./i18n.js";
import { explain } from "./errors.js";

/** Larger files are refused unread (the backend applies each kind's own, smaller cap). */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

export async function readFile(file) {
  if (file.size > MAX_FILE_BYTES) {
    throw { code: "too_large", message: `${file.name}: ${file.size} bytes` };
  }
  const buffer = await file.arrayBuffer();
  return Array.from(new Uint8Array(buffer));
}

let busy = false;

// Base certificates first, then FailoverSuite certificates, then responses — as `licdesk import`
// does — so a FailoverSuite and its base can be picked together in any order.
const ORDER = ["BASE LICENSE CERTIFICATE", "FAILOVERSUITE LICENSE CERTIFICATE", "ACTIVATION RESPONSE", "STANDBY RELEASE"];

function importOrder(bytes) {
  const head = String.fromCharCode(...bytes.slice(0, 64));
  const i = ORDER.findIndex((label) => head.startsWith(`-----BEGIN LICDESK ${label}-----`));
  return i < 0 ? ORDER.length : i;
}

function outcomeLine(o) {
  const params = { file: o.file, license: o.license || "" };
  if (o.status === "refused") {
    const { sentence, detail } = explain(o.error || { code: "invalid_content", message: o.message });
    return html`<li class="outcome refused"><strong>${t("import.refused", { file: o.file, reason: sentence })}</strong>
      <span class="detail-text">${t("import.details", { message: detail })}</span></li>`;
  }
  if (o.status === "unchanged") return html`<li class="outcome unchanged">${t("import.unchanged", params)}</li>`;
  if (o.status === "tampered") {
    return html`<li class="outcome refused"><strong>${t("import.tampered.usage-journal", params)}</strong>
      <span class="detail-text">${t("import.details", { message: o.message })}</span></li>`;
  }
  const key = `import.${o.status}.${o.kind}`;
  const text = t(key, params);
  return html`<li class="outcome ok">${text === key ? o.message : text}</li>`;
}

/**
 * Imports files one after another, showing progress; a second import cannot start while one
 * runs. Calls `done()` afterwards so the screens can refresh.
 */
export async function importFiles(fileList, done) {
  if (busy) return;
  const files = Array.from(fileList);
  if (files.length === 0) return;
  busy = true;
  const panel = document.getElementById("import-panel");
  const input = document.getElementById("import-input");
  input.disabled = true;
  document.getElementById("import-label").classList.add("disabled");
  const outcomes = [];
  panel.hidden = false;
  try {
    const loaded = [];
    for (const file of files) {
      try {
        const content = await readFile(file);
        loaded.push({ file, content, order: importOrder(content) });
      } catch (error) {
        outcomes.push({ file: file.name, status: "refused", error, message: error.message || "" });
      }
    }
    loaded.sort((a, b) => a.order - b.order);
    for (const [i, { file, content }] of loaded.entries()) {
      mount(panel, html`<p class="progress">${t("import.progress", { n: i + 1, total: loaded.length })}</p>`);
      try {
        outcomes.push(await api.importFile(file.name, content));
      } catch (error) {
        outcomes.push({ file: file.name, status: "refused", error, message: error.message || "" });
      }
    }
  } finally {
    busy = false;
    input.disabled = false;
    input.value = "";
    document.getElementById("import-label").classList.remove("disabled");
  }
  const ok = outcomes.filter((o) => o.status !== "refused").length;
  mount(
    panel,
    html`<div class="import-head"><strong id="import-summary">${t("import.done", { ok, total: outcomes.length })}</strong>
      <button type="button" class="close" id="import-close" aria-label="${t("import.close")}">×</button></div>
      <ul class="outcomes" id="import-outcomes">${outcomes.map(outcomeLine)}</ul>`,
  );
  document.getElementById("import-close").addEventListener("click", () => {
    panel.hidden = true;
  });
  if (done) await done(outcomes);
}

/** Drag and drop anywhere on the window imports the dropped files. */
export function enableDrop(done) {
  const overlay = document.getElementById("drop-overlay");
  let depth = 0;
  const hasFiles = (e) => e.dataTransfer && Array.from(e.dataTransfer.types || []).includes("Files");
  document.addEventListener("dragenter", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth += 1;
    overlay.hidden = false;
  });
  document.addEventListener("dragover", (e) => {
    if (hasFiles(e)) e.preventDefault();
  });
  document.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) overlay.hidden = true;
  });
  document.addEventListener("drop", (e) => {
    e.preventDefault();
    depth = 0;
    overlay.hidden = true;
    if (e.dataTransfer && e.dataTransfer.files.length) importFiles(e.dataTransfer.files, done);
  });
}
