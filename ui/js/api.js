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
/** Imports `files` ([{ name, content }], content in base64) together: the backend orders them. */
export const importFiles = (files) => invoke("import_files", { files });
export const checkHardwareId = (text) => invoke("check_hardware_id", { text });
export const thisMachine = () => invoke("this_machine");
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
