// Importing files: the ways in — the "Import files…" button and Ctrl+O (the native Open
// dialog, in the documents folder), files dropped on the window, and a folder or file path typed
// or pasted (a folder of thousands of vendor files at once) — all handed to the desk's bulk
// import by path. One import at a time: files given while one runs are named as not imported.
import * as api from "../api.js";
import { say, t } from "../i18n.js";
import { hideIn, showError, showIn } from "../errors.js";
import { beginAction } from "../notes.js";
import { onShortcut } from "../shortcuts.js";
import { baseName } from "./outcomes.js";
import { hidePanel, initPanel, showBusy, showFailed, showProgress, showReport, showStarted } from "./panel.js";

const $ = (id) => document.getElementById(id);
let running = false;
let afterImport = async () => {};

/**
 * Imports the files at `paths`; `onError` shows an error that stopped the whole import (a path
 * that does not exist, …) where the user gave the paths. True when such an error stopped it.
 */
async function importPaths(paths, onError = null) {
  if (paths.length === 0) return false;
  if (running) {
    // The desk refuses a second import while one runs (import_running): said in the panel.
    try {
      showReport(await api.importPaths(paths, () => {}));
      await afterImport();
    } catch (error) {
      if (error && error.code === "import_running") showBusy(paths.map(baseName));
      else showError(error);
    }
    return false;
  }
  beginAction();
  running = true;
  showStarted();
  try {
    const report = await api.importPaths(paths, showProgress);
    showReport(report);
    await afterImport();
    return false;
  } catch (error) {
    // Said where the paths were given (the path field), else in the panel.
    if (onError) {
      hidePanel();
      onError(error);
    } else {
      showFailed(error);
    }
    return true;
  } finally {
    running = false;
  }
}

/** The native Open dialog (several files), in the user's documents folder; imports the files chosen. */
export async function openImportDialog() {
  try {
    const folder = await api.defaultImportFolder().catch(() => null);
    const chosen = await api.chooseFilesToOpen({
      title: t("bulk.dialog.title"),
      ...(folder ? { defaultPath: folder } : {}),
      filters: [
        { name: t("bulk.dialog.kinds"), extensions: ["lic", "actresp", "journal", "release", "txt"] },
        { name: t("bulk.dialog.all"), extensions: ["*"] },
      ],
    });
    if (!chosen) return;
    await importPaths(Array.isArray(chosen) ? chosen : [chosen]);
  } catch (error) {
    showError(error);
  }
}

/** The path field: a folder or files (one path a line), typed or pasted. */
function initPathField() {
  const toggle = $("import-path-toggle");
  const form = $("import-path-form");
  const field = $("import-path");
  const error = $("import-path-error");
  const open = (yes) => {
    form.hidden = !yes;
    toggle.setAttribute("aria-expanded", String(yes));
    if (yes) field.focus();
  };
  toggle.addEventListener("click", () => open(form.hidden));
  $("import-path-cancel").addEventListener("click", () => {
    open(false);
    toggle.focus();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    hideIn(error);
    const paths = field.value
      .split(/\r?\n/)
      .map((p) => p.trim())
      .filter(Boolean);
    if (paths.length === 0) {
      say(error, () => t("bulk.path.empty"));
      error.hidden = false;
      field.focus();
      return;
    }
    const failed = await importPaths(paths, (e) => {
      showIn(error, e);
      field.focus();
    });
    // Imported: the field has done its work (the panel shows the results).
    if (!failed) open(false);
  });
}

/** Files dropped on the window (their paths, from the window's native drag and drop). */
function initDrop() {
  const overlay = $("drop-overlay");
  api.onFileDrop({
    enter: () => {
      overlay.hidden = false;
    },
    leave: () => {
      overlay.hidden = true;
    },
    drop: (paths) => {
      overlay.hidden = true;
      importPaths(paths);
    },
  });
}

/** Wires every way in; `done()` runs after each import (the screens refresh). */
export function initImport(done) {
  afterImport = done;
  initPanel();
  initPathField();
  initDrop();
  onShortcut("import", openImportDialog);
}
