// Exporting a request to a file the user names: an activation request for a main system or a
// standby, or a release request for a standby (with the R11 notice for a standby). The path is
// suggested by the desk (the documents folder, a name made of customer and license); the field
// takes a path typed or pasted, and "Choose…" fills it from the native Save dialog.
import * as api from "../api.js";
import { say, standbyNotice, t, unsay } from "../i18n.js";
import { hideIn, showIn } from "../errors.js";
import { chooseSavePath } from "./choose.js";
import { close, open } from "./modal.js";

const $ = (id) => document.getElementById(id);

let exportArgs = null;
let exported = null;

/**
 * `role` is "main" or "standby" for an activation request, or "release" for a release request;
 * `limits` are those of the standby's signed activation, where known (R11 notice).
 */
export async function openExport(license, role, hardwareId, onDone, limits = null) {
  exportArgs = { license, role };
  exported = onDone;
  hideIn($("export-error"));
  hideIn($("export-result"));
  $("export-overwrite").checked = false;
  $("export-submit").disabled = false;
  // R11: a standby's activation (and re-activation) and its release show the standby/test notice.
  const notice = $("export-notice");
  if (role === "main") {
    unsay(notice);
    notice.hidden = true;
  } else {
    say(notice, () => standbyNotice(limits));
    notice.hidden = false;
  }
  say($("export-heading"), () => (role === "release" ? t("release.heading") : t("export.heading")));
  say($("export-what"), () =>
    role === "main"
      ? t("export.what.main", { license })
      : role === "release"
        ? t("release.what", { license })
        : t("export.what.standby", { license, hwid: hardwareId }),
  );
  $("export-path").value = "";
  open($("export-dialog"));
  try {
    $("export-path").value =
      role === "release" ? await api.suggestReleasePath(license) : await api.suggestRequestPath(license, role);
  } catch (e) {
    showIn($("export-error"), e);
  }
  $("export-path").focus();
}

async function submitExport(event) {
  event.preventDefault();
  const error = $("export-error");
  hideIn(error);
  $("export-submit").disabled = true;
  try {
    const path = $("export-path").value;
    const overwrite = $("export-overwrite").checked;
    const role = exportArgs.role;
    const file =
      role === "release"
        ? await api.exportReleaseRequest(exportArgs.license, path, overwrite)
        : (await api.exportRequest(exportArgs.license, role, path, overwrite)).file;
    const result = $("export-result");
    say(result, () => (role === "release" ? t("release.done", { file }) : t("export.done", { file })));
    result.hidden = false;
    if (exported) await exported(file, role);
    // The request is written: the next step is to close this dialog.
    $("export-cancel").focus();
  } catch (e) {
    showIn(error, e);
    $("export-submit").disabled = false;
  }
}

export function initExport() {
  $("export-form").addEventListener("submit", submitExport);
  $("export-choose").addEventListener("click", () => {
    hideIn($("export-error"));
    chooseSavePath($("export-path"), exportArgs.role === "release" ? "relreq" : "actreq", $("export-error"));
  });
  $("export-cancel").addEventListener("click", () => close($("export-dialog")));
}
