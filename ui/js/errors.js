// Backend errors arrive as { code, message } (and, for a mistyped identifier, `reason`, `id` and
// `character`). People see a sentence in their language (by code and reason). The backend's own
// sentence is English: in English it follows the translated one where it adds something; in
// another language it is kept behind a "technical details" disclosure, so no English sentence
// stands in a German window. Errors made in the page carry `local` (a key and its values) for a
// detail in the user's language. Every error shown follows a language switch.
import { html } from "./html.js";
import { english as inEnglish, formatNumber, language, say, t, unsay } from "./i18n.js";

/** The precise sentence for a mistyped hardware ID, license number or key ID, or null. */
export function idProblem(error) {
  if (!error || typeof error !== "object" || !error.reason || !error.id) return null;
  const key = `idcheck.${error.reason}.${error.id}`;
  const sentence = t(key, { character: error.character || "" });
  return sentence === key ? null : sentence;
}

/** A detail made in the page, in the user's language (numbers formatted for it). */
function localDetail(local) {
  const params = {};
  for (const [name, value] of Object.entries(local.params || {})) {
    params[name] = typeof value === "number" ? formatNumber(value) : value;
  }
  return t(local.key, params);
}

/**
 * `{ sentence, detail, english, base }`: the sentence in the user's language, and a detail — in
 * the user's language (`english` false) or the backend's English sentence (`english` true);
 * `base` is the sentence in English, to tell whether the detail adds anything to it. With a
 * `context` (an action, such as "acknowledge_violations"), a code that action gives its own
 * meaning to is said by `error.<context>.<code>` where that key exists.
 */
export function explain(error, context = null) {
  if (error && typeof error === "object" && "code" in error) {
    if (error.code === "no_backend") return { sentence: t("error.no_backend"), detail: "", english: false };
    const precise = idProblem(error);
    if (precise) return { sentence: precise, detail: "", english: false };
    const specific = context ? `error.${context}.${error.code}` : null;
    const key = specific && t(specific) !== specific ? specific : `error.${error.code}`;
    const sentence = t(key);
    const known = sentence !== key;
    const said = known ? sentence : t("error.generic", { message: error.code });
    const base = known ? inEnglish(key) : "";
    if (error.local) return { sentence: said, detail: localDetail(error.local), english: false, base };
    return { sentence: said, detail: error.message || "", english: true, base };
  }
  return { sentence: t("error.generic", { message: String(error) }), detail: "", english: true, base: "" };
}

/** Letters only, lower case: two sentences that say the same thing compare equal. */
const gist = (text) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");

/**
 * Whether the detail adds nothing to the sentence: it says the same as the sentence does in
 * English (so the translated sentence says it too), or is part of it.
 */
function redundant({ sentence, base, english }, detail) {
  const d = gist(detail);
  return !d || gist(english && base ? base : sentence).includes(d);
}

/**
 * The explanation of `error` in the current language: the sentence, with the detail inline when
 * it is in this language (and adds something), or behind a closed "technical details" disclosure
 * when it is the backend's English in another language. Text or `html` markup.
 */
export function explainMarkup(error, context = null) {
  const explained = explain(error, context);
  const detail = detailPart(explained);
  return detail ? html`${explained.sentence} ${detail}` : explained.sentence;
}

/**
 * The detail of an explanation as markup: "" when it adds nothing, inline when it is in the
 * user's language, else (the backend's English in another language) a closed disclosure.
 */
export function detailPart(explained) {
  const { detail, english } = explained;
  if (!detail || redundant(explained, detail)) return "";
  if (!english || language() === "en") return html`<span class="detail-text">${t("import.details", { message: detail })}</span>`;
  return html`<details class="tech detail-text"><summary>${t("error.technical")}</summary><span lang="en">${detail}</span></details>`;
}

/** The explanation of `error` as plain text: the English detail only in English. */
export function explainText(error) {
  const explained = explain(error);
  const { sentence, detail, english } = explained;
  if (!detail || redundant(explained, detail) || (english && language() !== "en")) return sentence;
  return `${sentence} ${t("import.details", { message: detail })}`;
}

/** Fills `element` with the explanation of `error` (in every language it is switched to) and shows it. */
export function showIn(element, error, context = null) {
  say(element, () => explainMarkup(error, context));
  element.hidden = false;
}

/** Hides an element filled by `showIn`. */
export function hideIn(element) {
  unsay(element);
  element.textContent = "";
  element.hidden = true;
}

/**
 * Shows `error` in the error banner. A sticky one (the store could not be opened) stays until
 * something succeeds; any other goes when the next action begins or when it is closed.
 */
export function showError(error, { sticky = false } = {}) {
  const banner = document.getElementById("error-banner");
  showIn(document.getElementById("error-text"), error);
  banner.dataset.sticky = String(sticky);
  banner.hidden = false;
}

export function clearError() {
  hideIn(document.getElementById("error-text"));
  const banner = document.getElementById("error-banner");
  banner.hidden = true;
  banner.dataset.sticky = "false";
}

/** Clears the error banner when the next action begins, unless the error is sticky. */
export function dismissError() {
  if (document.getElementById("error-banner").dataset.sticky !== "true") clearError();
}
