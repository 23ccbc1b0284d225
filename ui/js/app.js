// The License Desk window: the licenses list (paged, filtered as you type), the detail panel
// with its actions, the import of files (picker or drag and drop), and the other screens.
import * as api from "./api.js";
import { html, mount } from "./html.js";
import { formatDate, formatNumber, initLanguage, language, onLanguage, relabel, say, setLanguage, standbyNotice, t, unsay } from "./i18n.js";
import { clearError, showError } from "./errors.js";
import { beginAction, hideStatus, showStatus } from "./notes.js";
import { enableDrop, importFiles } from "./files.js";
import { closeOpenDialog, initDialogs, openExport, openReason, openRegister } from "./dialogs.js";
import { initPages, renderKeys, renderMachine } from "./pages.js";

const PAGE = 50;
const state = { filter: "", offset: 0, total: 0, rows: [], selected: null, detail: null, storePath: "", view: "licenses", unverified: [] };
let listSeq = 0;
let detailSeq = 0;

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------------------------
// Pieces

function statusBadge(status) {
  const key = status ? `status.${status}` : "status.none";
  const cls = status ? `status status-${status}` : "status status-none";
  return html`<span class="${cls}">${t(key)}</span>`;
}

/** A system's state for the list: a pending one whose request was exported waits for the vendor. */
function listState(system) {
  return system.status === "pending" && system.request_written_at ? "waiting" : system.status;
}

function demoBadge(demo) {
  return demo ? html`<span class="badge demo" title="${t("demo.title")}">${t("demo")}</span>` : "";
}

function extensionChips(row) {
  const chips = row.extensions.map(
    (e) => html`<li class="chip" title="${e.article}">${e.name} <span class="qty">×${formatNumber(e.quantity)}</span></li>`,
  );
  for (const f of row.failovers) {
    const standby = f.standby ? t("standby.label", { status: t(`status.${listState(f.standby)}`) }) : t("standby.none");
    chips.push(
      html`<li class="chip failover" title="${f.license}">${t("failover.chip")} <span class="sub">${standby}</span></li>`,
    );
  }
  return chips.length ? html`<ul class="chips">${chips}</ul>` : html`<span class="muted">—</span>`;
}

function rowMarkup(row) {
  const selected = state.selected === row.license;
  return html`<tr tabindex="0" data-license="${row.license}" aria-selected="${selected ? "true" : "false"}" class="${selected ? "selected" : ""}">
    <td class="customer">${row.customer} ${demoBadge(row.demo)}</td>
    <td class="mono">${row.license}</td>
    <td>${t(`variant.${row.variant}`)}</td>
    <td>${extensionChips(row)}</td>
    <td>${statusBadge(row.main_system && listState(row.main_system))}</td>
  </tr>`;
}

// ---------------------------------------------------------------------------------------------
// The list

function renderList() {
  mount($("rows"), html`${state.rows.map(rowMarkup)}`);
  const empty = $("empty");
  if (state.rows.length === 0) {
    empty.textContent = state.filter ? t("licenses.empty.filter", { filter: state.filter }) : t("licenses.empty.store");
    empty.hidden = false;
  } else {
    empty.hidden = true;
  }
  $("count").textContent =
    state.total === 1 ? t("licenses.count.one") : t("licenses.count", { count: formatNumber(state.total) });
  const from = state.rows.length ? state.offset + 1 : 0;
  const to = state.offset + state.rows.length;
  $("page-info").textContent = t("pager.info", {
    from: formatNumber(from),
    to: formatNumber(to),
    total: formatNumber(state.total),
  });
  $("prev").disabled = state.offset === 0;
  $("next").disabled = to >= state.total;
}

async function loadList() {
  const seq = ++listSeq;
  try {
    const page = await api.listLicenses(state.filter, state.offset, PAGE);
    if (seq !== listSeq) return; // a newer filter is on its way
    state.rows = page.rows;
    state.total = page.total;
    clearError();
    renderList();
  } catch (error) {
    if (seq === listSeq) showError(error);
  }
}

