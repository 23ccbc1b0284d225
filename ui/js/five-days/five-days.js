// The five-day view of a FailoverSuite's standby (R12): the current load phase against the
// signed limits, the recent phases as a chart (chart.js), violations (running, open,
// acknowledged) and the usage journals that could not be trusted.
import { html } from "../html.js";
import { formatDate, formatNumber, t } from "../i18n.js";
import { actionControl, actionOf } from "../detail/action-view.js";
import { chart } from "./chart.js";

const hours = (seconds) => formatNumber(Math.round(seconds / 360) / 10);

/** A five-day level in words, with the hours of its threshold from the signed limits. */
function levelWords(level, limits) {
  const threshold = { warning: limits.warning_hours, final_warning: limits.final_warning_hours, violation: limits.max_load_hours }[level];
  return t(`level.${level}`, { hours: formatNumber(threshold ?? 0) });
}

/** The first characters of a file's SHA-256, as monitoring shows them. */
export const shortHash = (hash) => `${String(hash).slice(0, 12)}…`;

/**
 * The journals of a FailoverSuite's standby that could not be trusted: each one not dismissed
 * with its reason and a "Dismiss…" action; the dismissed ones as such, with why.
 */
function tamperedJournals(f) {
  const u = f.usage;
  return (u.tampered || []).map((j) => {
    const what = { date: formatDate(j.imported_at), hash: shortHash(j.file_hash) };
    if (j.dismissed) {
      const [at, reason] = j.dismissed;
      return html`<p class="tamper-dismissed" data-hash="${j.file_hash}">${t("five.tamper.dismissed", { ...what, at: formatDate(at) })} <span class="reason">${reason}</span></p>`;
    }
    return html`<p class="notice warn tamper" role="alert" data-hash="${j.file_hash}">${t("five.tamper.open", what)} <span class="detail-text">${t(`tamper.${j.tamper.kind}`)}</span>
      <button type="button" class="button dismiss-tamper" data-failover="${f.license}" data-hash="${j.file_hash}">${t("five.tamper.dismiss")}</button></p>`;
  });
}

/**
 * R12: the five-day status from the latest trusted usage journal, as of its export — on the
 * standby's own desk from the journal it keeps, as of now (`usage_live`). The level is
 * the current episode's (the one still running then): a finished episode's warning is over.
 * Violations of finished episodes stay until an administrator acknowledges them with a reason;
 * a violation still running cannot be acknowledged. A journal that cannot be trusted is said so
 * until dismissed, and the evaluation of the last trusted one stays beside it: a violation found
 * before never disappears behind a tampered journal. `timeline`: the recent phases for the
 * chart, where the journal could be read again (else the meter shows the current phase alone).
 */
export function fiveDays(f, timeline = null) {
  const u = f.usage;
  if (!u) return f.standby ? html`<p class="muted five-days">${t("five.none")}</p>` : "";
  const open = (u.tampered || []).some((j) => !j.dismissed);
  const tampered = tamperedJournals(f);
  const e = u.evaluation;
  if (!e) return html`<div class="five-days">${tampered}</div>`;
  const current = e.current ? e.current.load_seconds : 0;
  const limit = e.limits.max_load_hours;
  const level = (e.current && e.current.level) || "fine";
  const exported = u.exported_at || e.at;
  // On the standby's own desk the journal is the one it keeps, evaluated now (as monitoring does).
  const asof = f.usage_live
    ? t("five.asof.live", { date: formatDate(e.at) })
    : open
      ? t("five.asof.trusted", { date: formatDate(exported) })
      : t("five.asof", { date: formatDate(exported) });
  const episode = (ep) => ({ start: formatDate(ep.start), hours: hours(ep.load_seconds), over: hours(ep.over_limit_seconds) });
  const running =
    e.current && e.current.level === "violation"
      ? html`<p class="notice warn violation running" role="alert">${t("five.violation.running", episode(e.current))}</p>`
      : "";
  const openViolations = (u.open_violations || []).map(
    (ep) => html`<p class="notice warn violation" role="alert">${t("five.violation", episode(ep))}</p>`,
  );
  const ack = u.violations_acknowledged;
  const acknowledged = ack
    ? e.episodes
        .filter((ep) => ep.level === "violation" && ep.start <= ack.through && !(e.current && e.current.start === ep.start))
        .map((ep) => html`<p class="acknowledged">${t("five.violation.acknowledged", episode(ep))}</p>`)
    : [];
  const acknowledgement = ack
    ? html`<p class="acknowledged acknowledgement">${t("five.acknowledged", { at: formatDate(ack.at) })} <span class="reason">${ack.reason}</span></p>`
    : "";
  // Offered while a violation has ended and is not acknowledged; disabled, with why, while the
  // only one is still running (the desk decides: actions of the detail).
  const view = actionOf("acknowledge_violations", f.license);
  const action = view
    ? html`<p class="ack">${actionControl(view, { label: t("five.acknowledge"), cls: "acknowledge-violations", data: { failover: f.license } })}</p>`
    : "";
  return html`<div class="five-days level-${level}">
      ${tampered}
      <p><strong>${t("five.title")}</strong> · ${t("five.current", { hours: hours(current), limit: formatNumber(limit) })}
        <span class="status level-badge-${level}">${levelWords(level, e.limits)}</span></p>
      ${timeline
        ? chart(timeline)
        : html`<meter min="0" max="${limit}" low="${e.limits.warning_hours}" high="${e.limits.final_warning_hours}" optimum="0" value="${Math.min(current / 3600, limit)}"
        aria-label="${t("five.meter", { hours: hours(current), limit: formatNumber(limit) })}"></meter>`}
      <p class="muted asof">${asof}</p>
      ${running}
      ${openViolations}
      ${action}
      ${acknowledged}
      ${acknowledgement}
    </div>`;
}

/** The R12 limits of a FailoverSuite's standby, from its signed activation (or the journal's), where known. */
export function limitsOf(f) {
  return (f.standby && f.standby.limits) || (f.usage && f.usage.evaluation && f.usage.evaluation.limits) || null;
}
