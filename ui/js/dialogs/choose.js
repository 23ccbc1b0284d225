// The native Open and Save dialogs (Tauri's dialog plugin, through api.js) behind a "Choose…"
// button beside a path field. The field stays the way in: a server administrator pastes a UNC
// path there, and the end-to-end tests type one (a native dialog cannot be driven by WebDriver);
// the button only fills it.
import * as api from "../api.js";
import { t } from "../i18n.js";
import { showIn } from "../errors.js";

/** The extension of each kind of file the window saves or opens, as the desk names it. */
const EXTENSIONS = { actreq: ["actreq"], relreq: ["relreq"], hwid: ["hwid"], lic: ["lic"] };

const filters = (kind) => [{ name: t(`choose.kind.${kind}`), extensions: EXTENSIONS[kind] }];

/**
 * Asks for a file to save of `kind` in the native Save dialog, starting from the path `field`
 * holds (its folder and name), and puts the one chosen into `field`. A refusal of the dialog is
 * shown in `errorBox`. Resolves to whether a path was chosen.
 */
export async function chooseSavePath(field, kind, errorBox) {
  try {
    const path = await api.chooseFileToSave({ defaultPath: field.value.trim() || undefined, title: t(`choose.save.${kind}`), filters: filters(kind) });
    if (typeof path !== "string" || !path) return false;
    field.value = path;
    field.focus();
    return true;
  } catch (error) {
    showIn(errorBox, error);
    return false;
  }
}

/**
 * Asks for one file of `kind` to open in the native Open dialog; resolves to its path, or null
 * when none was chosen. A refusal is shown in `errorBox`.
 */
export async function chooseOpenPath(kind, errorBox) {
  try {
    const chosen = await api.chooseFilesToOpen({ multiple: false, title: t(`choose.open.${kind}`), filters: filters(kind) });
    const path = Array.isArray(chosen) ? chosen[0] : chosen;
    return typeof path === "string" && path ? path : null;
  } catch (error) {
    showIn(errorBox, error);
    return null;
  }
}