let filterTimer = null;
function onFilterInput(event) {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => {
    state.filter = event.target.value.trim();
    state.offset = 0;
    loadList();
  }, 120);
}

// ---------------------------------------------------------------------------------------------
// The detail panel

/**
 * An entitlement's name in the user's language: the suite's own (article OMS) names its variant,
 * which licdesk-core writes in English ("OfficeMaster Suite (25 users)"); extensions keep the
 * names their certificate gives them.
 */
function entitlementName(e) {
  const suite = e.article === "OMS" && /^OfficeMaster Suite \((10|25|250|unlimited) users\)$/.exec(e.name);
  return suite ? t("entitlement.suite", { variant: t(`variant.inline.${suite[1]}`) }) : e.name;
}

/**
 * Where a system that is not active stands with its activation request: none can be written
 * (a typed standby), not exported yet, or exported on a date and waiting for the response.
 */
function requestFact(s) {
  if (s.status === "active") return "";
  const said = !s.activatable
    ? t("detail.request.impossible")
    : s.request_written_at
      ? t("detail.request.sent", { date: formatDate(s.request_written_at) })
      : t("detail.request.none");
  const state = !s.activatable ? "impossible" : s.request_written_at ? "sent" : "none";
  return html`<dt>${t("detail.request")}</dt><dd class="request-state request-${state}">${said}</dd>`;
}

function systemBlock(s) {
  const mode = s.mode ? html`<dt>${t("detail.mode")}</dt><dd class="mode mode-${s.mode}">${t(`mode.${s.mode}`)}</dd>` : "";
  const activated = s.activated_at ? html`<dt>${t("detail.activated")}</dt><dd>${formatDate(s.activated_at)}</dd>` : "";
  const granted = s.entitlements.length
    ? html`<details class="granted" data-key="${s.role}-${s.license}"${openDetails.has(`${s.role}-${s.license}`) ? html` open` : ""}><summary>${t("detail.granted")} (${formatNumber(s.entitlements.length)})</summary>
        <ul>${s.entitlements.map((e) => html`<li><span class="mono">${e.article}</span> ${entitlementName(e)} ×${formatNumber(e.quantity)}</li>`)}</ul>
      </details>`
    : "";
  return html`<dl class="facts">
      <dt>${t("detail.hardware")}</dt><dd class="mono">${s.hardware_id}${s.label ? html` <span class="muted">(${s.label})</span>` : ""}</dd>
      ${mode}
      <dt>${t("detail.state")}</dt><dd>${statusBadge(s.status)}</dd>
      ${requestFact(s)}
      <dt>${t("detail.registered")}</dt><dd>${formatDate(s.registered_at)}</dd>
      ${activated}
    </dl>${granted}`;
}

/** R11: the administrator acknowledges the standby/test-only notice (audited). */
function acknowledgement(f) {
  if (!f.standby) return "";
  if (f.standby.notice_acknowledged_at) {
    return html`<p class="muted ack">${t("notice.acknowledged", { date: formatDate(f.standby.notice_acknowledged_at) })}</p>`;
  }
  return html`<p class="ack"><button type="button" class="button acknowledge" data-failover="${f.license}">${t("notice.acknowledge")}</button></p>`;
}

const hours = (seconds) => formatNumber(Math.round(seconds / 360) / 10);

/** A five-day level in words, with the hours of its threshold from the signed limits. */
function levelWords(level, limits) {
  const threshold = { warning: limits.warning_hours, final_warning: limits.final_warning_hours, violation: limits.max_load_hours }[level];
  return t(`level.${level}`, { hours: formatNumber(threshold ?? 0) });
}

