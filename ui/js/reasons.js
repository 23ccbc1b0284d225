// A refusal of the desk and what to do next, said in the user's language from their codes and
// values. The desk sends a refusal as `params` — `{"refusal": "<tag>", …its values}` — and the
// next step as `next` — `{"step": "<step>", …}` (docs/CODES.md); the window says them with the
// texts `refusal.<tag>` and `next.<step>` of its language tables, filled with the values
// formatted for the language: dates, numbers, roles, file kinds, usage states, the reason a
// journal cannot be trusted. A refusal that reads differently by its values has a case key,
// `refusal.<tag>.<case>`. The texts use only the values their refusal carries (tests/ui checks
// it against the Rust enums), so a value is never left unsaid as `{name}`.
import { formatDate, formatNumber, known, t } from "./i18n.js";

/** A time as the desk writes it (RFC 3339, UTC). */
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?(\.\d+)?Z$/;

/** A whole SHA-256 as monitoring shows it: its first 12 characters. */
const shortHash = (hash) => (/^[0-9a-f]{64}$/.test(hash) ? `${hash.slice(0, 12)}…` : hash);

/** Values that are words of a closed set (or need more than a number's or a date's format), by name. */
const WORDS = {
  role: (role) => t(`role.${role}`),
  requested_role: (role) => t(`role.${role}`),
  kind: (kind) => t(`kind.${kind}`),
  applied_kind: (kind) => t(`kind.${kind}`),
  state: (state) => t(`usage.${state}`),
  tamper: (tamper) => t(`tamper.${tamper && tamper.kind}`),
  // Unix permission bits, as `ls -l` and chmod write them (644).
  mode: (bits) => Number(bits).toString(8),
  journal: shortHash,
};

/** One value of a refusal or a next step, formatted for the current language. */
export function formatValue(name, value) {
  if (value === null || value === undefined) return "";
  if (WORDS[name]) return WORDS[name](value);
  if (Array.isArray(value)) return value.map((v) => formatValue("", v)).join(", ");
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "string" && TIME.test(value)) return formatDate(value);
  return String(value);
}

function formatted(values) {
  const out = {};
  for (const [name, value] of Object.entries(values)) out[name] = formatValue(name, value);
  return out;
}

/**
 * Which case key says a refusal, where its values change the sentence: a base license without
 * FailoverSuites, a standby whose activation certified no installation key, an installation key
 * exposed to accounts (Windows) rather than by its permission bits.
 */
const CASES = {
  not_a_failover: (p) => (Array.isArray(p.failovers) && p.failovers.length > 0 ? null : "none"),
  release_not_on_standby: (p) => (p.certified ? null : "uncertified"),
  installation_key_exposed: (p) => (p.mode === undefined || p.mode === null ? "accounts" : null),
};

/**
 * A refusal in the current language, from `params`: `{ sentence, problem }` — `problem` is the
 * English sentence of a value the refusal quotes (a certificate's invalid content), a technical
 * detail — or null when the params name no refusal the window knows.
 */
export function sayRefusal(params) {
  if (!params || typeof params !== "object" || typeof params.refusal !== "string") return null;
  const tag = params.refusal;
  const which = CASES[tag] ? CASES[tag](params) : null;
  const key = which && known(`refusal.${tag}.${which}`) ? `refusal.${tag}.${which}` : `refusal.${tag}`;
  if (!known(key)) return null;
  const problem = typeof params.problem === "string" ? params.problem : "";
  return { sentence: t(key, formatted(params)), problem };
}

/** What to do next (`next` of an error), in the current language, or "". */
export function sayNextStep(next) {
  if (!next || typeof next !== "object" || typeof next.step !== "string") return "";
  const key = `next.${next.step}`;
  return known(key) ? t(key, formatted(next)) : "";
}
