// Small pieces the licenses list and the detail panel both show: a system's state and the DEMO mark.
import { html } from "./html.js";
import { t } from "./i18n.js";

export function statusBadge(status) {
  const key = status ? `status.${status}` : "status.none";
  const cls = status ? `status status-${status}` : "status status-none";
  return html`<span class="${cls}">${t(key)}</span>`;
}

/** A system's state for the list: a pending one whose request was exported waits for the vendor. */
export function listState(system) {
  return system.status === "pending" && system.request_written_at ? "waiting" : system.status;
}

export function demoBadge(demo) {
  return demo ? html`<span class="badge demo" title="${t("demo.title")}">${t("demo")}</span>` : "";
}
