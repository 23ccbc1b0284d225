// The window's own number and date formats (ui/js/formats.js) against Intl's for en-GB and de-DE,
// which they replace: every pattern over numbers of every size and sign, and dates in every
// month, at every hour across each change to and from summer time, and at random instants of
// 1970 to 2099. Each date is written in local time from the zone's table the app reads
// (ui/js/clock.js, given here as the JSON file named by the first argument), the same zone as the
// caller's TZ, in which Intl and Node's own Date write it. The midnights of the five-day chart's
// axis and the local times the clock resolves are compared with Date's own, too.
// Prints how many were compared; exits 1 naming each difference.
import { readFileSync } from "node:fs";

const load = async (file) =>
  import("data:text/javascript," + encodeURIComponent(readFileSync(new URL(`../../ui/js/${file}`, import.meta.url), "utf8")));
const formats = await load("formats.js");
const clock = await load("clock.js");
const table = JSON.parse(readFileSync(process.argv[2], "utf8"));
clock.setZone(table);

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

const HOUR = 3_600_000;
const dates = [];
for (let year of [1999, 2024, 2026, 2027]) {
  for (let month = 0; month < 12; month += 1) {
    for (const [date, hour, minute] of [[1, 0, 0], [3, 9, 5], [15, 14, 30], [28, 23, 59]]) {
      dates.push(new Date(year, month, date, hour, minute));
    }
  }
}
// Every hour for a day and a half either side of each change of the zone's offset from 1990 to 2040.
const changes = table.changes.map(([at]) => at).filter((at) => at >= Date.UTC(1990, 0) && at < Date.UTC(2040, 0));
for (const at of changes) {
  for (let h = -36; h < 36; h += 1) dates.push(new Date(at + h * HOUR + 17 * 60_000));
  dates.push(new Date(at - 1), new Date(at));
}
for (let i = 0; i < 3000; i += 1) dates.push(new Date(Math.floor(random() * Date.UTC(2099, 11, 31))));

// The clock's offsets, as Date's own.
for (const d of dates) expect(`offset at ${d.toISOString()}`, clock.offsetAt(d.getTime()), -d.getTimezoneOffset() * 60_000);
// Every local midnight from 1990 to 2040 (the chart's axis), and the local times around each
// change, every quarter of an hour (those skipped and those that come twice), resolved as Date does.
for (let day = Date.UTC(1990, 0, 1); day < Date.UTC(2040, 0, 1); day += 24 * HOUR) {
  const d = new Date(day);
  expect(`midnight ${d.toISOString().slice(0, 10)}`, clock.instantOf(day), new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()).getTime());
}
for (const at of changes) {
  const wall = clock.wallClock(at).getTime();
  for (let q = -12; q <= 12; q += 1) {
    const w = new Date(wall + q * 15 * 60_000);
    const local = new Date(w.getUTCFullYear(), w.getUTCMonth(), w.getUTCDate(), w.getUTCHours(), w.getUTCMinutes());
    expect(`local time ${w.toISOString().slice(0, 16)}`, clock.instantOf(w.getTime()), local.getTime());
  }
}
const midnights = clock.midnightsBetween(Date.UTC(2026, 2, 27, 10), Date.UTC(2026, 3, 1, 10));
expect("midnights of a span", midnights.length, 5);

for (const [lang, locale] of Object.entries(LOCALES)) {
  const number = new Intl.NumberFormat(locale);
  const moment = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  const day = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
  const dayOfMonth = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short" });
  for (const n of numbers) expect(`${lang} number ${n}`, formats.number(lang, n), number.format(n));
  for (const d of dates) {
    const wall = clock.wallClock(d.getTime());
    expect(`${lang} moment ${d.toISOString()}`, formats.moment(lang, wall), moment.format(d));
    expect(`${lang} day ${d.toISOString()}`, formats.day(lang, wall), day.format(d));
    expect(`${lang} day of month ${d.toISOString()}`, formats.dayOfMonth(lang, wall), dayOfMonth.format(d));
  }
}

console.log(`compared ${compared} in ${table.name} (${table.changes.length} changes of its offset)`);
if (differences.length > 0) {
  console.log(differences.slice(0, 40).join("\n"));
  process.exit(1);
}
