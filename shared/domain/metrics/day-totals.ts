/**
 * Reading day documents by their day total `d` (see rollups.ts) instead of their 24 hourly slots.
 *
 * A UTC day whose hours all fall in one bucket of a query (a day in UTC, a week, a month) adds its
 * total there. A day that two local buckets share (local midnight in Amsterdam is 22:00 or 23:00
 * UTC) adds its total to the bucket holding most of its hours, less the other hours, which go to
 * their own buckets: every measure is an integer sum, so that is exact. Only those other hours
 * need reading, so a year by day in Amsterdam reads `d` and hours 22 and 23 of each document.
 *
 * The days a range starts or ends in are read whole (`fullDays`), so that what falls outside the
 * range never needs subtracting. Pure.
 */
import { bucketsBetween, type Interval } from "../time/buckets";
import { TIME_MS } from "../time/zones";
import { utcDayAndHour, utcDaysCovering, utcSlotMs } from "../time/utc-slots";

const { HOUR_MS, DAY_MS } = TIME_MS;

/** Above this many hours beside the total, reading every hour costs about as much. */
const MAX_PLAN_HOURS = 12;

/** How to read the day documents of a query: see `dayReadPlanOf`. */
export interface DayReadPlan {
  /** UTC days read with every hourly slot: those the loaded range or the series' range starts or ends in */
  fullDays: string[];
  /** the hourly slots read beside `d` on every other day */
  hours: number[];
}

/** Where the hours of one UTC day go in a series. */
export interface DaySplit {
  /** per UTC hour, the index of its bucket, or -1 outside the range */
  bucketOfHour: Int32Array;
  /** the bucket holding most of the day's hours (-1 when most lie outside the range) */
  major: number;
  /** whether every hour lies inside the range */
  inRange: boolean;
}

/** Index of the last bucket whose start is <= t (t >= starts[0]). */
export function bucketIndex(starts: readonly number[], t: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The buckets of a UTC day's hours: an hour counts in the bucket containing its first instant
 * when that instant lies in `[fromMs, toMs)` (the slot semantics of series.ts). Ties for the
 * major bucket go to the one met first, so every caller gets the same split.
 */
export function daySplitOf(dayMs: number, startMs: readonly number[], fromMs: number, toMs: number): DaySplit {
  const bucketOfHour = new Int32Array(24);
  const counts = new Map<number, number>();
  let major = -1;
  let best = 0;
  let inRange = true;
  let b = -1;
  for (let hour = 0; hour < 24; hour++) {
    const t = dayMs + hour * HOUR_MS;
    let idx = -1;
    if (t >= fromMs && t < toMs) {
      if (b < 0 || startMs[b]! > t) b = bucketIndex(startMs, t);
      while (b + 1 < startMs.length && startMs[b + 1]! <= t) b++;
      idx = b;
    } else {
      inRange = false;
    }
    bucketOfHour[hour] = idx;
    const c = (counts.get(idx) ?? 0) + 1;
    counts.set(idx, c);
    if (c > best) {
      best = c;
      major = idx;
    }
  }
  return { bucketOfHour, major, inRange };
}

/**
 * The plan for a series of `[from, to)` by `interval` in `tz` (as `seriesOf` takes it) over day
 * documents loaded from `loadedFrom` (earlier when the previous period is loaded too; `trendOf`
 * sums that one by UTC month, where every whole day is one bucket). Null when every hour must be
 * read: hourly buckets, or buckets that split days at many hours.
 */
export function dayReadPlanOf(
  o: { from: Date; to: Date; interval: Interval; tz: string; maxBuckets?: number },
  loadedFrom: Date = o.from,
): DayReadPlan | null {
  if (o.interval === "hour") return null;
  const startMs = bucketsBetween(o.from, o.to, o.interval, o.tz, o.maxBuckets ?? 10_000).map((s) => s.getTime());
  const fromMs = o.from.getTime();
  const toMs = o.to.getTime();
  const fullDays = [...new Set([loadedFrom, o.from, new Date(Math.max(fromMs, toMs - 1))].map((t) => utcDayAndHour(t).day))];
  const hours = new Set<number>();
  const { first, last } = utcDaysCovering(o.from, o.to);
  for (let dayMs = utcSlotMs(first, 0) + DAY_MS; dayMs < utcSlotMs(last, 0); dayMs += DAY_MS) {
    const split = daySplitOf(dayMs, startMs, fromMs, toMs);
    split.bucketOfHour.forEach((b, hour) => {
      if (b !== split.major) hours.add(hour);
    });
    if (hours.size > MAX_PLAN_HOURS) return null;
  }
  return { fullDays, hours: [...hours].sort((a, b) => a - b) };
}
