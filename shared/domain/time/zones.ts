/**
 * IANA time zones through `Intl`: validation, UTC offsets and local wall-clock fields.
 * Formatters are built once per zone and offsets are cached per 15-minute UTC slot (every
 * transition in the current tz database falls on a quarter hour), so repeated lookups are a
 * `Map.get`. Pure apart from those memo caches.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const OFFSET_SLOT_MS = 15 * MINUTE_MS;
const MAX_CACHE = 50_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();
const validity = new Map<string, boolean>();

function formatterOf(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(tz, f);
  }
  return f;
}

/**
 * Whether `tz` is an IANA zone name this runtime's ICU knows (`Europe/Amsterdam`, `UTC`).
 * Bare offsets such as `+02:00` are rejected (they must start with a letter): they carry no
 * daylight-saving rules and are not IANA names.
 */
export function isValidTimeZone(tz: string): boolean {
  const known = validity.get(tz);
  if (known !== undefined) return known;
  let ok = false;
  if (typeof tz === "string" && tz.length > 0 && tz.length <= 64 && /^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(tz)) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
  }
  if (validity.size < 1_000) validity.set(tz, ok);
  return ok;
}

/** Throws a RangeError naming the zone when it is not a valid IANA zone. */
export function assertTimeZone(tz: string): void {
  if (!isValidTimeZone(tz)) throw new RangeError(`unknown IANA time zone: ${JSON.stringify(tz)}`);
}

/** Wall-clock fields of an instant in a zone; `month` is 1-12, `weekday` 1 = Monday .. 7 = Sunday. */
export interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

function rawOffsetMs(ms: number, tz: string): number {
  const parts = formatterOf(tz).formatToParts(new Date(ms));
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  for (const p of parts) {
    switch (p.type) {
      case "year": y = Number(p.value); break;
      case "month": mo = Number(p.value); break;
      case "day": d = Number(p.value); break;
      case "hour": h = Number(p.value); break;
      case "minute": mi = Number(p.value); break;
      case "second": s = Number(p.value); break;
    }
  }
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const whole = ms - (((ms % 1000) + 1000) % 1000);
  return wall - whole;
}

/**
 * UTC offset of `tz` at `instant`, in milliseconds (Amsterdam in summer: +7_200_000).
 * Cached per 15-minute UTC slot.
 */
export function offsetMsAt(instant: Date | number, tz: string): number {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  if (tz === "UTC" || tz === "Etc/UTC") return 0;
  let cache = offsetCache.get(tz);
  if (!cache) {
    assertTimeZone(tz);
    cache = new Map();
    offsetCache.set(tz, cache);
  }
  const slot = Math.floor(ms / OFFSET_SLOT_MS);
  let off = cache.get(slot);
  if (off === undefined) {
    off = rawOffsetMs(slot * OFFSET_SLOT_MS, tz);
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(slot, off);
  }
  return off;
}

/** Wall-clock fields of `instant` in `tz`. */
export function localFieldsOf(instant: Date | number, tz: string): LocalFields {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  const d = new Date(ms + offsetMsAt(ms, tz));
  const dow = d.getUTCDay();
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: dow === 0 ? 7 : dow,
  };
}

/**
 * The first instant whose wall-clock time in `tz` is at or after the wall time `wallMs`
 * (a wall time written as if it were UTC, e.g. `Date.UTC(2026, 2, 29)` for local midnight).
 *
 * Edge cases: a wall time skipped by a DST gap (midnight in America/Santiago on the spring day)
 * gives the transition instant, i.e. the first instant of that local day; a wall time that occurs
 * twice (autumn overlap) gives the earlier occurrence. Assumes at most one transition within a
 * day of `wallMs`, true for every zone in the tz database since 1970.
 */
export function firstInstantAtWall(wallMs: number, tz: string): number {
  const before = offsetMsAt(wallMs - DAY_MS, tz);
  const after = offsetMsAt(wallMs + DAY_MS, tz);
  if (before === after) return wallMs - before;
  const a = wallMs - before;
  const b = wallMs - after;
  const aOk = offsetMsAt(a, tz) === before;
  const bOk = offsetMsAt(b, tz) === after;
  if (aOk && bOk) return Math.min(a, b);
  if (aOk) return a;
  if (bOk) return b;
  // DST gap: the wall time does not exist; find the transition instant in [b, a] to the minute.
  // Invariant: the offset at `lo` is still the old one, the offset at `hi` the new one.
  let lo = Math.min(a, b);
  let hi = Math.max(a, b);
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.max(1, Math.floor((hi - lo) / 2 / MINUTE_MS)) * MINUTE_MS;
    if (rawOffsetMs(mid, tz) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}

export const TIME_MS = { MINUTE_MS, HOUR_MS, DAY_MS } as const;
