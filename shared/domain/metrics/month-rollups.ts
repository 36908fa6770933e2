/**
 * Month rollup documents: a second copy of the count measures of the total and single-dimension
 * cuts (untagged), one document per UTC month instead of per UTC day, so a year-by-day query reads
 * about 13 documents per group instead of about 365.
 *
 * `{ _id, workspace, scope, family, month: "2025-03", cut, dims, tag: null, m: { <measure>: { "<hour of month>": n } } }`
 * where the hour of month is `(day of month - 1) * 24 + UTC hour` (0-743), so a month document
 * holds exactly the hourly slots of its day documents and answers every time zone the same way.
 *
 * Only count measures (`MONTH_MEASURES`) of the families some metric reads them from
 * (`MONTH_FAMILIES`) are kept: they make the document small enough to be
 * updated on every drain (a few numbers per populated hour), while sums of squares and
 * quantile-sketch bins would make it tens of kilobytes. Metrics needing other measures read the
 * day documents. Measure-major (`m.<measure>.<hour>`) so a query projects only its measures.
 *
 * The drain applies `monthIncrementsOf(dayIncrements)` with the same per-document `lastOp` guard
 * as the day documents (exact under replays); `monthDocsOfDays` builds them from day documents
 * (the migration for data drained before they existed, and the tests' reference).
 */
import { FINE_CUT, FULL_CUT, type Cut, type Dimension, type Family, type Measures } from "./contribution";
import { METRIC_MEASURES, METRICS, type MetricName } from "./registry";
import { rollupKeyOf, type RollupDoc, type RollupIncrement } from "./rollups";

/**
 * The measures month documents keep: every count a count or share metric reads. Changing this set
 * or `MONTH_FAMILIES` changes what stored month documents must hold: it needs a new migration
 * that rebuilds them (like `2027-02-rollup-months`), or month reads would miss what was drained
 * before (the unit test pins both sets).
 */
export const MONTH_MEASURES: ReadonlySet<string> = new Set(["n", "fcr", "reopened", "reach", "promoters", "passives", "detractors"]);

/**
 * The families with month documents: those of a metric that reads only `MONTH_MEASURES` (volume,
 * FCR, reopen rate, mentions, NPS). Sentiment and first response have none: every metric of
 * theirs needs sums of squares or sketch bins, so month copies would be written and never read.
 */
export const MONTH_FAMILIES: ReadonlySet<Family> = new Set(
  (Object.keys(METRICS) as MetricName[])
    .filter((m) => METRIC_MEASURES[m]?.every((x) => MONTH_MEASURES.has(x)))
    .map((m) => METRICS[m].family),
);

/** Hourly slots of a month document: 31 days of 24 hours. */
export const HOURS_PER_MONTH_DOC = 31 * 24;

export interface MonthRollupDoc {
  _id?: string;
  workspace?: string;
  scope?: string;
  family: Family;
  /** UTC month, `YYYY-MM` */
  month: string;
  cut: Cut;
  dims: Partial<Record<Dimension, string>>;
  tag: null;
  /** measure -> hour of month ("0".."743") -> value */
  m: Record<string, Record<string, number>>;
}

/** What a series is computed from: day documents, and month documents read in place (`seriesOf`). */
export type SeriesDoc = RollupDoc | MonthRollupDoc;

export function isMonthDoc(doc: SeriesDoc): doc is MonthRollupDoc {
  return (doc as MonthRollupDoc).month !== undefined;
}

/** One coalesced `$inc` for one month document; `inc` keys are `m.<measure>.<hour of month>`. */
export interface MonthIncrement {
  _id: string;
  workspace: string;
  scope: string;
  family: Family;
  month: string;
  cut: Cut;
  dims: Partial<Record<Dimension, string>>;
  inc: Record<string, number>;
}

/** Whether documents of this family, cut and tag have a month copy. */
export function hasMonthCopy(family: Family, cut: Cut, tag: string | null): boolean {
  return tag === null && cut !== FULL_CUT && cut !== FINE_CUT && MONTH_FAMILIES.has(family);
}

/** Whether a read of `measures` (null: all of them) in this family, cut and tag can use month documents. */
export function monthsServe(sel: { family: Family; cut: Cut; tag: null | "any" | string[] }, measures: readonly string[] | null): boolean {
  return sel.tag === null && hasMonthCopy(sel.family, sel.cut, null) && measures !== null && measures.every((m) => MONTH_MEASURES.has(m));
}

/** The `_id` of a month document: a day document's key with the month in place of the day. */
export function monthKeyOf(workspace: string, scope: string, c: { family: Family; month: string; cut: Cut; dims: Partial<Record<Dimension, string>> }): string {
  return rollupKeyOf(workspace, scope, { family: c.family, day: c.month, cut: c.cut, dims: c.dims, tag: null });
}

/** UTC months (inclusive) covering a range of UTC days. */
export function monthsCovering(days: { first: string; last: string }): { first: string; last: string } {
  return { first: days.first.slice(0, 7), last: days.last.slice(0, 7) };
}

const hourOfMonth = (day: string, hour: number): number => (Number(day.slice(8, 10)) - 1) * 24 + hour;