/** The first characters of a file's SHA-256, as monitoring shows them. */
const shortHash = (hash) => `${String(hash).slice(0, 12)}…`;

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
 * R12: the five-day status from the latest trusted usage journal, as of its export. The level is
 * the current episode's (the one still running then): a finished episode's warning is over.
 * Violations of finished episodes stay until an administrator acknowledges them with a reason;
 * a violation still running cannot be acknowledged. A journal that cannot be trusted is said so
 * until dismissed, and the evaluation of the last trusted one stays beside it: a violation found
 * before never disappears behind a tampered journal.
 */
function fiveDays(f) {
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
  const asof = open ? t("five.asof.trusted", { date: formatDate(exported) }) : t("five.asof", { date: formatDate(exported) });
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
  const action = openViolations.length
    ? html`<p class="ack"><button type="button" class="button acknowledge-violations" data-failover="${f.license}">${t("five.acknowledge")}</button></p>`
    : "";
  return html`<div class="five-days level-${level}">
      ${tampered}
      <p><strong>${t("five.title")}</strong> · ${t("five.current", { hours: hours(current), limit: formatNumber(limit) })}
        <span class="status level-badge-${level}">${levelWords(level, e.limits)}</span></p>
      <meter min="0" max="${limit}" low="${e.limits.warning_hours}" high="${e.limits.final_warning_hours}" optimum="0" value="${Math.min(current / 3600, limit)}"
        aria-label="${t("five.meter", { hours: hours(current), limit: formatNumber(limit) })}"></meter>
      <p class="muted asof">${asof}</p>
      ${running}
      ${openViolations}
      ${action}
      ${acknowledged}
      ${acknowledgement}
    </div>`;
}

/** The R12 limits of a FailoverSuite's standby, from its signed activation (or the journal's), where known. */
function limitsOf(f) {
  return (f.standby && f.standby.limits) || (f.usage && f.usage.evaluation && f.usage.evaluation.limits) || null;
}

function noticesOf(d) {
  const notices = [];
  if (d.demo) notices.push(html`<li class="notice demo-notice">${t("notice.demo")}</li>`);
  const systems = [d.main_system, ...d.failovers.map((f) => f.standby)].filter(Boolean);
  for (const s of systems) {
    if (s.status === "out_of_date") {
      notices.push(html`<li class="notice warn">${t("notice.out_of_date", { role: t(`role.${s.role}`), hwid: s.hardware_id })}</li>`);
    }
  }
  return notices;
}

/** Which "licensed on this system" lists are open, so a re-render keeps them open. */
let openDetails = new Set();

/** How to find a control of the detail panel again after the panel was made anew. */
function focusKey(element) {
  if (!element || element === $("detail")) return null;
  if (element.id) return `#${CSS.escape(element.id)}`;
  const details = element.tagName === "SUMMARY" && element.closest("details[data-key]");
  if (details) return `details[data-key="${CSS.escape(details.dataset.key)}"] summary`;
  if (element.dataset.failover) {
    const cls = Array.from(element.classList).find((c) => !["button", "primary"].includes(c));
    const hash = element.dataset.hash ? `[data-hash="${CSS.escape(element.dataset.hash)}"]` : "";
    if (cls) return `.${CSS.escape(cls)}[data-failover="${CSS.escape(element.dataset.failover)}"]${hash}`;
  }
  return null;
}

/**
 * After an action on `failover` re-rendered the panel: the focus goes to the button of the
 * next step (the first of `classes` there is), else to the panel's heading — never to nothing.
 */
function focusNextStep(failover, classes) {
  for (const cls of classes) {
    const button = document.querySelector(`#detail .${cls}[data-failover="${CSS.escape(failover)}"]`);
    if (button) {
      button.focus();
      return;
    }
  }
  const heading = $("detail-heading");
  if (heading) heading.focus();
}

/** Where the focus goes after a decision on the five-day status: what is still open there, then the standby's next step. */
const AFTER_DECISION = ["dismiss-tamper", "acknowledge-violations", "acknowledge", "export-standby", "register-standby", "release-standby"];

