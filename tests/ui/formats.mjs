// The window's own number and date formats (ui/js/formats.js) against Intl's for en-GB and de-DE,
// which they replace: every pattern over numbers of every size and sign, and dates in every
// month, at every hour, across the changes to and from summer time (the caller sets TZ).
// Prints how many were compared; exits 1 naming each difference.
import { readFileSync } from "node:fs";

const source = readFileSync(new URL("../../ui/js/formats.js", import.meta.url), "utf8");
const formats = await import("data:text/javascript," + encodeURIComponent(source));

const LOCALES = { en: "en-GB", de: "de-DE" };
const differences = [];
let compared = 0;

function expect(what, ours, intl) {
  compared += 1;
  if (ours !== intl) differences.push(`${what}: ours ${JSON.stringify(ours)}, Intl ${JSON.stringify(intl)}`);
}

const numbers = [0, 1, -1, 7, 10, 12.5, 99.95, 100, 120, 999, 1000, 1234, -1234, 9999.9994, 10000, 12345.678,
  123456, 1234567, -1234567.891, 0.1, 0.25, 0.0005, 0.0004, 1.0005, 2.675, 72, 96, 4.3, 119.9, 1e15, 123456789012];
numbers.push(-0, -0.0001, -0.0005, 0.0001);
// The same "random" numbers every run: a test that fails once fails again.
let seed = 20261203;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
for (let i = 0; i < 2000; i += 1) {
  const magnitude = 10 ** Math.floor(random() * 10);
  numbers.push(Math.round((random() - 0.3) * magnitude * 1000) / 1000, Math.round(random() * magnitude) / 10);
}

const dates = [];
for (let year of [1999, 2024, 2026, 2027]) {
  for (let month = 0; month < 12; month += 1) {
    for (const [date, hour, minute] of [[1, 0, 0], [3, 9, 5], [15, 14, 30], [28, 23, 59]]) {
      dates.push(new Date(year, month, date, hour, minute));
    }
  }
}
// Every hour across the changes to and from summer time (Europe: the last Sundays of March and October).
for (const start of [Date.UTC(2026, 2, 28), Date.UTC(2026, 9, 24)]) {
  for (let h = 0; h < 72; h += 1) dates.push(new Date(start + h * 3_600_000 + 17 * 60_000));
}

for (const [lang, locale] of Object.entries(LOCALES)) {
  const number = new Intl.NumberFormat(locale);
  const moment = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  const day = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
  const dayOfMonth = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short" });
  for (const n of numbers) expect(`${lang} number ${n}`, formats.number(lang, n), number.format(n));
  for (const d of dates) {
    expect(`${lang} moment ${d.toISOString()}`, formats.moment(lang, d), moment.format(d));
    expect(`${lang} day ${d.toISOString()}`, formats.day(lang, d), day.format(d));
    expect(`${lang} day of month ${d.toISOString()}`, formats.dayOfMonth(lang, d), dayOfMonth.format(d));
  }
}

console.log(`compared ${compared}`);
if (differences.length > 0) {
  console.log(differences.slice(0, 40).join("\n"));
  process.exit(1);
}
