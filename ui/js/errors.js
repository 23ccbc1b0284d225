// Backend errors arrive as { code, message } (and, for a mistyped identifier, `reason`, `id` and
// `character`). People see a sentence in their language (by code and reason), with the
// backend's precise sentence as the detail. Every error shown follows a language switch.
import { say, t, unsay } from "./i18n.js";

/** The precise sentence for a mistyped hardware ID, license number or key ID, or null. */
export function idProblem(error) {
  if (!error || typeof error !== "object" || !error.reason || !error.id) return null;
  const key = `idcheck.${error.reason}.${error.id}`;
  const sentence = t(key, { character: error.character || "" });
  return sentence === key ? null : sentence;
}

export function explain(error) {
  if (error && typeof error === "object" && "code" in error) {
    if (error.code === "no_backend") return { sentence: t("error.no_backend"), detail: "" };
    const precise = idProblem(error);
    if (precise) return { sentence: precise, detail: "" };
    const key = `error.${error.code}`;
    const sentence = t(key);
    return { sentence: sentence === key ? t("error.generic", { message: error.code }) : sentence, detail: error.message || "" };
  }
  return { sentence: t("error.generic", { message: String(error) }), detail: "" };
}

/** The explanation of `error` as one text in the current language. */
export function explainText(error) {
  const { sentence, detail } = explain(error);
  return detail ? `${sentence} ${t("import.details", { message: detail })}` : sentence;
}

/** Fills `element` with the explanation of `error` (in every language it is switched to) and shows it. */
export function showIn(element, error) {
  say(element, () => explainText(error));
  element.hidden = false;
}

/** Hides an element filled by `showIn`. */
export function hideIn(element) {
  unsay(element);
  element.hidden = true;
}

export function showError(error) {
  showIn(document.getElementById("error-banner"), error);
}

export function clearError() {
  hideIn(document.getElementById("error-banner"));
}
