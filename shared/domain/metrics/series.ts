/**
 * Trend series from rollup documents: pick the documents a query needs, sum their hourly slots
 * into local buckets, and compare the range with the previous one. Reads rollups only, and only
 * the cheapest cut that answers the query (see `rollupSelectionOf`), so the cost follows the
 * number of days × values of the queried dimension, not the number of items.
 *
 * Slot semantics: a UTC hour slot counts in the query when its first instant lies in
 * `[from, to)` and in the local bucket that contains that instant. Ranges should therefore start
 * and end on whole UTC hours; for zones with a non-whole-hour offset (Asia/Kolkata) day buckets
 * are approximated to the hour (see ../time/README.md).
 */
import { assertTimeZone, TIME_MS } from "../time/zones";
import { bucketsBetween, type Interval } from "../time/buckets";
import { utcDaysCovering, utcSlotMs } from "../time/utc-slots";
import { FULL_CUT, GROUP_KEYS, TOTAL_CUT, type Cut, type TrendCut, type Dimension, type Family, type GroupKey, type Measures } from "./contribution";
import { changeOf, pointOf, type Change, type Point } from "./points";
import { METRICS, type MetricName } from "./registry";
import { HOURS_PER_MONTH_DOC, isMonthDoc, type MonthRollupDoc, type SeriesDoc } from "./month-rollups";
import type { RollupDoc } from "./rollups";
import { bucketIndex, daySplitOf, type DayReadPlan, type DaySplit } from "./day-totals";

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
 * What to fetch for a query, as plain data the repository turns into a MongoDB filter (see
 * `rollupSelectionOf`).
 */
export interface RollupSelection {
  family: Family;
  /** UTC days (inclusive) covering the range */
  days: { first: string; last: string };
  /** the cut to read: only documents with this `cut` take part */
  cut: Cut;
  /** each document's `dims.<k>` must be one of the values (includes the metric's fixed `where`) */
  dims: Record<string, string[]>;
  /** `null` (untagged copies), `"any"` (any tag) or a list of tags */
  tag: null | "any" | string[];
  /**
   * Also read the total cut (`""`, same family, days and tag): set when the query groups by the
   * single dimension `cut` without filtering it, so the group of items where that dimension is
   * unknown (key null, absent from the dimension's cut) is the total minus the known groups.
   */
  unknownFromTotal: boolean;
  /**
   * Read day documents by their day totals and only the hours this plan names (`dayReadPlanOf`,
   * made with the options the documents will be summed with); absent or null: every hour.
   */
  dayPlan?: DayReadPlan | null;
}

/**
 * The cut that answers a query at the least cost: the dimensions it needs are `groupBy` and the
 * filter keys (both without `tag`) and the metric's fixed `where` keys (e.g. surveyKind for nps).
 * None → `""` (the total), exactly one → that dimension's cut, more → `"*"` (the full tuple).
 * Queries on tags (filter or group by `tag`) read the tag copies, which exist in cuts `""` and
 * `"*"` only: `""` when they need no other dimension, `"*"` otherwise.
 */
export function cutOf(metric: MetricName, o: Pick<SeriesOptions, "groupBy" | "filters">): TrendCut {
  const needed = new Set<string>(Object.keys(METRICS[metric].where));
  for (const g of o.groupBy ?? []) if (g !== "tag") needed.add(g);
  for (const [k, v] of Object.entries(o.filters ?? {})) if (k !== "tag" && v !== undefined) needed.add(k);
  if (needed.size === 0) return TOTAL_CUT;
  if (needed.size === 1 && !readsTags(o)) return [...needed][0] as Dimension;
  return FULL_CUT;
}

/**
 * What to fetch for a query: `family`, UTC `days` (inclusive) covering `[from, to)` (pass both
 * ranges' bounds to cover the previous period too), the `cut` (see `cutOf`), `dims` (each
 * document's `dims.<k>` must be one of the values; includes the metric's fixed `where`), `tag`:
 * `null` (untagged copies), `"any"` (any tag) or a list, and `unknownFromTotal` (also read cut
 * `""`; see `RollupSelection`).
 */
export function rollupSelectionOf(
  metric: MetricName,
  o: Pick<SeriesOptions, "from" | "to" | "groupBy" | "filters">,
): RollupSelection {
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
  const cut = cutOf(metric, o);
  const unknownFromTotal =
    cut !== TOTAL_CUT && cut !== FULL_CUT && (o.groupBy ?? []).includes(cut) && dims[cut] === undefined;
  return { family: d.family, days: utcDaysCovering(o.from, o.to), cut, dims, tag, unknownFromTotal };
}

