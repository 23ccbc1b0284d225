// The five-day view as a picture (R12): a standby's recent load phases as lines that rise with
// the load time of each phase, against the lines of its limits (72 h, 96 h and 120 h from the
// signed license), over the days of the span; under it a band of load and idle time, the idle
// gaps that ended a phase shaded. Plain SVG made with the escaping template (geometry in
// attributes, looks in css/detail.css: no inline style), with a sentence that says what it
// shows as its text alternative, and a legend whose lines differ by dash as well as by colour,
// so it reads in print.
import { html } from "../html.js";
import { formatDate, formatDayOfMonth, formatNumber, t } from "../i18n.js";
import { midnightsBetween } from "../clock.js";

const HOUR = 3600 * 1000;
const W = 340;
const LEFT = 38;
const RIGHT = W - 44;
const TOP = 10;
const BOTTOM = 150;
const BAND_TOP = 156;
const BAND_BOTTOM = 167;
const AXIS = 183;
const H = 190;

const ms = (iso) => new Date(iso).getTime();
const hoursOf = (seconds) => formatNumber(Math.round(seconds / 360) / 10);
const round1 = (n) => Math.round(n * 10) / 10;

/** The scales of a timeline: x from time, y from load hours. */
function scales(tl) {
  const from = ms(tl.from);
  const to = Math.max(ms(tl.to), from + HOUR);
  const peak = Math.max(0, ...tl.phases.flatMap((p) => p.loads.map((l) => (l.load_before_seconds * 1000 + ms(l.to) - ms(l.from)) / HOUR)));
  const top = Math.max(tl.limits.max_load_hours * 1.12, peak * 1.05);
  return {
    x: (iso) => round1(LEFT + ((Math.min(Math.max(ms(iso), from), to) - from) / (to - from)) * (RIGHT - LEFT)),
    y: (hours) => round1(BOTTOM - (Math.min(hours, top) / top) * (BOTTOM - TOP)),
    top,
    from,
    to,
  };
}

/** A phase's line: its load rising over each load interval, flat while idle, on to now while it runs. */
function phaseLine(p, s, tl) {
  if (p.loads.length === 0) return "";
  const points = [];
  for (const l of p.loads) {
    const before = l.load_before_seconds / 3600;
    points.push(`${s.x(l.from)},${s.y(before)}`);
    points.push(`${s.x(l.to)},${s.y(before + (ms(l.to) - ms(l.from)) / HOUR)}`);
  }
  if (p.running) points.push(`${s.x(tl.to)},${s.y(p.load_seconds / 3600)}`);
  const last = p.loads[p.loads.length - 1];
  const end = p.running ? tl.to : last.to;
  return html`<g class="phase level-${p.level}${p.running ? " running" : ""}" data-start="${p.start}">
      <polyline class="phase-line" points="${points.join(" ")}"></polyline>
      <text class="phase-label" x="${Math.min(s.x(end), RIGHT - 2)}" y="${Math.max(s.y(p.load_seconds / 3600) - 4, TOP + 8)}" text-anchor="end">${hoursOf(p.load_seconds)} h</text>
    </g>`;
}

/** The idle gaps that ended a phase (as long as the limits' gap or longer): shaded on the plot. */
function idleGaps(tl, s) {
  const gap = tl.limits.episode_gap_hours * HOUR;
  const ends = [];
  tl.phases.forEach((p, i) => {
    if (p.running) return;
    const next = tl.phases[i + 1];
    const until = next ? next.start : tl.to;
    if (ms(until) - ms(p.last_load_end) >= gap) ends.push([p.last_load_end, until]);
  });
  return ends.map(([a, b]) => html`<rect class="idle-gap" x="${s.x(a)}" y="${TOP}" width="${round1(s.x(b) - s.x(a))}" height="${BOTTOM - TOP}"></rect>`);
}

/** The band under the plot: no journal yet, idle, under load. */
function band(tl, s) {
  const known = tl.known_from ? s.x(tl.known_from) : LEFT;
  const unknown = tl.known_from
    ? html`<rect class="band-unknown" x="${LEFT}" y="${BAND_TOP}" width="${round1(known - LEFT)}" height="${BAND_BOTTOM - BAND_TOP}"></rect>`
    : "";
  const loads = tl.phases.flatMap((p) =>
    p.loads.map((l) => html`<rect class="band-load" x="${s.x(l.from)}" y="${BAND_TOP}" width="${Math.max(round1(s.x(l.to) - s.x(l.from)), 0.8)}" height="${BAND_BOTTOM - BAND_TOP}"></rect>`),
  );
  return html`${unknown}<rect class="band-idle" x="${known}" y="${BAND_TOP}" width="${round1(RIGHT - known)}" height="${BAND_BOTTOM - BAND_TOP}"></rect>${loads}`;
}

/** The limits' lines, each labelled with its hours. */
function thresholds(tl, s) {
  const lines = [
    ["warning", tl.limits.warning_hours],
    ["final_warning", tl.limits.final_warning_hours],
    ["limit", tl.limits.max_load_hours],
  ];
  return lines.map(
    ([kind, hours]) => html`<g class="threshold threshold-${kind}" data-hours="${hours}">
        <line x1="${LEFT}" x2="${RIGHT}" y1="${s.y(hours)}" y2="${s.y(hours)}"></line>
        <text x="${RIGHT + 3}" y="${s.y(hours) + 4}">${formatNumber(hours)} h</text>
      </g>`,
  );
}

