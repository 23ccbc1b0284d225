// The import panel: while an import runs, a progress bar with its counts and a Cancel button;
// afterwards the summary (accepted by what the files did, already there, refused by reason), the
// log with "Open log" and "Save a copy…", and every file in a list filtered by result or reason
// and by text. It stays until it is closed or the next import replaces it. Only its one status
// line is a live region: a screen reader hears that an import began and how it ended, not every
// count.
import * as api from "../api.js";
import { html, mount } from "../html.js";
import { formatNumber, onLanguage, say, t, unsay } from "../i18n.js";
import { explainMarkup, explainText } from "../errors.js";
import { fileList } from "./file-list.js";
import { outcomeDetail, outcomeText, reasonLabel, summarySentence, tallyMarkup } from "./outcomes.js";

const $ = (id) => document.getElementById(id);

// What the panel shows, made again from this after a language switch.
const shown = { phase: "hidden", progress: null, report: null, error: null, busy: [], cancelling: false, filter: "all" };
let list = null;

/** Refused files first (in the order imported), then the accepted ones, then those already there. */
const ORDER = { refused: 0, accepted: 1, unchanged: 2 };

function filtered() {
  const outcomes = shown.report ? shown.report.outcomes : [];
  const filter = shown.filter;
  const words = $("import-search").value.trim().toLowerCase();
  return outcomes
    .filter((o) => {
      if (filter === "all") return true;
      if (filter.startsWith("reason:")) return o.result === "refused" && reasonOf(o) === filter.slice(7);
      return o.result === filter;
    })
    .filter((o) => !words || o.file.toLowerCase().includes(words) || outcomeText(o).toLowerCase().includes(words))
    .sort((a, b) => ORDER[a.result] - ORDER[b.result]);
}

const reasonOf = (o) => (o.status === "tampered" ? "tampered" : (o.error && o.error.code) || "invalid_content");

function renderFilterOptions() {
  const select = $("import-filter");
  const chosen = shown.filter;
  const s = shown.report.summary;
  const option = (value, label, count) =>
    html`<option value="${value}"${value === chosen ? html` selected` : ""}>${label} (${formatNumber(count)})</option>`;
  const reasons = s.refused_by_reason.map((r) => option(`reason:${r.code}`, t("bulk.filter.reason", { reason: reasonLabel(r.code) }), r.count));
  mount(
    select,
    html`${option("all", t("bulk.filter.all"), s.done)}${option("refused", t("bulk.refused"), s.refused)}${reasons}${option("accepted", t("bulk.accepted"), s.accepted)}${option("unchanged", t("bulk.unchanged"), s.unchanged)}`,
  );
}

function renderList() {
  const items = filtered();
  $("import-files-empty").hidden = items.length > 0;
  list.show(items);
}

function renderRunning() {
  const p = shown.progress;
  const bar = $("import-progress");
  $("import-cancel").disabled = shown.cancelling;
  if (!p) {
    // Until the files are counted, the bar shows only that something is going on.
    bar.removeAttribute("value");
    $("import-counts").textContent = "";
    return;
  }
  bar.max = Math.max(1, p.total);
  bar.value = p.done;
  $("import-counts").textContent = t("bulk.counts", {
    done: formatNumber(p.done),
    total: formatNumber(p.total),
    accepted: formatNumber(p.accepted),
    unchanged: formatNumber(p.unchanged),
    refused: formatNumber(p.refused),
  });
}

function renderResult() {
  const { summary, log, log_error: logError } = shown.report;
  mount($("import-summary"), html`${summarySentence(summary)}`);
  mount($("import-tally"), tallyMarkup(summary));
  $("import-log-actions").hidden = !log;
  if (log) mount($("import-log-text"), html`${t("bulk.log.saved")} <span class="mono">${log}</span>`);
  else mount($("import-log-text"), html`${t("bulk.log.failed")} ${explainMarkup(logError)}`);
  renderFilterOptions();
  renderList();
}

