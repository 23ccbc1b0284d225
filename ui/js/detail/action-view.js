// The detail's actions as the desk decides them (`actions` of a license's detail: each with
// `available`, and when not the reason, a code and its values): a button enabled only when the
// action can succeed now, else disabled with the reason written beside it (and given to the
// button as its description, for screen readers).
import { html } from "../html.js";
import { formatDate, t } from "../i18n.js";
import { explainText } from "../errors.js";
import { state } from "../state.js";

/** The desk's view of `action` on `license` in the open detail, or null when it is not offered. */
export function actionOf(action, license) {
  const d = state.detail;
  if (!d || !d.actions) return null;
  return d.actions.find((a) => a.action === action && a.license === license) || null;
}

/** Why an action is not available, in the user's language (its values formatted for it). */
export function reasonText(reason) {
  if (!reason) return "";
  if (reason.code === "refused") return explainText(reason.error);
  const params = {};
  for (const [name, value] of Object.entries(reason)) {
    params[name] = name === "since" ? formatDate(value) : value;
  }
  return t(`action.unavailable.${reason.code}`, params);
}

/**
 * The control of one action: a button (`label`, classes `cls`, `primary` for the next step) and,
 * when the action cannot succeed now, the button disabled with its reason beside it. `data` are
 * the button's data attributes (`failover`, `hwid`). An action the desk does not offer is nothing.
 */
export function actionControl(view, { label, cls, id = null, primary = false, data = {} }) {
  if (!view) return "";
  const reasonId = `why-${view.action}-${view.license}`;
  const attributes = Object.entries(data).map(([name, value]) => html` data-${name}="${value}"`);
  const button = html`<button type="button" class="button${primary && view.available ? " primary" : ""} ${cls}"${
    id ? html` id="${id}"` : ""
  } data-action="${view.action}"${attributes}${
    view.available ? "" : html` disabled aria-describedby="${reasonId}"`
  }>${label}</button>`;
  if (view.available) return html`<span class="action">${button}</span>`;
  return html`<span class="action unavailable">${button} <span class="action-reason" id="${reasonId}">${reasonText(view.reason)}</span></span>`;
}