/**
 * The month increments that go with day increments (those of cuts with a month copy, count
 * measures only), coalesced per month document into `into`; measures whose net change is zero
 * are dropped, and so are documents left without a change.
 */
export function monthIncrementsOf(dayIncrements: Iterable<RollupIncrement>, into: Map<string, MonthIncrement> = new Map()): Map<string, MonthIncrement> {
  for (const r of dayIncrements) {
    if (!hasMonthCopy(r.family, r.cut, r.tag)) continue;
    const month = r.day.slice(0, 7);
    let target: MonthIncrement | undefined;
    for (const path in r.inc) {
      // `h.<hour>.<measure>`; the day total (`d.<measure>`) has no month copy
      if (path.charCodeAt(0) !== 104 /* h */) continue;
      const dot = path.indexOf(".", 2);
      const measure = path.slice(dot + 1);
      if (!MONTH_MEASURES.has(measure)) continue;
      if (!target) {
        const _id = monthKeyOf(r.workspace, r.scope, { family: r.family, month, cut: r.cut, dims: r.dims });
        target = into.get(_id);
        if (!target) {
          target = { _id, workspace: r.workspace, scope: r.scope, family: r.family, month, cut: r.cut, dims: { ...r.dims }, inc: {} };
          into.set(_id, target);
        }
      }
      const field = `m.${measure}.${hourOfMonth(r.day, Number(path.slice(2, dot)))}`;
      const v = (target.inc[field] ?? 0) + r.inc[path]!;
      if (v === 0) delete target.inc[field];
      else target.inc[field] = v;
    }
  }
  for (const [id, t] of into) if (Object.keys(t.inc).length === 0) into.delete(id);
  return into;
}

/**
 * Month documents as day documents: one per UTC day of `days` that has a value, with the hourly
 * slots `h` the trend code reads (tag null). What the repository hands to `seriesOf`.
 */
export function dayDocsOfMonths(docs: Iterable<MonthRollupDoc>, days: { first: string; last: string }): RollupDoc[] {
  const out: RollupDoc[] = [];
  // Hot path (hundreds of slots per document): days indexed by day of month, each day's name and
  // range check done once per document.
  const byDay: (RollupDoc | null | undefined)[] = new Array(32);
  for (const doc of docs) {
    byDay.fill(undefined);
    for (const measure in doc.m) {
      const slots = doc.m[measure]!;
      // Slots by index, not `for...in`: enumerating integer keys makes a string of each one.
      for (let hourIdx = 0; hourIdx < HOURS_PER_MONTH_DOC; hourIdx++) {
        const v = slots[hourIdx];
        if (v === undefined || v === 0) continue;
        const dayOfMonth = Math.floor(hourIdx / 24) + 1;
        let d = byDay[dayOfMonth];
        if (d === undefined) {
          const day = `${doc.month}-${dayOfMonth < 10 ? "0" : ""}${dayOfMonth}`;
          d = byDay[dayOfMonth] = day < days.first || day > days.last ? null : { family: doc.family, day, cut: doc.cut, dims: doc.dims, tag: null, h: {} };
        }
        if (d === null) continue;
        const slot: Measures = (d.h[hourIdx % 24] ??= {});
        slot[measure] = v;
      }
    }
    for (const d of byDay) if (d) out.push(d);
  }
  return out;
}

/** The document without zero measures and empty measures (null when nothing is left), like `compactRollupDoc`. */
export function compactMonthDoc(doc: MonthRollupDoc): MonthRollupDoc | null {
  const m: MonthRollupDoc["m"] = {};
  for (const [measure, slots] of Object.entries(doc.m)) {
    const kept = Object.fromEntries(Object.entries(slots).filter(([, v]) => v !== 0));
    if (Object.keys(kept).length > 0) m[measure] = kept;
  }
  return Object.keys(m).length > 0 ? { ...doc, m } : null;
}

/**
 * The month documents that day documents add up to (those of cuts with a month copy; count
 * measures; zeros left out), by `_id`. Day documents must carry workspace and scope.
 */
export function monthDocsOfDays(dayDocs: Iterable<RollupDoc>): Map<string, MonthRollupDoc> {
  const out = new Map<string, MonthRollupDoc>();
  for (const d of dayDocs) {
    if (!hasMonthCopy(d.family, d.cut, d.tag) || d.workspace === undefined || d.scope === undefined) continue;
    const month = d.day.slice(0, 7);
    const _id = monthKeyOf(d.workspace, d.scope, { family: d.family, month, cut: d.cut, dims: d.dims });
    for (const hour in d.h) {
      const slot = d.h[hour]!;
      for (const measure in slot) {
        const v = slot[measure]!;
        if (!MONTH_MEASURES.has(measure) || v === 0) continue;
        let doc = out.get(_id);
        if (!doc) {
          doc = { _id, workspace: d.workspace, scope: d.scope, family: d.family, month, cut: d.cut, dims: { ...d.dims }, tag: null, m: {} };
          out.set(_id, doc);
        }
        const key = String(hourOfMonth(d.day, Number(hour)));
        const slots = (doc.m[measure] ??= {});
        slots[key] = (slots[key] ?? 0) + v;
      }
    }
  }
  return out;
}
