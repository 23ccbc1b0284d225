// Numbers and dates as the window writes them, in its two languages (British English, German),
// written out here rather than made by Intl: the first Intl format loads ICU's locale data into
// the page — 3 MiB held for as long as the window is open and 12 ms of its start
// (BENCHMARKS.md, "Where the window's memory goes") — for the four patterns below. They are the
// ones Intl gives for en-GB and de-DE (tests/ui/formats.mjs compares them with Intl's, in Node).
// Dates arrive as wall clocks (clock.js): their UTC fields are the local time to write.

const LANGUAGES = {
  en: {
    group: ",",
    decimal: ".",
    months: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"],
    // "3 Dec 2026"
    day: (d, month) => `${d.getUTCDate()} ${month} ${d.getUTCFullYear()}`,
    // "3 Dec"
    dayOfMonth: (d, month) => `${d.getUTCDate()} ${month}`,
  },
  de: {
    group: ".",
    decimal: ",",
    months: ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."],
    // "03.12.2026"
    day: (d) => `${two(d.getUTCDate())}.${two(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`,
    // "3. Dez."
    dayOfMonth: (d, month) => `${d.getUTCDate()}. ${month}`,
  },
};

const two = (n) => String(n).padStart(2, "0");

const of = (lang) => LANGUAGES[lang] || LANGUAGES.en;

/** `n` with the language's digit grouping and decimal sign, at most three decimals (1,234.5 / 1.234,5). */
export function number(lang, n) {
  if (typeof n !== "number" || !Number.isFinite(n) || Math.abs(n) >= 1e21) return String(n);
  const { group, decimal } = of(lang);
  const [whole, fraction] = roundedDigits(Math.abs(n));
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, group);
  // As Intl: a negative number keeps its sign even where it rounds to zero (-0.0001 is "-0").
  const sign = n < 0 || Object.is(n, -0) ? "-" : "";
  return sign + grouped + (fraction ? decimal + fraction : "");
}

/**
 * The whole and fraction digits of `x` (0 ≤ x < 1e21) rounded to three decimals, half away from
 * zero, as Intl rounds: from the shortest decimal that reads back as `x` (1.0005 is "1.0005",
 * so 1.001), not from the double's exact binary value (1.000499…, which toFixed rounds to 1.000).
 */
function roundedDigits(x) {
  if (x < 1e-6) return ["0", ""];
  const [whole, fraction = ""] = String(x).split(".");
  if (fraction.length <= 3) return [whole, fraction];
  let kept = BigInt(whole + fraction.slice(0, 3));
  if (fraction[3] >= "5") kept += 1n;
  const digits = kept.toString().padStart(4, "0");
  return [digits.slice(0, -3), digits.slice(-3).replace(/0+$/, "")];
}

/** The day of wall clock `d` (clock.js): "3 Dec 2026", "03.12.2026". */
export function day(lang, d) {
  const language = of(lang);
  return language.day(d, language.months[d.getUTCMonth()]);
}

/** The day and time of wall clock `d`: "3 Dec 2026, 14:05", "03.12.2026, 14:05". */
export function moment(lang, d) {
  return `${day(lang, d)}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

/** The day and month of wall clock `d`, for a chart's axis: "3 Dec", "3. Dez.". */
export function dayOfMonth(lang, d) {
  const language = of(lang);
  return language.dayOfMonth(d, language.months[d.getUTCMonth()]);
}
