/** Turning trend answers into chart series and drill-down queries. Pure. */
import type { ChartSeries } from "./chart-series";
import { PALETTE } from "./palette";
import { isThin } from "./thin-points";
import type { Trend, TrendGroup } from "./types";

export function groupLabel(t: Trend, g: TrendGroup): string {
  if (t.groupBy.length === 0) return t.metric;
  return t.groupBy.map((k) => g.key[k] ?? "(unknown)").join(" · ");
}

/** Whether any group of the answer has items behind it (an empty period draws a message, not bare axes). */
export function hasItems(t: Trend): boolean {
  return t.groups.some((g) => g.total.n > 0);
}

/** The bucket starts of a trend (every group has the same ones). */
export function bucketsOf(t: Trend): string[] {
  return t.groups[0]?.points.map((p) => p.start) ?? [];
}

/** Where bucket `i` ends: the next bucket's start, or the end of the range. */
export function bucketEnd(t: Trend, i: number): string {
  return bucketsOf(t)[i + 1] ?? t.to;
}

export function seriesOf(t: Trend, type: "line" | "bar", opts: { stack?: boolean; formatN?: (n: number) => string } = {}): ChartSeries[] {
  const fmt = opts.formatN ?? String;
  return t.groups.map((g, i) => ({
    name: groupLabel(t, g),
    type,
    color: PALETTE[i % PALETTE.length],
    data: g.points.map((p) => p.value),
    faint: g.points.map((p) => isThin(t.unit, p.n)),
    notes: g.points.map((p) =>
      [
        `n = ${fmt(p.n)}`,
        ...Object.entries(p.parts).filter(([, v]) => v !== null).map(([k, v]) => `${k} ${round(v!)}`),
        ...(isThin(t.unit, p.n) ? ["few items, read with care"] : []),
      ].join(", "),
    ),
    ...(opts.stack ? { stack: "total" } : {}),
  }));
}

/**
 * The previous period's series, aligned bucket by bucket with the current one, dashed and in the
 * colour of the current group with the same key.
 */
export function previousSeriesOf(previous: Trend, type: "line" | "bar", current: Trend): ChartSeries[] {
  const colourOf = new Map(current.groups.map((g, i) => [groupLabel(current, g), PALETTE[i % PALETTE.length]]));
  return previous.groups.map((g) => ({
    name: `${groupLabel(previous, g)} (previous period)`,
    color: colourOf.get(groupLabel(previous, g)) ?? "#8a94a3",
    type,
    dashed: true,
    data: g.points.map((p) => p.value),
    notes: g.points.map((p) => `n = ${p.n}, from ${p.start.slice(0, 10)}`),
  }));
}

const round = (v: number) => (Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 100) / 100);

/** The /v1/items filters of one group of a trend: its values, or `unknown` for a group without one. */
export function groupFilters(t: Trend, g: TrendGroup): Record<string, string> {
  const out: Record<string, string> = {};
  const unknown: string[] = [];
  for (const k of t.groupBy) {
    const v = g.key[k];
    if (v === null || v === undefined) unknown.push(k);
    else out[k] = v;
  }
  if (unknown.length) out.unknown = unknown.join(",");
  return out;
}
