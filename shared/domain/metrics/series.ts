/**
 * Trend series from rollup documents: pick the documents a query needs, sum their hourly slots
 * into local buckets, and compare the range with the previous one. Reads rollups only, so the
 * cost follows the number of documents, not the number of items.
 *
 * Slot semantics: a UTC hour slot counts in the query when its first instant lies in
 * `[from, to)` and in the local bucket that contains that instant. Ranges should therefore start
 * and end on whole UTC hours; for zones with a non-whole-hour offset (Asia/Kolkata) day buckets
 * are approximated to the hour (see ../time/README.md).
 */
import { assertTimeZone, TIME_MS } from "../time/zones";
import { bucketsBetween, type Interval } from "../time/buckets";
import { utcDaysCovering, utcSlotMs } from "../time/utc-slots";
import { GROUP_KEYS, type Family, type GroupKey, type Measures } from "./contribution";
import { changeOf, pointOf, type Change, type Point } from "./points";
import { METRICS, type MetricName } from "./registry";
import type { RollupDoc } from "./rollups";

const { HOUR_MS, DAY_MS } = TIME_MS;

/** Filter values per dimension (or tag): a document matches when its value is one of them. */
export type Filters = Partial<Record<GroupKey, string | readonly string[]>>;

export interface SeriesOptions {
  from: Date;
  to: Date;
  interval: Interval;
  /** IANA zone, e.g. "Europe/Amsterdam" */
  tz: string;
  /** zero to two dimensions (or "tag") to split the series by */
  groupBy?: readonly GroupKey[];
  filters?: Filters;
  /** refuse ranges with more buckets than this (default 10_000) */
  maxBuckets?: number;
}

export interface SeriesPoint extends Point {
  /** bucket start (local midnight etc.) as a UTC instant */
  start: Date;
}

export interface SeriesGroup {
  /** the group's values for `groupBy`; null = dimension unknown for those items */
  key: Partial<Record<GroupKey, string | null>>;
  points: SeriesPoint[];
  /** the point over the whole range */
  total: Point;
  /** summed measures over the whole range (input to `changeOf`) */
  totalMeasures: Measures;
}

export interface Series {
  metric: MetricName;
  definition: string;
  unit: string;
  interval: Interval;
  tz: string;
  from: Date;
  to: Date;
  groupBy: GroupKey[];
  groups: SeriesGroup[];
}

/** The period of the same length just before `[from, to)`. */
export function previousRange(from: Date, to: Date): { from: Date; to: Date } {
  const len = to.getTime() - from.getTime();
  return { from: new Date(from.getTime() - len), to: new Date(from.getTime()) };
}

function asList(v: string | readonly string[]): readonly string[] {
  return typeof v === "string" ? [v] : v;
}

/** Throws RangeError for a bad range, zone, groupBy or filter key. */
export function validateSeriesOptions(o: Pick<SeriesOptions, "from" | "to" | "tz" | "groupBy" | "filters">): void {
  if (!(o.from.getTime() < o.to.getTime())) throw new RangeError("from must be before to");
  assertTimeZone(o.tz);
  const g = o.groupBy ?? [];
  if (g.length > 2) throw new RangeError("groupBy takes at most two dimensions");
  if (new Set(g).size !== g.length) throw new RangeError("groupBy repeats a dimension");
  for (const k of [...g, ...Object.keys(o.filters ?? {})]) {
    if (!GROUP_KEYS.includes(k as GroupKey)) throw new RangeError(`unknown dimension ${JSON.stringify(k)}`);
  }
}

/** Whether the query reads the per-tag copies (it filters or groups by tag) or the untagged ones. */
function readsTags(o: Pick<SeriesOptions, "groupBy" | "filters">): boolean {
  return (o.groupBy ?? []).includes("tag") || o.filters?.tag !== undefined;
}

/**
 * What to fetch for a query, as plain data the repository turns into a MongoDB filter:
 * `family`, UTC `days` (inclusive) covering `[from, to)` (pass both ranges' bounds to cover the
 * previous period too), `dims` (each document's `dims.<k>` must be one of the values; includes
 * the metric's fixed `where`), and `tag`: `null` (untagged copies), `"any"` (any tag) or a list.
 */
export function rollupSelectionOf(
  metric: MetricName,
  o: Pick<SeriesOptions, "from" | "to" | "groupBy" | "filters">,
): { family: Family; days: { first: string; last: string }; dims: Record<string, string[]>; tag: null | "any" | string[] } {
  const d = METRICS[metric];
  const dims: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(d.where)) dims[k] = [v];
  for (const [k, v] of Object.entries(o.filters ?? {})) {
    if (k === "tag" || v === undefined) continue;
    const vals = asList(v);
    dims[k] = dims[k] ? dims[k].filter((x) => vals.includes(x)) : [...vals];
  }
  const tagFilter = o.filters?.tag;
  const tag = !readsTags(o) ? null : tagFilter !== undefined ? [...asList(tagFilter)] : "any";
  return { family: d.family, days: utcDaysCovering(o.from, o.to), dims, tag };
}

function docMatches(doc: RollupDoc, family: Family, dims: Record<string, string[]>, tag: null | "any" | string[]): boolean {
  if (doc.family !== family) return false;
  if (tag === null ? doc.tag !== null : doc.tag === null || (tag !== "any" && !tag.includes(doc.tag))) return false;
  for (const [k, vals] of Object.entries(dims)) {
    const v = (doc.dims as Record<string, string | undefined>)[k];
    if (v === undefined || !vals.includes(v)) return false;
  }
  return true;
}

