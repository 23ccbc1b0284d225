// Backend errors arrive as { code, message }. People see a sentence in their language (by code),
// with the backend's precise sentence as the detail.
import { t } from "./i18n.js";

export function explain(error) {
  if (error && typeof error === "object" && "code" in error) {
    const key = `error.${error.code}`;
    const sentence = t(key);
    if (error.code === "no_backend") return { sentence: t("error.no_backend"), detail: "" };
    return { sentence: sentence === key ? t("error.generic", { message: error.code }) : sentence, detail: error.message || "" };
  }
  return { sentence: t("error.generic", { message: String(error) }), detail: "" };
}

/** Fills `element` with the explanation of `error` and shows it. */
export function showIn(element, error) {
  const { sentence, detail } = explain(error);
  element.textContent = detail ? `${sentence} ${t("import.details", { message: detail })}` : sentence;
  element.hidden = false;
}

export function showError(error) {
  showIn(document.getElementById("error-banner"), error);
}

export function clearError() {
  document.getElementById("error-banner").hidden = true;
}
