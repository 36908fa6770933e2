/**
 * Points too thin to read: a share or an average over a handful of items swings from 0% to 100%
 * from one bucket to the next, which reads as news but is noise. Counts are exact and never thin.
 * Pure.
 */
import type { Period } from "./period";
import type { Trend } from "./types";

/** Below this many items a figure is flagged "read with care" (the tiles use the same bar). */
export const SMALL_N = 30;

/** A coarser interval is offered only when it still draws at least this many buckets. */
const MIN_BUCKETS = 4;

const INTERVAL_MS = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000, month: 30 * 86_400_000 } as const;
type Interval = keyof typeof INTERVAL_MS;
const COARSER: Record<Interval, Interval | null> = { hour: "day", day: "week", week: "month", month: null };

/** Whether a point of this unit rests on too few items to read on its own. */
export function isThin(unit: string, n: number): boolean {
  return unit !== "count" && n > 0 && n < SMALL_N;
}

/** Of the points that have items, how many are thin. */
export function thinPoints(t: Trend): { thin: number; withItems: number } {
  let thin = 0;
  let withItems = 0;
  for (const g of t.groups)
    for (const p of g.points) {
      if (p.n === 0) continue;
      withItems++;
      if (isThin(t.unit, p.n)) thin++;
    }
  return { thin, withItems };
}

/**
 * The next coarser interval when most points with items are thin and that interval still draws
 * a trend over the period (at least four buckets); otherwise null.
 */
export function steadierInterval(t: Trend, period: Period): Interval | null {
  const { thin, withItems } = thinPoints(t);
  if (withItems === 0 || thin * 2 <= withItems) return null;
  const coarser = COARSER[t.interval as Interval] ?? null;
  if (!coarser) return null;
  const buckets = (period.to.getTime() - period.from.getTime()) / INTERVAL_MS[coarser];
  return buckets >= MIN_BUCKETS ? coarser : null;
}
