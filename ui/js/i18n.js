// The language of the window: looking a text up by key in the current language's table (English
// and German, each in its own file under i18n/), numbers and dates in its format, and the texts on
// screen that follow a language switch.
import * as formats from "./formats.js";
import { wallClock } from "./clock.js";
import { show } from "./html.js";
import { en } from "./i18n/en.js";
import { de } from "./i18n/de.js";
import { en as enTeams } from "./i18n/teams/en.js";
import { de as deTeams } from "./i18n/teams/de.js";

// Each language's table is kept in parts by concept (the team's store and sync apart).
const MESSAGES = { en: { ...en, ...enTeams }, de: { ...de, ...deTeams } };

const STORAGE_KEY = "licdesk.lang";
let current = "en";

export function initLanguage() {
  let saved = null;
  try {
    saved = window.localStorage.getItem(STORAGE_KEY);
  } catch (_) {
    saved = null;
  }
  const browser = (navigator.language || "en").slice(0, 2);
  current = MESSAGES[saved] ? saved : MESSAGES[browser] ? browser : "en";
  document.documentElement.lang = current;
  return current;
}

export function setLanguage(lang) {
  if (!MESSAGES[lang]) return;
  current = lang;
  document.documentElement.lang = lang;
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch (_) {
    /* private mode: the choice lasts for this session */
  }
}

export function language() {
  return current;
}

export function t(key, params = {}) {
  const text = MESSAGES[current][key] ?? MESSAGES.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

/** Whether `key` has a text (in English, which has every key). */
export function known(key) {
  return key in MESSAGES.en;
}

/** What `render()` says in `lang` (its texts, numbers and dates), whatever the current language. */
export function speaking(lang, render) {
  const current_ = current;
  current = lang;
  try {
    return render();
  } finally {
    current = current_;
  }
}

export function formatNumber(n) {
  return formats.number(current, n);
}

/** The day and time of `iso` in this computer's local time ("3 Dec 2026, 14:05"); `iso` itself when it is not a time. */
export function formatDate(iso) {
  if (!iso) return "";
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : formats.moment(current, wallClock(ms));
}

/** The day of `iso` alone, in local time ("3 Dec 2026", "03.12.2026"); `iso` itself when it is not a time. */
export function formatDay(iso) {
  if (!iso) return "";
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : formats.day(current, wallClock(ms));
}

/** The day and month of `wall` (a wall clock, clock.js), for a chart's axis ("3 Dec", "3. Dez."). */
export function formatDayOfMonth(wall) {
  return formats.dayOfMonth(current, wall);
}

/** R11: the standby/test-only notice, naming the limits the vendor signed when they are not the data sheet's five days. */
export function standbyNotice(limits) {
  const standard = { max_load_hours: 120, episode_gap_hours: 24, warning_hours: 72, final_warning_hours: 96 };
  if (!limits || Object.keys(standard).every((k) => limits[k] === standard[k])) return t("notice.standby");
  return t("notice.standby.limits", { hours: formatNumber(limits.max_load_hours), gap: formatNumber(limits.episode_gap_hours) });
}

// Texts that were put on screen in one language and must follow a language switch: each is
// remembered with the function that makes it, and made again by `relabel()`.
const spoken = new Map();
const listeners = [];

/** Shows `render()` (text, or markup made by `html`) in `element` now, and again after every language switch. */
export function say(element, render) {
  spoken.set(element, render);
  show(element, render());
}

/** Stops following `element` (its text no longer depends on the language). */
export function unsay(element) {
  spoken.delete(element);
}

/** Calls `render` after every language switch (for screens that re-render themselves). */
export function onLanguage(render) {
  listeners.push(render);
}

/** Re-renders every remembered text and every screen in the current language. */
export function relabel() {
  translateStatic();
  for (const [element, render] of spoken) {
    if (element.isConnected) show(element, render());
    else spoken.delete(element);
  }
  for (const render of listeners) render();
}

/** Applies translations to the static markup (data-i18n, data-i18n-placeholder, data-i18n-aria-label). */
export function translateStatic(root = document) {
  // Only what differs is written: the markup is in English, and a text or attribute written
  // unchanged would still cost the page a new style and layout.
  root.querySelectorAll("[data-i18n]").forEach((el) => {
    const text = t(el.dataset.i18n);
    if (el.textContent !== text) el.textContent = text;
  });
  for (const [selector, attribute, key] of [
    ["[data-i18n-placeholder]", "placeholder", "i18nPlaceholder"],
    ["[data-i18n-aria-label]", "aria-label", "i18nAriaLabel"],
  ]) {
    root.querySelectorAll(selector).forEach((el) => {
      const text = t(el.dataset[key]);
      if (el.getAttribute(attribute) !== text) el.setAttribute(attribute, text);
    });
  }
}