/** Documents written before cuts existed carry no `cut`: they are full-tuple documents. */
const cutOfDoc = (doc: SeriesDoc): Cut => doc.cut ?? FULL_CUT;

/** Whether a document belongs to a selection (family, cut, dimension values and tag; days aside). */
export function selectionMatches(doc: RollupDoc, sel: Pick<RollupSelection, "family" | "cut" | "dims" | "tag">): boolean {
  return docMatches(doc, sel.family, sel.cut, Object.entries(sel.dims), sel.tag);
}

const NO_DIMS: readonly [string, string[]][] = [];

function docMatches(doc: SeriesDoc, family: Family, cut: Cut, dims: readonly (readonly [string, string[]])[], tag: null | "any" | string[]): boolean {
  if (doc.family !== family || cutOfDoc(doc) !== cut) return false;
  if (tag === null ? doc.tag !== null : doc.tag === null || (tag !== "any" && !tag.includes(doc.tag))) return false;
  for (const [k, vals] of dims) {
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

/**
 * The group of items whose grouped dimension is unknown: per bucket, the total cut minus every
 * known group (exact: all measures are integer sums). Created only when some bucket holds such
 * items, as a full-tuple query would only meet their documents then. Zero measures are left out.
 */
function addUnknownGroup(
  totals: readonly Measures[],
  known: Iterable<{ buckets: Measures[] }>,
  create: () => { buckets: Measures[] },
): void {
  const groups = [...known];
  let unknown: { buckets: Measures[] } | undefined;
  totals.forEach((total, i) => {
    // Every contribution has n = 1, so consistent documents leave n >= 0 here, and n = 0 means
    // an empty bucket; n < 0 means the caller passed no total-cut documents: no unknown group.
    // So n alone decides, and the other measures are subtracted only where items are left.
    let n = total.n ?? 0;
    for (const g of groups) n -= g.buckets[i]!.n ?? 0;
    if (!(n > 0)) return;
    const r = { ...total };
    for (const g of groups) {
      const b = g.buckets[i]!;
      for (const k in b) r[k] = (r[k] ?? 0) - b[k]!;
    }
    for (const k in r) if (r[k] === 0) delete r[k];
    unknown ??= create();
    addInto(unknown.buckets[i]!, r);
  });
}

/**
 * The series of `metric` over `[from, to)`: every local bucket of `interval` in `tz` (empty ones
 * with n = 0 and, for means and rates, value null), one group per combination of `groupBy`
 * values met in the data (a single group with key {} when `groupBy` is empty, even without data),
 * and each group's total. Only documents of the cut `rollupSelectionOf` picks are read (plus the
 * total cut for the unknown-value group, see `RollupSelection.unknownFromTotal`); documents of
 * other families or cuts, or failing the filters, are ignored, so the caller may pass a superset
 * (e.g. both periods' documents, or every cut); workspace and scope are not checked: pass one
 * workspace's documents of one scope.
 * Groups are ordered by total n, largest first, then by key. Throws RangeError for bad options.
 */
export function seriesOf(metric: MetricName, docs: Iterable<SeriesDoc>, o: SeriesOptions): Series {
  validateSeriesOptions(o);
  const d = METRICS[metric];
  const groupBy = [...(o.groupBy ?? [])];
  const sel = rollupSelectionOf(metric, o);
  const starts = bucketsBetween(o.from, o.to, o.interval, o.tz, o.maxBuckets ?? 10_000);
  const startMs = starts.map((s) => s.getTime());
  const fromMs = o.from.getTime();
  const toMs = o.to.getTime();

  const groups = new Map<string, { key: Partial<Record<GroupKey, string | null>>; buckets: Measures[]; total: Measures }>();
  const groupOf = (doc: SeriesDoc) => {
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
  if (groupBy.length === 0) groupOf({ family: d.family, day: "", cut: sel.cut, dims: {}, tag: null, h: {} });
  // Total cut, per bucket, when the unknown-value group is derived from it.
  const totals: Measures[] | null = sel.unknownFromTotal ? starts.map(() => ({})) : null;

  // Hot loop (a year of a few groups is thousands of documents, twice per trend): no closure per
  // document, each day parsed once, and the bucket search resumes where the previous slot was.
  const dims = Object.entries(sel.dims);
  const dayMsOf = new Map<string, number>();
  const splits = new Map<number, DaySplit>();
  for (const doc of docs) {
    // the document's group is created with its first slot in range (a group met only outside
    // the range is not listed)
    let ofGroup: boolean;
    if (docMatches(doc, sel.family, sel.cut, dims, sel.tag)) ofGroup = true;
    else if (totals && docMatches(doc, sel.family, TOTAL_CUT, NO_DIMS, sel.tag)) ofGroup = false;
    else continue;
    if (isMonthDoc(doc)) {
      addMonthDoc(doc, () => (ofGroup ? groupOf(doc).buckets : totals!));
      continue;
    }
    let dayMs = dayMsOf.get(doc.day);
    if (dayMs === undefined) dayMsOf.set(doc.day, (dayMs = utcSlotMs(doc.day, 0)));
    if (dayMs + DAY_MS <= fromMs || dayMs >= toMs) continue;
    if (doc.d !== undefined) {
      let split = splits.get(dayMs);
      if (!split) splits.set(dayMs, (split = daySplitOf(dayMs, startMs, fromMs, toMs)));
      // a day the range cuts is read whole (DayReadPlan.fullDays): its hours are added one by one
      if (split.inRange) {
        addByDayTotal(doc as RollupDoc & { d: Measures }, split, ofGroup ? groupOf(doc).buckets : totals!);
        continue;
      }
    }
    let target: Measures[] | undefined;
    let b = -1;
    // Hours by index, not `for...in`: enumerating integer keys makes a string of each one.
    for (let hour = 0; hour < 24; hour++) {
      const slot = doc.h[hour];
      if (slot === undefined) continue;
      const t = dayMs + hour * HOUR_MS;
      if (t < fromMs || t >= toMs) continue;
      target ??= ofGroup ? groupOf(doc).buckets : totals!;
      // hours come in ascending order; the search resumes from the previous one
      if (b < 0 || startMs[b]! > t) b = bucketIndex(startMs, t);
      while (b + 1 < startMs.length && startMs[b + 1]! <= t) b++;
      addInto(target[b]!, slot);
    }
  }
  /**
   * A day inside the range by its total: the major bucket gets `d` less the hours that belong to
   * other buckets, which are added there (those hours are what a DayReadPlan reads beside `d`).
   */
  function addByDayTotal(doc: RollupDoc & { d: Measures }, split: DaySplit, target: Measures[]): void {
    const major = target[split.major]!;
    addInto(major, doc.d);
    for (let hour = 0; hour < 24; hour++) {
      const b = split.bucketOfHour[hour]!;
      if (b === split.major) continue;
      const slot = doc.h[hour];
      if (slot === undefined) continue;
      for (const k in slot) {
        // a measure only other buckets' hours hold nets out to 0 here: left out, as if never added
        const v = (major[k] ?? 0) - slot[k]!;
        if (v === 0) delete major[k];
        else major[k] = v;
      }
      addInto(target[b]!, slot);
    }
  }
  /** A month document's hourly slots, read in place (no day documents are made of them). */
  function addMonthDoc(doc: MonthRollupDoc, targetOf: () => Measures[]): void {
    let monthMs = dayMsOf.get(doc.month);
    if (monthMs === undefined) dayMsOf.set(doc.month, (monthMs = utcSlotMs(`${doc.month}-01`, 0)));
    if (monthMs >= toMs || monthMs + HOURS_PER_MONTH_DOC * HOUR_MS <= fromMs) return;
    let target: Measures[] | undefined;
    for (const measure in doc.m) {
      const slots = doc.m[measure]!;
      let b = -1;
      // by index, not `for...in`: enumerating integer keys makes a string of each one
      for (let i = 0; i < HOURS_PER_MONTH_DOC; i++) {
        const v = slots[i];
        if (v === undefined || v === 0) continue;
        const t = monthMs + i * HOUR_MS;
        if (t < fromMs) continue;
        if (t >= toMs) break;
        target ??= targetOf();
        if (b < 0) b = bucketIndex(startMs, t);
        while (b + 1 < startMs.length && startMs[b + 1]! <= t) b++;
        const cell = target[b]!;
        cell[measure] = (cell[measure] ?? 0) + v;
      }
    }
  }
  if (totals) addUnknownGroup(totals, groups.values(), () => groupOf({ family: d.family, day: "", cut: sel.cut, dims: {}, tag: null, h: {} }));
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
  docs: Iterable<SeriesDoc>,
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
export function trendOf(metric: MetricName, docs: Iterable<SeriesDoc>, o: SeriesOptions): Trend {
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
