// This computer's local time, as the window writes its times: looked up in the table of the
// zone's offsets from UTC that the app reads from the system (`local_time_zone`,
// licdesk_desk::ZoneOffsets), not asked of the engine's Date getters, whose first local time
// loads ICU's time zone data into the page (1.5 MiB, held for as long as the window is open).
// Outside the years the table spans (1970 to 2100), or without a table, the engine is asked.
//
// A wall clock is a Date whose UTC fields read the local time (`wallClock`); formats.js writes
// those fields.

const DAY = 86_400_000;

let zone = null;

/** Takes the zone's table (or null: the engine is asked); a table that is not one is dropped. */
export function setZone(table) {
  zone = isTable(table) ? table : null;
}

function isTable(t) {
  return (
    t !== null &&
    typeof t === "object" &&
    Number.isFinite(t.from_ms) &&
    Number.isFinite(t.until_ms) &&
    Number.isFinite(t.initial_offset_seconds) &&
    Array.isArray(t.changes) &&
    t.changes.every((c, i) => Array.isArray(c) && Number.isFinite(c[0]) && Number.isFinite(c[1]) && (i === 0 || c[0] > t.changes[i - 1][0]))
  );
}

/** The offset from UTC in force at instant `ms`, in milliseconds east of UTC. */
export function offsetAt(ms) {
  if (zone && ms >= zone.from_ms && ms < zone.until_ms) {
    const changes = zone.changes;
    // The first change after `ms`; the one before it holds at `ms`.
    let low = 0;
    let high = changes.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (changes[middle][0] <= ms) low = middle + 1;
      else high = middle;
    }
    return (low === 0 ? zone.initial_offset_seconds : changes[low - 1][1]) * 1000;
  }
  return -new Date(ms).getTimezoneOffset() * 60_000;
}

/** What this computer's clock reads at instant `ms`: a Date whose UTC fields are that local time. */
export function wallClock(ms) {
  return new Date(ms + offsetAt(ms));
}

/**
 * The instant at which this computer's clock reads `wall` (a time value whose UTC fields are a
 * local time), as the engine's Date resolves a local time: one that comes twice, when the clocks
 * go back, is its first; one the clocks skip, when they go forward, reads as the same time after
 * the change (02:30 as 03:30). The offsets a day either side count: no zone changes twice in two days.
 */
export function instantOf(wall) {
  const before = offsetAt(wall - DAY);
  const after = offsetAt(wall + DAY);
  const fitting = [wall - before, wall - after].filter((instant) => offsetAt(instant) === wall - instant);
  return fitting.length > 0 ? Math.min(...fitting) : wall - before;
}

/** The local midnights after instant `from` and before `to`, in order, each as [instant, wall clock]. */
export function midnightsBetween(from, to) {
  const first = wallClock(from);
  const days = [];
  for (let n = 1; ; n += 1) {
    const wall = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate() + n);
    const instant = instantOf(wall);
    if (instant >= to) return days;
    days.push([instant, new Date(wall)]);
  }
}
