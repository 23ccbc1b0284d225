// What became of one imported file, and what a whole import came to, said in the user's
// language from the desk's codes and values (statuses, kinds, effects, error codes): the page
// never reads the desk's English sentences for meaning.
import { html } from "../html.js";
import { formatNumber, t } from "../i18n.js";
import { detailPart, explain } from "../errors.js";

/** The last part of a path (the file's name), whichever separator the system uses. */
export const baseName = (path) => String(path).split(/[\\/]/).pop() || String(path);

/** What an activation response activated, said precisely (R5, R9), or null. */
function activatedLine(o, file) {
  const a = o.activation;
  if (!a) return null;
  const one = a.entitlements === 1 ? ".one" : "";
  return t(`import.activated.${a.role}${one}`, {
    file,
    license: o.license || "",
    hwid: a.hardware_id,
    mode: a.mode ? t(`mode.inline.${a.mode}`) : "",
    count: a.entitlements,
  });
}

/** The explanation of a refused file (a tampered usage journal included), or null. */
export function refusalOf(o) {
  if (o.status === "tampered") {
    const sentence = t("import.tampered.usage-journal", { file: baseName(o.file), license: o.license || "" });
    return { sentence, detail: o.message, english: true };
  }
  if (o.status !== "refused") return null;
  const error = o.error || { code: "invalid_content", message: o.message };
  // A file too large: its size, in the user's language (the desk gives it as a value).
  const size = error.code === "too_large" && error.params && error.params.size;
  if (size) return explain({ ...error, local: { key: "file.size", params: { file: baseName(o.file), bytes: size } } });
  return explain(error);
}

/** One line for a file: its name and what became of it (the reason, for a refused one). */
export function outcomeText(o) {
  const file = baseName(o.file);
  const params = { file, license: o.license || "" };
  if (o.status === "tampered") return refusalOf(o).sentence;
  if (o.status === "refused") {
    const explained = refusalOf(o);
    // A detail made in the page (a size) is in the user's language: said on the line too.
    const local = explained.detail && !explained.english ? ` ${explained.detail}` : "";
    return t("import.refused", { file, reason: explained.sentence }) + local;
  }
  if (o.status === "unchanged") return t("import.unchanged", params);
  const activated = activatedLine(o, file);
  if (activated) return activated;
  const key = `import.${o.status}.${o.kind}`;
  const text = t(key, params);
  return text === key ? t(`bulk.result.${o.result}`, params) : text;
}

/** The full account of one file: its path, what became of it, and any detail of a refusal. */
export function outcomeDetail(o) {
  const refusal = refusalOf(o);
  const detail = refusal ? detailPart(refusal) : "";
  return html`<p class="import-file-path mono">${o.file}</p><p>${outcomeText(o)} ${detail}</p>`;
}

/** The sentence that closes an import (finished, or cancelled part way). */
export function summarySentence(s) {
  if (s.cancelled) {
    return t("bulk.cancelled", {
      done: formatNumber(s.done),
      total: formatNumber(s.total),
      accepted: formatNumber(s.accepted),
      rest: formatNumber(s.not_imported),
    });
  }
  return t("import.done", { ok: formatNumber(s.accepted), total: formatNumber(s.total) });
}

/** The counts of an import: accepted (by what the files did), already there, refused (by reason). */
export function tallyMarkup(s) {
  const effects = s.accepted_by_effect.map(
    (e) => html`<li>${t(`bulk.effect.${e.effect}`)}: <strong>${formatNumber(e.count)}</strong></li>`,
  );
  const reasons = s.refused_by_reason.map(
    // The count first: the reason is a whole sentence (what was wrong and what to do).
    (r) => html`<li><strong>${t(r.count === 1 ? "bulk.reason.count.one" : "bulk.reason.count", { count: formatNumber(r.count) })}</strong> ${reasonLabel(r.code)}</li>`,
  );
  return html`<ul class="tally">
    <li class="tally-accepted">${t("bulk.accepted")}: <strong>${formatNumber(s.accepted)}</strong>${effects.length ? html`<ul>${effects}</ul>` : ""}</li>
    <li class="tally-unchanged">${t("bulk.unchanged")}: <strong>${formatNumber(s.unchanged)}</strong></li>
    <li class="tally-refused">${t("bulk.refused")}: <strong>${formatNumber(s.refused)}</strong>${reasons.length ? html`<ul>${reasons}</ul>` : ""}</li>
  </ul>`;
}

/** A refusal's reason as a short label (the sentence the window says for its code). */
export function reasonLabel(code) {
  return explain({ code, message: "" }).sentence;
}
