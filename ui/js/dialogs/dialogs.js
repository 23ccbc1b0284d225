// The dialogs: registering a standby, exporting a request, and giving the reason for an
// administrator's decision. Each is its own module over modal.js, which makes them modal.
import { initExport } from "./export.js";
import { initModal } from "./modal.js";
import { initReason } from "./reason.js";
import { initRegister } from "./register.js";

export { closeOpenDialog } from "./modal.js";
export { openExport } from "./export.js";
export { openReason } from "./reason.js";
export { openRegister } from "./register.js";

export function initDialogs() {
  initReason();
  initRegister();
  initExport();
  initModal();
}
