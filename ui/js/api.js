// The only module that talks to the backend: one function per command. Errors arrive as
// { code, message } (licdesk_desk::DeskError).

function invoke(command, args) {
  const tauri = window.__TAURI__;
  if (!tauri || !tauri.core) {
    return Promise.reject({ code: "no_backend", message: "" });
  }
  return tauri.core.invoke(command, args);
}

export const storeInfo = () => invoke("store_info");
/** One page of the list: `{ filter, needsAttention, order, descending, offset, limit }`. */
export const listLicenses = (page) => invoke("list_licenses", page);
export const showLicense = (license) => invoke("show_license", { license });
/**
 * Imports the files at `paths` (files, or folders: the files in them) in the desk's bulk import,
 * which orders them; `onProgress({ done, total, accepted, unchanged, refused })` hears how far it
 * is after each window of files. Resolves to `{ summary, outcomes, log, log_error }`.
 */
export const importPaths = (paths, onProgress) => {
  const tauri = window.__TAURI__;
  if (!tauri || !tauri.core) return Promise.reject({ code: "no_backend", message: "" });
  const progress = new tauri.core.Channel();
  progress.onmessage = onProgress;
  return invoke("import_paths", { paths, progress });
};
/** Asks the running import to stop after the window of files it is at; false when none runs. */
export const cancelImport = () => invoke("cancel_import");
/** The folder the import's Open dialog starts in (the user's documents folder). */
export const defaultImportFolder = () => invoke("default_import_folder");
/** Saves a copy of the import log `log` to `path` (chosen in the Save dialog). */
export const saveImportLogCopy = (log, path) => invoke("save_import_log_copy", { log, path });
export const checkHardwareId = (text) => invoke("check_hardware_id", { text });
export const thisMachine = () => invoke("this_machine");
/** This computer's time zone as its offsets from UTC (licdesk_desk::ZoneOffsets), or null. */
export const localTimeZone = () => invoke("local_time_zone");
export const registerStandby = (failover, machine, mode) => invoke("register_standby", { failover, machine, mode });
export const suggestRequestPath = (license, role) => invoke("suggest_request_path", { license, role });
export const exportRequest = (license, role, path, overwrite) => invoke("export_request", { license, role, path, overwrite });
export const trustedKeys = () => invoke("trusted_keys");
export const acknowledgeNotice = (failover) => invoke("acknowledge_notice", { failover });
export const suggestReleasePath = (failover) => invoke("suggest_release_path", { failover });
export const exportReleaseRequest = (failover, path, overwrite) => invoke("export_release_request", { failover, path, overwrite });
export const suggestHardwareFilePath = () => invoke("suggest_hardware_file_path");
export const saveHardwareFile = (path, overwrite) => invoke("save_hardware_file", { path, overwrite });
export const acknowledgeViolations = (failover, reason) => invoke("acknowledge_violations", { failover, reason });
export const dismissTamperedJournal = (hash, reason) => invoke("dismiss_tampered_journal", { hash, reason });
/** Adds the FailoverSuite whose certificate is at `path` to base license `base`. */
export const addFailover = (base, path) => invoke("add_failover", { base, path });

/** Where the store is now, what this computer keeps for it, and what the Store dialog offers. */
export const storeChoice = () => invoke("store_choice");
/**
 * Works on this computer's store (`team` null) or on the team's store at URL `team` from now
 * on and at the next start; refused (nothing changes) when it cannot be opened or the URL holds
 * a password.
 */
export const chooseStore = (team) => invoke("choose_store", { team });
/** Whether the URL names the store the window works on already. */
export const isCurrentStore = (url) => invoke("is_current_store", { url });
/**
 * Syncs the store with the team's store at URL `withUrl`; `onProgress({ steps })` hears each
 * step. Resolves to the report: `{ with, received, sent, conflicts, interrupted }`.
 */
export const syncStore = (withUrl, onProgress) => {
  const tauri = window.__TAURI__;
  if (!tauri || !tauri.core) return Promise.reject({ code: "no_backend", message: "" });
  const progress = new tauri.core.Channel();
  progress.onmessage = onProgress;
  return invoke("sync_store", { with: withUrl, progress });
};
/** Asks the running sync to stop before its next step; false when none runs. */
export const cancelSync = () => invoke("cancel_sync");

// Native dialogs (Tauri's dialog plugin). Each resolves to the path(s) chosen, or null when the
// user cancelled.
function plugin(name) {
  const tauri = window.__TAURI__;
  if (!tauri || !tauri[name]) return null;
  return tauri[name];
}

/** The native Open dialog for several files; `defaultPath` is the folder it opens in. */
export const chooseFilesToOpen = (options) => {
  const dialog = plugin("dialog");
  if (!dialog) return Promise.reject({ code: "no_backend", message: "" });
  return window.__TAURI__.dialog.open({ multiple: true, directory: false, ...options });
};

/** The native Save dialog; `defaultPath` is the suggested file (folder and name). */
export const chooseFileToSave = (options) => {
  const dialog = plugin("dialog");
  if (!dialog) return Promise.reject({ code: "no_backend", message: "" });
  return window.__TAURI__.dialog.save(options);
};

/** Opens one of the store's import logs in the program the system gives CSV files. */
export const openImportLog = (log) => invoke("open_import_log", { log });

/**
 * Files dragged over the window and dropped on it, as the window's native drag and drop tells
 * them (with their paths): `enter()`, `leave()`, `drop(paths)`. One channel, handed over once:
 * the app sends on it only when files come over the window.
 */
export const onFileDrop = ({ enter, leave, drop }) => {
  const tauri = window.__TAURI__;
  if (!tauri || !tauri.core) return;
  const events = new tauri.core.Channel();
  events.onmessage = (event) => {
    if (event.kind === "enter") enter();
    else if (event.kind === "leave") leave();
    else if (event.kind === "drop") drop(event.paths || []);
  };
  invoke("watch_file_drops", { events }).catch(() => {});
};
