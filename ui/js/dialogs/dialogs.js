// The dialogs: adding a FailoverSuite (guided), registering a standby, exporting a request, and
// giving the reason for an administrator's decision. Each is its own module over modal.js,
// which makes them modal; choose.js puts the native Open and Save dialogs behind their fields.
import { initAddFailover } from "./add-failover.js";
import { initExport } from "./export.js";
import { initModal } from "./modal.js";
import { initReason } from "./reason.js";
import { initRegister } from "./register.js";

export { openAddFailover } from "./add-failover.js";
export { closeOpenDialog } from "./modal.js";
export { openExport } from "./export.js";
export { openReason } from "./reason.js";
export { openRegister } from "./register.js";

export function initDialogs() {
  initReason();
  initRegister();
  initExport();
  initAddFailover();
  initModal();
}