/** The days of the span (a label every few days when there are many), and the hours in steps of a day. */
function axes(tl, s) {
  const days = (s.to - s.from) / (24 * HOUR);
  const step = Math.max(1, Math.ceil(days / 4));
  const ticks = midnightsBetween(s.from, s.to)
    .filter((_, n) => n % step === 0)
    .map(([instant, wall]) => {
      const x = s.x(new Date(instant).toISOString());
      return html`<line class="grid" x1="${x}" x2="${x}" y1="${TOP}" y2="${BAND_BOTTOM}"></line>
      <text class="tick" x="${x}" y="${AXIS}" text-anchor="middle">${formatDayOfMonth(wall)}</text>`;
    });
  const limits = [tl.limits.warning_hours, tl.limits.final_warning_hours, tl.limits.max_load_hours];
  const hourStep = s.top > 200 ? 48 : 24;
  const rows = [html`<text class="tick" x="${LEFT - 3}" y="${BOTTOM + 4}" text-anchor="end">0 h</text>`];
  for (let h = hourStep; h < s.top; h += hourStep) {
    rows.push(html`<line class="grid" x1="${LEFT}" x2="${RIGHT}" y1="${s.y(h)}" y2="${s.y(h)}"></line>`);
    const near = limits.some((l) => Math.abs(s.y(l) - s.y(h)) < 12);
    if (!near) rows.push(html`<text class="tick" x="${LEFT - 3}" y="${s.y(h) + 4}" text-anchor="end">${formatNumber(h)} h</text>`);
  }
  return html`${ticks}${rows}<line class="axis" x1="${LEFT}" x2="${RIGHT}" y1="${BOTTOM}" y2="${BOTTOM}"></line>`;
}

/** What the chart shows, in a sentence: its text alternative and its caption. */
export function chartSummary(tl) {
  const span = { from: formatDate(tl.from), to: formatDate(tl.to), count: formatNumber(tl.phases.length) };
  if (tl.phases.length === 0) return t("five.chart.summary.none", span);
  const limits = {
    warning: formatNumber(tl.limits.warning_hours),
    final: formatNumber(tl.limits.final_warning_hours),
    limit: formatNumber(tl.limits.max_load_hours),
  };
  const intro = t(tl.phases.length === 1 ? "five.chart.summary.one" : "five.chart.summary", span);
  const running = tl.phases.find((p) => p.running);
  const last = tl.phases[tl.phases.length - 1];
  const now = running
    ? t("five.chart.running", { start: formatDate(running.start), hours: hoursOf(running.load_seconds), ...limits })
    : t("five.chart.ended", { end: formatDate(last.last_load_end), hours: hoursOf(last.load_seconds), ...limits });
  return `${intro} ${now}`;
}

/** The legend: what each line, shade and band means (distinguishable without colour). */
function legend(tl) {
  const item = (cls, text) => html`<li><svg class="legend-mark" viewBox="0 0 24 10" aria-hidden="true"><g class="${cls}">${
    cls.startsWith("band") || cls === "idle-gap"
      ? html`<rect x="1" y="1" width="22" height="8"></rect>`
      : html`<line x1="1" x2="23" y1="5" y2="5"></line>`
  }</g></svg> ${text}</li>`;
  return html`<ul class="chart-legend">
      ${item("legend-phase", t("five.chart.legend.phase"))}
      ${item("threshold threshold-warning", t("five.chart.legend.warning", { hours: formatNumber(tl.limits.warning_hours) }))}
      ${item("threshold threshold-final_warning", t("five.chart.legend.final", { hours: formatNumber(tl.limits.final_warning_hours) }))}
      ${item("threshold threshold-limit", t("five.chart.legend.limit", { hours: formatNumber(tl.limits.max_load_hours) }))}
      ${item("idle-gap", t("five.chart.legend.gap", { hours: formatNumber(tl.limits.episode_gap_hours) }))}
      ${item("band-load", t("five.chart.legend.load"))}
      ${tl.known_from ? item("band-unknown", t("five.chart.legend.unknown")) : ""}
    </ul>`;
}

/** The chart of a standby's timeline (see the file's head). */
export function chart(tl) {
  const s = scales(tl);
  const id = `five-chart-${tl.failover}`;
  return html`<figure class="five-chart" data-failover="${tl.failover}">
      <svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}" focusable="false">
        <rect class="plot" x="${LEFT}" y="${TOP}" width="${RIGHT - LEFT}" height="${BOTTOM - TOP}"></rect>
        ${idleGaps(tl, s)}
        ${axes(tl, s)}
        ${thresholds(tl, s)}
        ${band(tl, s)}
        ${tl.phases.map((p) => phaseLine(p, s, tl))}
      </svg>
      <figcaption id="${id}" class="chart-summary">${chartSummary(tl)}</figcaption>
      ${legend(tl)}
    </figure>`;
}