function failoverActions(f) {
  const s = f.standby;
  const register =
    s && s.status !== "pending"
      ? ""
      : html`<button type="button" class="button register-standby" data-failover="${f.license}">${s ? t("detail.change_standby") : t("detail.register")}</button>`;
  // A standby typed in by its hardware ID cannot be activated: no request can be exported for it.
  const exportButton =
    s && s.activatable
      ? html`<button type="button" class="button primary export-standby" data-failover="${f.license}" data-hwid="${s.hardware_id}">${s.status === "out_of_date" ? t("detail.reactivate") : t("detail.export_standby")}</button>`
      : "";
  const release =
    s && s.status !== "pending" ? html`<button type="button" class="button release-standby" data-failover="${f.license}">${t("detail.release")}</button>` : "";
  return html`${register}${exportButton}${release}`;
}

function renderDetail() {
  const panel = $("detail");
  const d = state.detail;
  openDetails = new Set(Array.from(panel.querySelectorAll("details[open][data-key]"), (e) => e.dataset.key));
  const focused = panel.contains(document.activeElement) ? focusKey(document.activeElement) : null;
  if (!d) {
    mount(panel, html`<p class="hint" id="detail-hint">${t("detail.hint")}</p>`);
    return;
  }
  const failovers = d.failovers.map(
    (f) => html`<section class="failover-block" aria-label="${t("detail.failover", { license: f.license })}" data-failover="${f.license}">
      <h4>${t("detail.failover", { license: f.license })} ${demoBadge(f.demo)}</h4>
      <p class="notice standby-notice" role="note">${standbyNotice(limitsOf(f))}</p>
      ${acknowledgement(f)}
      ${f.standby ? systemBlock(f.standby) : html`<p class="muted">${t("detail.standby.none")}</p>`}
      ${f.standby && !f.standby.activatable ? html`<p class="notice warn cannot-activate" role="note">${t("standby.cannot_activate")}</p>` : ""}
      ${fiveDays(f)}
      <div class="actions">${failoverActions(f)}</div>
    </section>`,
  );
  const notices = noticesOf(d);
  mount(
    panel,
    html`<div class="detail-head">
        <h3 id="detail-heading" tabindex="-1">${d.customer} ${demoBadge(d.demo)}</h3>
        <button type="button" class="close" id="detail-close" aria-label="${t("detail.close")}">×</button>
      </div>
      <p class="mono license-no">${d.license}</p>
      <dl class="facts">
        <dt>${t("detail.variant")}</dt><dd>${t(`variant.${d.variant}`)} · ${t("detail.revision", { revision: d.revision })}</dd>
        <dt>${t("detail.vendor")}</dt><dd>${d.vendor} <span class="muted mono">${d.key_id}</span></dd>
        <dt>${t("detail.issued")}</dt><dd>${formatDate(d.issued_at)}</dd>
      </dl>
      ${notices.length ? html`<ul class="notices" aria-label="${t("detail.notices")}">${notices}</ul>` : ""}
      <h4>${t("detail.entitlements")}</h4>
      <table class="entitlements">
        <thead><tr><th scope="col">${t("detail.article")}</th><th scope="col">${t("detail.name")}</th><th scope="col" class="num">${t("detail.quantity")}</th></tr></thead>
        <tbody>${d.entitlements.map((e) => html`<tr><td class="mono">${e.article}</td><td>${entitlementName(e)}</td><td class="num">${formatNumber(e.quantity)}</td></tr>`)}
        ${d.failovers.map((f) => html`<tr class="failover-row"><td class="mono">${f.article}</td><td>${t("failover.chip")} ${f.license}</td><td class="num">1</td></tr>`)}</tbody>
      </table>
      <div class="actions">
        <button type="button" class="button" id="add-failover">${t("detail.add_failover")}</button>
      </div>
      <h4>${t("detail.main")}</h4>
      ${d.main_system ? systemBlock(d.main_system) : html`<p class="muted">${t("detail.main.none")}</p>`}
      <div class="actions">
        <button type="button" class="button" id="export-main">${t("detail.export_main")}</button>
      </div>
      ${failovers}`,
  );
  const failover = (b) => d.failovers.find((x) => x.license === b.dataset.failover);
  $("detail-close").addEventListener("click", closeDetail);
  $("add-failover").addEventListener("click", () => {
    beginAction();
    $("import-input").click();
  });
  $("export-main").addEventListener("click", () => {
    beginAction();
    openExport(d.license, "main", null, exportedRequest);
  });
  panel.querySelectorAll(".register-standby").forEach((b) =>
    b.addEventListener("click", () => {
      beginAction();
      const f = failover(b);
      openRegister(b.dataset.failover, f && f.standby, registeredStandby);
    }),
  );
  panel.querySelectorAll(".export-standby").forEach((b) =>
    b.addEventListener("click", () => {
      beginAction();
      openExport(b.dataset.failover, "standby", b.dataset.hwid, exportedRequest, limitsOf(failover(b)));
    }),
  );
  panel.querySelectorAll(".release-standby").forEach((b) =>
    b.addEventListener("click", () => {
      beginAction();
      openExport(b.dataset.failover, "release", null, exportedRequest, limitsOf(failover(b)));
    }),
  );
  panel.querySelectorAll(".acknowledge").forEach((b) =>
    b.addEventListener("click", async () => {
      beginAction();
      const license = b.dataset.failover;
      try {
        await api.acknowledgeNotice(license);
        await refresh();
        focusNextStep(license, ["export-standby", "register-standby", "release-standby"]);
      } catch (error) {
        showError(error);
      }
    }),
  );
  panel.querySelectorAll(".acknowledge-violations").forEach((b) =>
    b.addEventListener("click", () => {
      beginAction();
      const license = b.dataset.failover;
      openReason(
        () => ({ heading: t("violations.heading", { license }), what: t("violations.what", { license }), submit: t("violations.submit") }),
        (reason) => api.acknowledgeViolations(license, reason),
        async (done) => {
          showStatus(() => t("violations.done", { license, count: formatNumber(done.episodes.length) }));
          await refresh();
          focusNextStep(license, AFTER_DECISION);
        },
        "acknowledge_violations",
      );
    }),
  );
  panel.querySelectorAll(".dismiss-tamper").forEach((b) =>
    b.addEventListener("click", () => {
      beginAction();
      const license = b.dataset.failover;
      const hash = b.dataset.hash;
      openReason(
        () => ({ heading: t("dismiss.heading", { license }), what: t("dismiss.what", { license, hash: shortHash(hash) }), submit: t("dismiss.submit") }),
        (reason) => api.dismissTamperedJournal(hash, reason),
        async () => {
          showStatus(() => t("dismiss.done", { license, hash: shortHash(hash) }));
          await refresh();
          focusNextStep(license, AFTER_DECISION);
        },
        "dismiss_tampered_journal",
      );
    }),
  );
  if (focused) {
    const again = panel.querySelector(focused);
    if (again) again.focus();
    else $("detail-heading").focus();
  }
}

