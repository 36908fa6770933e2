/**
 * follow-up-rate and follow-up-time for /v1/trends, from the follow-ups themselves (one per survey
 * answer that needs one; far fewer than items, read per query by their indexes). Pure.
 *
 * - follow-up-rate: answers followed up by their due time over answers due in the period —
 *   those due in it whose due time has passed, or that were followed up already — bucketed by due
 *   time; parts per category (detractor, passive, promoter, low-csat, low-ces).
 * - follow-up-time: seconds from the answer to its follow-up, bucketed by the follow-up's time;
 *   value = median, parts: median, p90 (nearest rank), mean.
 */
import { twoProportionTest, welchTest, meanSampleOf } from "../stats/tests";
import { bucketsBetween, type Interval } from "../time/buckets";
import { assertTimeZone } from "../time/zones";
import { FOLLOW_UP_CATEGORIES, type FollowUpCategory } from "./policy";
import type { Change } from "../metrics/points";

export const FOLLOW_UP_METRIC_NAMES = ["follow-up-rate", "follow-up-time"] as const;
export type FollowUpMetricName = (typeof FOLLOW_UP_METRIC_NAMES)[number];
export const FOLLOW_UP_METRICS: Readonly<Record<FollowUpMetricName, { definition: string; unit: string; test: string }>> = {
  "follow-up-rate": { definition: "follow-up-rate.v1", unit: "percent", test: "two-proportion-z" },
  "follow-up-time": { definition: "follow-up-time.v1", unit: "seconds", test: "welch-t" },
};
export function isFollowUpMetricName(s: string): s is FollowUpMetricName {
  return (FOLLOW_UP_METRIC_NAMES as readonly string[]).includes(s);
}

export interface FollowUpRow {
  category: FollowUpCategory;
  respondedAt: Date;
  dueAt: Date;
  doneAt?: Date;
}

export interface FollowUpPoint {
  value: number | null;
  n: number;
  parts: Record<string, number | null>;
}

const inRange = (t: Date | undefined, from: Date, to: Date) => t !== undefined && t.getTime() >= from.getTime() && t.getTime() < to.getTime();
const camel = (c: FollowUpCategory) => c.replace(/-(\w)/g, (_, x: string) => x.toUpperCase());

/** The rows a follow-up-rate period counts, and whether each was on time. */
function dueRows(rows: readonly FollowUpRow[], from: Date, to: Date, now: Date) {
  return rows
    .filter((r) => inRange(r.dueAt, from, to) && (r.doneAt !== undefined || r.dueAt.getTime() <= now.getTime()))
    .map((r) => ({ r, onTime: r.doneAt !== undefined && r.doneAt.getTime() <= r.dueAt.getTime() }));
}

function secondsOf(rows: readonly FollowUpRow[], from: Date, to: Date): number[] {
  return rows
    .filter((r) => inRange(r.doneAt, from, to))
    .map((r) => Math.round((r.doneAt!.getTime() - r.respondedAt.getTime()) / 1000))
    .sort((a, b) => a - b);
}

/** Nearest-rank quantile of sorted values (null when empty). */
export function nearestRank(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

export function followUpPointOf(metric: FollowUpMetricName, rows: readonly FollowUpRow[], from: Date, to: Date, now: Date): FollowUpPoint {
  if (metric === "follow-up-rate") {
    const due = dueRows(rows, from, to, now);
    const onTime = due.filter((d) => d.onTime).length;
    const parts: Record<string, number | null> = { due: due.length, onTime };
    for (const c of FOLLOW_UP_CATEGORIES) {
      const of = due.filter((d) => d.r.category === c);
      parts[`${camel(c)}Due`] = of.length;
      parts[`${camel(c)}Pct`] = of.length ? (100 * of.filter((d) => d.onTime).length) / of.length : null;
    }
    return { value: due.length ? (100 * onTime) / due.length : null, n: due.length, parts };
  }
  const s = secondsOf(rows, from, to);
  const median = nearestRank(s, 0.5);
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : null;
  return { value: median, n: s.length, parts: { median, p90: nearestRank(s, 0.9), mean } };
}

/** Current against previous: two proportions for the rate, Welch on the mean time. */
export function followUpChangeOf(metric: FollowUpMetricName, rows: readonly FollowUpRow[], cur: [Date, Date], prev: [Date, Date], now: Date): Change {
  const c = followUpPointOf(metric, rows, cur[0], cur[1], now);
  const p = followUpPointOf(metric, rows, prev[0], prev[1], now);
  let t;
  if (metric === "follow-up-rate") {
    t = twoProportionTest(Number(c.parts.onTime), c.n, Number(p.parts.onTime), p.n);
  } else {
    const sample = (s: number[]) => meanSampleOf(s.length, s.reduce((a, b) => a + b, 0), s.reduce((a, b) => a + b * b, 0));
    t = welchTest(sample(secondsOf(rows, cur[0], cur[1])), sample(secondsOf(rows, prev[0], prev[1])));
  }
  return {
    previous: p.value,
    delta: c.value !== null && p.value !== null ? c.value - p.value : null,
    test: t.test, statistic: t.statistic, pValue: t.pValue, significant: t.significant,
  };
}

/** Series of a follow-up metric: one group (parts split by category), buckets of `interval` in `tz`. */
export function followUpTrendOf(
  metric: FollowUpMetricName,
  rows: readonly FollowUpRow[],
  o: { from: Date; to: Date; interval: Interval; tz: string; now: Date },
) {
  if (!(o.from.getTime() < o.to.getTime())) throw new RangeError("from must be before to");
  assertTimeZone(o.tz);
  const starts = bucketsBetween(o.from, o.to, o.interval, o.tz, 10_000);
  const points = starts.map((s, i) => {
    const from = new Date(Math.max(s.getTime(), o.from.getTime()));
    const to = new Date(Math.min(starts[i + 1]?.getTime() ?? Infinity, o.to.getTime()));
    return { start: s, ...followUpPointOf(metric, rows, from, to, o.now) };
  });
  const len = o.to.getTime() - o.from.getTime();
  const prevFrom = new Date(o.from.getTime() - len);
  return {
    definition: FOLLOW_UP_METRICS[metric].definition,
    unit: FOLLOW_UP_METRICS[metric].unit,
    previousFrom: prevFrom,
    points,
    total: followUpPointOf(metric, rows, o.from, o.to, o.now),
    change: followUpChangeOf(metric, rows, [o.from, o.to], [prevFrom, o.from], o.now),
  };
}