function renderBusy() {
  const busy = $("import-busy");
  busy.hidden = shown.busy.length === 0;
  busy.textContent = shown.busy.length ? t("import.busy", { files: shown.busy.join(", ") }) : "";
}

function render() {
  const panel = $("import-panel");
  panel.hidden = shown.phase === "hidden";
  $("import-running").hidden = shown.phase !== "running";
  $("import-result").hidden = shown.phase !== "done";
  $("import-failed").hidden = shown.phase !== "failed";
  // Once done, the summary shows what the status line says: the line is for screen readers.
  $("import-status").classList.toggle("visually-hidden", shown.phase !== "running");
  if (shown.phase === "running") renderRunning();
  if (shown.phase === "done") renderResult();
  if (shown.phase === "failed") mount($("import-failed"), html`${explainMarkup(shown.error)}`);
  renderBusy();
}

/** The one status line (a live region): what a screen reader is told. */
function status(render_) {
  say($("import-status"), render_);
}

/** What became of "Open log" or "Save a copy…", under the log (no argument: nothing). */
function logNote(render_) {
  const note = $("import-log-note");
  if (render_) say(note, render_);
  else {
    unsay(note);
    note.textContent = "";
  }
  note.hidden = !render_;
}

export function initPanel() {
  list = fileList($("import-files"), {
    text: outcomeText,
    onActive: (o) => mount($("import-file-detail"), o ? outcomeDetail(o) : html``),
  });
  $("import-close").addEventListener("click", hidePanel);
  $("import-filter").addEventListener("change", (event) => {
    shown.filter = event.target.value;
    renderList();
  });
  $("import-search").addEventListener("input", renderList);
  $("import-cancel").addEventListener("click", async () => {
    shown.cancelling = true;
    status(() => t("bulk.status.cancelling"));
    renderRunning();
    await api.cancelImport().catch(() => false);
  });
  $("import-log-open").addEventListener("click", async () => {
    try {
      logNote();
      await api.openImportLog(shown.report.log);
    } catch (error) {
      logNote(() => t("bulk.log.open.failed", { reason: explainText(error) }));
    }
  });
  $("import-log-save").addEventListener("click", saveCopy);
  onLanguage(render);
}

async function saveCopy() {
  const log = shown.report.log;
  try {
    const folder = await api.defaultImportFolder();
    const name = log.split(/[\\/]/).pop();
    const path = await api.chooseFileToSave({
      title: t("bulk.log.save.title"),
      defaultPath: folder ? `${folder}/${name}` : name,
      filters: [{ name: t("bulk.log.kind"), extensions: ["csv"] }],
    });
    if (!path) return;
    const saved = await api.saveImportLogCopy(log, path);
    logNote(() => t("bulk.log.copied", { path: saved }));
  } catch (error) {
    logNote(() => t("bulk.log.copy.failed", { reason: explainText(error) }));
  }
}

/** Closes the panel. */
export function hidePanel() {
  Object.assign(shown, { phase: "hidden", busy: [] });
  status(() => "");
  logNote();
  render();
}

/** An import begins: the panel shows its progress. */
export function showStarted() {
  Object.assign(shown, { phase: "running", progress: null, report: null, error: null, busy: [], cancelling: false });
  status(() => t("bulk.status.running"));
  logNote();
  render();
}

/** How far the import is (after each window of files). */
export function showProgress(progress) {
  shown.progress = progress;
  if (shown.phase === "running") renderRunning();
}

/** The import ended: its summary, its log and its files. */
export function showReport(report) {
  // Every file, the refused ones first.
  Object.assign(shown, { phase: "done", report, cancelling: false, filter: "all" });
  $("import-search").value = "";
  status(() => summarySentence(report.summary));
  render();
}

/** The import could not begin (a path that does not exist, a folder without files, …). */
export function showFailed(error) {
  Object.assign(shown, { phase: "failed", error, cancelling: false });
  status(() => explainText(error));
  render();
}

/** Files that were not imported because an import was running. */
export function showBusy(names) {
  shown.busy.push(...names);
  renderBusy();
}