/**
 * After a standby was registered: say so and what comes next — exporting its activation
 * request, or, for one typed in by its hardware ID, why it cannot be activated — and put the
 * focus on the button of that next step.
 */
async function registeredStandby(system) {
  const key = system.activatable ? "register.done" : "register.done.typed";
  showStatus(() => t(key, { hwid: system.hardware_id, license: system.license }));
  await refresh();
  focusNextStep(system.license, system.activatable ? ["export-standby"] : ["register-standby"]);
}

/** After a request was written: say where, and what to do with it (send it, then import the answer). */
async function exportedRequest(file, role) {
  showStatus(() => t(role === "release" ? "release.next" : "export.next", { file }));
  await refresh();
}

async function openDetail(license) {
  state.selected = license;
  renderList();
  const seq = ++detailSeq;
  try {
    const detail = await api.showLicense(license);
    if (seq !== detailSeq) return;
    state.detail = detail;
    clearError();
    renderDetail();
  } catch (error) {
    if (seq === detailSeq) showError(error);
  }
}

function closeDetail() {
  beginAction();
  const license = state.selected;
  state.selected = null;
  state.detail = null;
  renderDetail();
  renderList();
  const row = license && document.querySelector(`tr[data-license="${CSS.escape(license)}"]`);
  if (row) row.focus();
}

