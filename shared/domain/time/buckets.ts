/**
 * Local calendar buckets in an IANA zone: hour, day (local midnight to local midnight, so a DST
 * day lasts 23 or 25 hours), ISO week (Monday 00:00) and month (the 1st, 00:00).
 */
import { firstInstantAtWall, localFieldsOf, TIME_MS } from "./zones";

export const INTERVALS = ["hour", "day", "week", "month"] as const;
export type Interval = (typeof INTERVALS)[number];

/**
 * Start of the local `interval` bucket that contains `instant`, as a UTC instant.
 *
 * - hour: the start of the local hour (in an autumn overlap the two 02:00 hours are two buckets);
 * - day: local midnight; a day whose midnight is skipped by DST starts at the transition;
 * - week: Monday 00:00 local (ISO 8601);
 * - month: the 1st at 00:00 local.
 * Throws RangeError for an unknown zone.
 */
export function bucketStart(instant: Date, interval: Interval, tz: string): Date {
  const ms = instant.getTime();
  const f = localFieldsOf(ms, tz);
  switch (interval) {
    case "hour":
      return new Date(ms - (f.minute * 60 + f.second) * 1000 - (((ms % 1000) + 1000) % 1000));
    case "day":
      return new Date(firstInstantAtWall(Date.UTC(f.year, f.month - 1, f.day), tz));
    case "week":
      return new Date(firstInstantAtWall(Date.UTC(f.year, f.month - 1, f.day - (f.weekday - 1)), tz));
    case "month":
      return new Date(firstInstantAtWall(Date.UTC(f.year, f.month - 1, 1), tz));
  }
}

/**
 * Start of the bucket after the one starting at `start` (which must be a bucket start).
 * Hour buckets are one hour long in UTC; the others step the local calendar.
 */
export function nextBucketStart(start: Date, interval: Interval, tz: string): Date {
  const ms = start.getTime();
  if (interval === "hour") return new Date(ms + TIME_MS.HOUR_MS);
  // Noon of the bucket's first day names its local date even when the day began at a DST gap.
  const f = localFieldsOf(ms + 12 * TIME_MS.HOUR_MS, tz);
  switch (interval) {
    case "day":
      return new Date(firstInstantAtWall(Date.UTC(f.year, f.month - 1, f.day + 1), tz));
    case "week":
      return new Date(firstInstantAtWall(Date.UTC(f.year, f.month - 1, f.day + 7), tz));
    case "month":
      return new Date(firstInstantAtWall(Date.UTC(f.year, f.month, 1), tz));
  }
}

/**
 * Starts of every bucket that intersects `[from, to)`, in order: the first is the bucket that
 * contains `from` (it may start before `from`), the last starts before `to`. Empty when
 * `to <= from`. Throws RangeError when more than `maxBuckets` (default 100_000) would be made.
 */
export function bucketsBetween(from: Date, to: Date, interval: Interval, tz: string, maxBuckets = 100_000): Date[] {
  const out: Date[] = [];
  const end = to.getTime();
  if (end <= from.getTime()) return out;
  let b = bucketStart(from, interval, tz);
  while (b.getTime() < end) {
    if (out.length >= maxBuckets) throw new RangeError(`more than ${maxBuckets} ${interval} buckets`);
    out.push(b);
    b = nextBucketStart(b, interval, tz);
  }
  return out;
}