function addInto(target: Measures, m: Measures): void {
  for (const k in m) {
    const v = m[k];
    if (typeof v === "number") target[k] = (target[k] ?? 0) + v;
  }
}

/** Index of the last bucket whose start is <= t (t >= starts[0]). */
function bucketIndex(starts: readonly number[], t: number): number {
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
 * The series of `metric` over `[from, to)`: every local bucket of `interval` in `tz` (empty ones
 * with n = 0 and, for means and rates, value null), one group per combination of `groupBy`
 * values met in the data (a single group with key {} when `groupBy` is empty, even without data),
 * and each group's total. Documents of other families or failing the
 * filters are ignored, so the caller may pass a superset (e.g. both periods' documents);
 * workspace and scope are not checked: pass one workspace's documents of one scope.
 * Groups are ordered by total n, largest first, then by key. Throws RangeError for bad options.
 */
export function seriesOf(metric: MetricName, docs: Iterable<RollupDoc>, o: SeriesOptions): Series {
  validateSeriesOptions(o);
  const d = METRICS[metric];
  const groupBy = [...(o.groupBy ?? [])];
  const sel = rollupSelectionOf(metric, o);
  const starts = bucketsBetween(o.from, o.to, o.interval, o.tz, o.maxBuckets ?? 10_000);
  const startMs = starts.map((s) => s.getTime());
  const fromMs = o.from.getTime();
  const toMs = o.to.getTime();

  const groups = new Map<string, { key: Partial<Record<GroupKey, string | null>>; buckets: Measures[]; total: Measures }>();
  const groupOf = (doc: RollupDoc) => {
    const key: Partial<Record<GroupKey, string | null>> = {};
    for (const g of groupBy) key[g] = g === "tag" ? doc.tag : ((doc.dims as Record<string, string | undefined>)[g] ?? null);
    const id = JSON.stringify(groupBy.map((g) => key[g]));
    let grp = groups.get(id);
    if (!grp) {
      grp = { key, buckets: starts.map(() => ({})), total: {} };
      groups.set(id, grp);
    }
    return grp;
  };
  if (groupBy.length === 0) groupOf({ family: d.family, day: "", dims: {}, tag: null, h: {} });

  for (const doc of docs) {
    if (!docMatches(doc, sel.family, sel.dims, sel.tag)) continue;
    const dayMs = utcSlotMs(doc.day, 0);
    if (dayMs + DAY_MS <= fromMs || dayMs >= toMs) continue;
    let grp: ReturnType<typeof groupOf> | undefined;
    for (const hour in doc.h) {
      const t = dayMs + Number(hour) * HOUR_MS;
      if (t < fromMs || t >= toMs) continue;
      grp ??= groupOf(doc);
      addInto(grp.buckets[bucketIndex(startMs, t)]!, doc.h[hour]!);
    }
  }
  for (const g of groups.values()) for (const b of g.buckets) addInto(g.total, b);

  const out: SeriesGroup[] = [...groups.values()].map((g) => ({
    key: g.key,
    points: g.buckets.map((m, i) => ({ start: starts[i]!, ...pointOf(metric, m) })),
    total: pointOf(metric, g.total),
    totalMeasures: g.total,
  }));
  out.sort((a, b) => b.total.n - a.total.n || (JSON.stringify(a.key) < JSON.stringify(b.key) ? -1 : 1));
  return { metric, definition: d.definition, unit: d.unit, interval: o.interval, tz: o.tz, from: o.from, to: o.to, groupBy, groups: out };
}

/** Summed measures of `metric` over `[from, to)` per group key (JSON of the groupBy values). */
export function totalsOf(
  metric: MetricName,
  docs: Iterable<RollupDoc>,
  o: Pick<SeriesOptions, "from" | "to" | "groupBy" | "filters">,
): Map<string, { key: Partial<Record<GroupKey, string | null>>; measures: Measures }> {
  const s = seriesOf(metric, docs, { ...o, interval: "month", tz: "UTC" });
  return new Map(s.groups.map((g) => [JSON.stringify(s.groupBy.map((k) => g.key[k])), { key: g.key, measures: g.totalMeasures }]));
}

export interface TrendGroup extends SeriesGroup {
  change: Change;
}

export interface Trend extends Omit<Series, "groups"> {
  previousFrom: Date;
  previousTo: Date;
  groups: TrendGroup[];
}

/**
 * A trend answer: `seriesOf` over `[from, to)` plus, per group, the change against the previous
 * period of the same length (`previousRange`) with the metric's significance test. `docs` must
 * cover both periods (fetch with `rollupSelectionOf` over `[previous.from, to)`). A group present
 * only in the previous period is not listed (its current total is empty).
 */
export function trendOf(metric: MetricName, docs: Iterable<RollupDoc>, o: SeriesOptions): Trend {
  const all = [...docs];
  const series = seriesOf(metric, all, o);
  const prev = previousRange(o.from, o.to);
  const before = totalsOf(metric, all, { ...o, ...prev });
  const groups = series.groups.map((g) => {
    const id = JSON.stringify(series.groupBy.map((k) => g.key[k]));
    return { ...g, change: changeOf(metric, g.totalMeasures, before.get(id)?.measures ?? {}) };
  });
  return { ...series, previousFrom: prev.from, previousTo: prev.to, groups };
}