// ---------------------------------------------------------------------------------------------
// The store as a whole: the clock warning, and the usage journals whose signature fails

/** Whether the list of unverified journals is open (kept across re-renders). */
let journalsOpen = false;

/**
 * Usage journals whose own signature fails: nothing in them was read, so they belong to no
 * FailoverSuite and are shown above the licenses, each with a "Dismiss…" action (a reason,
 * audited), until dismissed. The key id comes from the file's header (unverified): escaped.
 */
function renderJournals() {
  const banner = $("journals-banner");
  const journals = state.unverified;
  banner.hidden = journals.length === 0 || state.view !== "licenses";
  if (journals.length === 0) journalsOpen = false;
  // A live region: its text is set only when it changes (a refresh does not announce it again).
  const said = journals.length === 1 ? t("journals.banner.one") : t("journals.banner", { count: formatNumber(journals.length) });
  if ($("journals-text").textContent !== said) $("journals-text").textContent = said;
  const toggle = $("journals-toggle");
  toggle.textContent = journalsOpen ? t("journals.hide") : t("journals.show");
  toggle.setAttribute("aria-expanded", String(journalsOpen));
  const list = $("journals-list");
  list.hidden = !journalsOpen;
  mount(
    list,
    html`${journals.map(
      (j) => html`<li class="unverified-journal" data-hash="${j.file_hash}">
        <span id="unverified-${j.file_hash}">${t("journals.entry", { date: formatDate(j.imported_at), hash: shortHash(j.file_hash), key: j.key_id })}</span>
        <button type="button" class="button dismiss-unverified" data-hash="${j.file_hash}" aria-describedby="unverified-${j.file_hash}">${t("journals.dismiss")}</button>
      </li>`,
    )}`,
  );
}

onLanguage(renderJournals);

function dismissUnverified(button) {
  beginAction();
  const hash = button.dataset.hash;
  const journal = state.unverified.find((j) => j.file_hash === hash);
  const key = journal ? journal.key_id : "";
  openReason(
    () => ({
      heading: t("journals.dismiss.heading"),
      what: t("journals.dismiss.what", { hash: shortHash(hash), key }),
      submit: t("dismiss.submit"),
    }),
    (reason) => api.dismissTamperedJournal(hash, reason),
    async () => {
      showStatus(() => t("journals.dismiss.done", { hash: shortHash(hash) }));
      await refresh();
      // The focus goes to the next journal's "Dismiss…", else to the filter — never to nothing.
      const next = document.querySelector("#journals-list .dismiss-unverified");
      (next && !$("journals-banner").hidden ? next : $("filter")).focus();
    },
    "dismiss_tampered_journal",
  );
}

/** Shows what concerns the whole store: a system clock behind the latest signed time, and the unverified journals. */
function showStoreWide(info) {
  const clock = $("clock-banner");
  if (info.clock_behind) {
    say(clock, () => t("clock.behind", { date: formatDate(info.clock_behind) }));
    clock.hidden = false;
  } else {
    unsay(clock);
    clock.hidden = true;
  }
  state.unverified = info.unverified_journals || [];
  renderJournals();
}

/** Asks the backend again what concerns the whole store (after an import or a decision). */
async function loadStoreWide() {
  try {
    showStoreWide(await api.storeInfo());
  } catch (error) {
    showError(error);
  }
}

