// Files the user picks or drops: size-checked before reading, then handed to the backend as
// base64 text. The import panel shows progress and then what happened to each file, in the
// language of the moment.
import * as api from "./api.js";
import { html, mount } from "./html.js";
import { onLanguage, t } from "./i18n.js";
import { detailPart, explain } from "./errors.js";
import { beginAction, onActionBegins } from "./notes.js";

/** Larger files are refused unread (the backend applies each kind's own, smaller cap). */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** The file's content as base64 text (read natively, as a data: URL). */
export async function readFile(file) {
  if (file.size > MAX_FILE_BYTES) {
    throw {
      code: "too_large",
      message: `${file.name}: ${file.size} bytes`,
      local: { key: "file.size", params: { file: file.name, bytes: file.size } },
    };
  }
  const url = await new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject({ code: "io", message: `${file.name}: ${reader.error ? reader.error.message : "unreadable"}` });
    reader.readAsDataURL(file);
  });
  return url.slice(url.indexOf(",") + 1);
}

/** What an activation response activated, said precisely (R5, R9), or null. */
function activatedLine(o) {
  const a = o.activation;
  if (!a) return null;
  const one = a.entitlements === 1 ? ".one" : "";
  return t(`import.activated.${a.role}${one}`, {
    file: o.file,
    license: o.license || "",
    hwid: a.hardware_id,
    mode: a.mode ? t(`mode.inline.${a.mode}`) : "",
    count: a.entitlements,
  });
}

function outcomeLine(o) {
  const params = { file: o.file, license: o.license || "" };
  if (o.status === "refused") {
    const explained = explain(o.error || { code: "invalid_content", message: o.message });
    return html`<li class="outcome refused"><strong>${t("import.refused", { file: o.file, reason: explained.sentence })}</strong>
      ${detailPart(explained)}</li>`;
  }
  if (o.status === "unchanged") return html`<li class="outcome unchanged">${t("import.unchanged", params)}</li>`;
  if (o.status === "tampered") {
    const sentence = t("import.tampered.usage-journal", params);
    return html`<li class="outcome refused"><strong>${sentence}</strong>
      ${detailPart({ sentence, detail: o.message, english: true })}</li>`;
  }
  const activated = activatedLine(o);
  if (activated) return html`<li class="outcome ok">${activated}</li>`;
  const key = `import.${o.status}.${o.kind}`;
  const text = t(key, params);
  return html`<li class="outcome ok">${text === key ? o.message : text}</li>`;
}

// The panel's state: what it shows is made from this again after a language switch.
const panelState = { running: false, n: 0, total: 0, outcomes: [], skipped: [] };
let onImported = null;

function renderPanel() {
  const panel = document.getElementById("import-panel");
  if (panel.hidden) return;
  const busy = panelState.skipped.length
    ? html`<p class="notice warn busy" role="alert" id="import-busy">${t("import.busy", { files: panelState.skipped.join(", ") })}</p>`
    : "";
  if (panelState.running) {
    mount(panel, html`<p class="progress">${t("import.progress", { n: panelState.n, total: panelState.total })}</p>${busy}`);
    return;
  }
  const outcomes = panelState.outcomes;
  const ok = outcomes.filter((o) => o.status !== "refused").length;
  mount(
    panel,
    html`<div class="import-head"><strong id="import-summary">${t("import.done", { ok, total: outcomes.length })}</strong>
      <button type="button" class="close" id="import-close" aria-label="${t("import.close")}">×</button></div>
      <ul class="outcomes" id="import-outcomes">${outcomes.map(outcomeLine)}</ul>${busy}`,
  );
  document.getElementById("import-close").addEventListener("click", () => {
    panel.hidden = true;
    panelState.skipped = [];
  });
}

onLanguage(renderPanel);

// The results of an import stay until the next action begins (one still running stays).
onActionBegins(() => {
  if (panelState.running) return;
  document.getElementById("import-panel").hidden = true;
  panelState.skipped = [];
});

/**
 * Imports files: reads each one (showing progress), then hands them to the backend together. A
 * second import cannot start while one runs: its files are named as not imported. Calls
 * `done()` afterwards so the screens can refresh.
 */
export async function importFiles(fileList, done) {
  const files = Array.from(fileList);
  if (files.length === 0) return;
  const panel = document.getElementById("import-panel");
  if (panelState.running) {
    panelState.skipped.push(...files.map((f) => f.name));
    renderPanel();
    return;
  }
  beginAction();
  panelState.running = true;
  panelState.outcomes = [];
  panelState.skipped = [];
  panelState.n = 0;
  panelState.total = files.length;
  const input = document.getElementById("import-input");
  input.disabled = true;
  document.getElementById("import-label").classList.add("disabled");
  const outcomes = [];
  panel.hidden = false;
  renderPanel();
  try {
    // Each file is read (and its size checked) here; the backend imports them together, in the
    // order it needs (a base certificate before its FailoverSuite before responses).
    const loaded = [];
    for (const [i, file] of files.entries()) {
      panelState.n = i + 1;
      renderPanel();
      try {
        loaded.push({ file, content: await readFile(file) });
      } catch (error) {
        outcomes.push({ file: file.name, status: "refused", error, message: error.message || "" });
      }
    }
    if (loaded.length) {
      try {
        outcomes.push(...(await api.importFiles(loaded.map(({ file, content }) => ({ name: file.name, content })))));
      } catch (error) {
        for (const { file } of loaded) outcomes.push({ file: file.name, status: "refused", error, message: error.message || "" });
      }
    }
  } finally {
    panelState.running = false;
    panelState.outcomes = outcomes;
    input.disabled = false;
    input.value = "";
    document.getElementById("import-label").classList.remove("disabled");
  }
  panel.hidden = false;
  renderPanel();
  if (done) await done(outcomes);
}

/** Drag and drop anywhere on the window imports the dropped files. */
export function enableDrop(done) {
  onImported = done;
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
    if (e.dataTransfer && e.dataTransfer.files.length) importFiles(e.dataTransfer.files, onImported);
  });
}
