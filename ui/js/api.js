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
export const listLicenses = (filter, offset, limit) => invoke("list_licenses", { filter, offset, limit });
export const showLicense = (license) => invoke("show_license", { license });