// ---------------------------------------------------------------------------------------------
// Keyboard and clicks on rows

function onRowsClick(event) {
  const row = event.target.closest("tr[data-license]");
  if (!row) return;
  beginAction();
  openDetail(row.dataset.license);
}

function onRowsKey(event) {
  const row = event.target.closest("tr[data-license]");
  if (!row) return;
  if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    beginAction();
    openDetail(row.dataset.license).then(() => $("detail").focus());
  } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    const next = event.key === "ArrowDown" ? row.nextElementSibling : row.previousElementSibling;
    if (next) next.focus();
  }
}

/** Reloads the list, the open detail and what concerns the whole store after something changed the store. */
async function refresh() {
  await loadList();
  if (state.selected) await openDetail(state.selected);
  await loadStoreWide();
}

// ---------------------------------------------------------------------------------------------
// Screens

function showView(view) {
  beginAction();
  state.view = view;
  for (const v of ["licenses", "machine", "keys"]) {
    $(`view-${v}`).hidden = v !== view;
    const tab = $(`tab-${v}`);
    if (v === view) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  renderJournals();
  if (view === "machine") renderMachine();
  if (view === "keys") renderKeys();
}

// ---------------------------------------------------------------------------------------------
// Language

// Everything on screen follows a switch: the static markup, every text shown with `say` (banners,
// errors, dialogs, statuses) and every screen that renders itself (list, detail, import panel,
// vendor keys).
onLanguage(() => {
  renderList();
  renderDetail();
});

function applyLanguage(lang) {
  setLanguage(lang);
  document.querySelectorAll(".lang-btn").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === lang)));
  relabel();
}

// ---------------------------------------------------------------------------------------------

async function start() {
  applyLanguage(initLanguage());
  document.querySelectorAll(".lang-btn").forEach((b) => b.addEventListener("click", () => applyLanguage(b.dataset.lang)));
  $("filter").addEventListener("input", onFilterInput);
  $("rows").addEventListener("click", onRowsClick);
  $("rows").addEventListener("keydown", onRowsKey);
  $("prev").addEventListener("click", () => {
    beginAction();
    state.offset = Math.max(0, state.offset - PAGE);
    loadList();
  });
  $("next").addEventListener("click", () => {
    beginAction();
    state.offset += PAGE;
    loadList();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    // Escape closes the open dialog first (wherever the focus is), then the detail panel.
    if (closeOpenDialog()) return;
    if (state.detail) closeDetail();
  });
  document.querySelectorAll(".tab").forEach((b) => b.addEventListener("click", () => showView(b.dataset.view)));
  $("import-input").addEventListener("change", (e) => importFiles(e.target.files, refresh));
  enableDrop(refresh);
  initDialogs();
  initPages();
  $("journals-toggle").addEventListener("click", () => {
    beginAction();
    journalsOpen = !journalsOpen;
    renderJournals();
  });
  $("journals-list").addEventListener("click", (event) => {
    const button = event.target.closest(".dismiss-unverified");
    if (button) dismissUnverified(button);
  });
  $("status-close").addEventListener("click", hideStatus);
  $("error-close").addEventListener("click", clearError);
  try {
    const info = await api.storeInfo();
    state.storePath = info.path;
    say($("store-path"), () => (info.path ? t("store.at", { path: info.path }) : ""));
    if (info.error) {
      showError(info.error, { sticky: true });
      document.body.dataset.ready = "error";
      return;
    }
    showStoreWide(info);
  } catch (error) {
    showError(error, { sticky: true });
    document.body.dataset.ready = "error";
    return;
  }
  await loadList();
  document.body.dataset.ready = "true";
  // A standard performance mark once the first rows have painted (the frame after they were
  // rendered): start-up time can then be read from outside, as `make bench` does.
  requestAnimationFrame(() => setTimeout(() => performance.mark("licdesk:first-rows"), 0));
}

window.addEventListener("DOMContentLoaded", start);
export { language };
