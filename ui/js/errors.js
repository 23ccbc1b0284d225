// Backend errors arrive as { code, message } — with, for a mistyped identifier, `reason`, `id`
// and `character`; for a refusal of the desk, `params` (which refusal, and its values); and
// where there is one, `next` (what to do next). People see a sentence in their language made
// from those codes and values (reasons.js): what was wrong and what to do, never only in the
// backend's English. That English sentence is a technical detail: in English it follows the
// translated one where it adds something; in another language it is kept behind a "technical
// details" disclosure, so no English sentence stands in a German window. Errors made in the page
// carry `local` (a key and its values) for a detail in the user's language. Every error shown
// follows a language switch.
import { html } from "./html.js";
import { formatNumber, language, say, speaking, t, unsay } from "./i18n.js";
import { sayNextStep, sayRefusal } from "./reasons.js";

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

/** Two sentences as one: the reason, then what to do next (either may be empty). */
const joined = (first, second) => [first, second].filter(Boolean).join(" ");

/**
 * The sentence for `error` in the current language, and the detail that goes with it: the
 * refusal from its params (its detail: the English sentence of a value it quotes, if any); else
 * the sentence of its code, and the backend's sentence as the detail. Either way followed by
 * the next step, where the error names one.
 */
function sentenceOf(error) {
  const next = sayNextStep(error.next);
  const refusal = sayRefusal(error.params);
  if (refusal) return { sentence: joined(refusal.sentence, next), detail: refusal.problem, known: true };
  const key = `error.${error.code}`;
  const sentence = t(key);
  if (sentence === key) {
    return { sentence: joined(t("error.generic", { message: error.code }), next), detail: error.message || "", known: false };
  }
  return { sentence: joined(sentence, next), detail: error.message || "", known: true };
}

/**
 * `{ sentence, detail, english, base }`: the sentence in the user's language, and a detail — in
 * the user's language (`english` false) or English from the backend (`english` true); `base` is
 * the sentence in English, to tell whether the detail adds anything to it.
 */
export function explain(error) {
  if (error && typeof error === "object" && "code" in error) {
    if (error.code === "no_backend") return { sentence: t("error.no_backend"), detail: "", english: false };
    const precise = idProblem(error);
    if (precise) return { sentence: precise, detail: "", english: false };
    const said = sentenceOf(error);
    const base = said.known ? speaking("en", () => sentenceOf(error).sentence) : "";
    if (error.local) return { sentence: said.sentence, detail: localDetail(error.local), english: false, base };
    return { sentence: said.sentence, detail: said.detail, english: true, base };
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
export function explainMarkup(error) {
  const explained = explain(error);
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
export function showIn(element, error) {
  say(element, () => explainMarkup(error));
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
