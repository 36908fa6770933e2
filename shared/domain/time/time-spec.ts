/**
 * The values a caller may give for `from` and `to`: how a support lead writes a time, turned
 * into an instant. Pure: the caller passes `now` and the zone.
 */
import { firstInstantAtWall, TIME_MS } from "./zones";

/** What the 400 answer and the OpenAPI document show. */
export const TIME_SPEC_EXAMPLES = ["2026-03-01", "2026-03-01T09:30", "2026-03-01T09:30:00Z", "now", "-7d", "-12h"] as const;
export const TIME_SPEC_HINT =
  "must be a date (2026-03-01: midnight in tz), a local time (2026-03-01T09:30, in tz), an instant " +
  "(2026-03-01T09:30:00Z or with an offset such as +02:00), or relative to now (now, -7d, -12h, -30m, -2w)";

const UNIT_MS: Record<string, number> = { m: TIME_MS.MINUTE_MS, h: TIME_MS.HOUR_MS, d: TIME_MS.DAY_MS, w: 7 * TIME_MS.DAY_MS };
/** A century: far beyond any useful range, and small enough that the arithmetic stays exact. */
const MAX_RELATIVE_MS = 100 * 366 * TIME_MS.DAY_MS;

const RELATIVE = /^(?:now)?([+-])(\d{1,7})([mhdw])$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * The instant `spec` stands for, or null when it is none of the accepted forms:
 * - `now`; `-7d`, `-12h`, `-30m`, `-2w`, `+1d` (also written `now-7d`): fixed durations from `nowMs`
 *   (a day is 24 hours, also across a DST change);
 * - `2026-03-01`: the first instant of that day in `tz` (midnight; on a day whose midnight a DST
 *   change skips, the transition);
 * - `2026-03-01T09:30` (seconds and milliseconds optional): that wall time in `tz` (a wall time a
 *   DST gap skips: the transition; one that occurs twice: the earlier);
 * - `2026-03-01T09:30:00Z`, `2026-03-01T09:30:00+02:00`: that instant.
 * Impossible calendar values (2026-02-30, 24:00) are refused. `tz` must be a valid IANA zone.
 */
export function instantOfTimeSpec(spec: string, nowMs: number, tz: string): Date | null {
  const s = spec.trim();
  if (s === "now") return new Date(nowMs);
  const rel = RELATIVE.exec(s);
  if (rel) {
    const ms = Number(rel[2]) * UNIT_MS[rel[3]!]!;
    if (ms > MAX_RELATIVE_MS) return null;
    return new Date(rel[1] === "-" ? nowMs - ms : nowMs + ms);
  }
  const date = DATE.exec(s);
  if (date) {
    const wall = wallMsOf(date.slice(1, 4).map(Number) as [number, number, number], 0, 0, 0, 0);
    return wall === null ? null : new Date(firstInstantAtWall(wall, tz));
  }
  const local = LOCAL.exec(s);
  if (local) {
    const [y, mo, d, h, mi] = local.slice(1, 6).map(Number) as [number, number, number, number, number];
    const wall = wallMsOf([y, mo, d], h, mi, Number(local[6] ?? 0), Number((local[7] ?? "0").padEnd(3, "0")));
    return wall === null ? null : new Date(firstInstantAtWall(wall, tz));
  }
  const instant = INSTANT.exec(s);
  if (instant) {
    const [y, mo, d, h, mi] = instant.slice(1, 6).map(Number) as [number, number, number, number, number];
    if (wallMsOf([y, mo, d], h, mi, Number(instant[6] ?? 0), 0) === null) return null;
    const offset = instant[8]!.toUpperCase();
    if (offset !== "Z" && (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(4, 6)) > 59)) return null;
    const ms = Date.parse(s);
    return Number.isNaN(ms) ? null : new Date(ms);
  }
  return null;
}

/** Whether `spec` has one of the accepted forms (an impossible date such as 2026-02-30 has not). */
export function isTimeSpec(spec: string): boolean {
  return instantOfTimeSpec(spec, 0, "UTC") !== null;
}

/** The wall time written as if it were UTC, or null when a field is out of range. */
function wallMsOf([y, mo, d]: [number, number, number], h: number, mi: number, s: number, ms: number): number | null {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d); // unlike Date.UTC, keeps years below 100 as written
  t.setUTCHours(h, mi, s, ms);
  // the calendar rolls 2026-02-30 over to March 2nd: refuse instead
  return t.getUTCDate() === d ? t.getTime() : null;
}
