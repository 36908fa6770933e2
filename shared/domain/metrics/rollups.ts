/**
 * Rollup document identity and exact incremental maintenance.
 *
 * A rollup document holds one (workspace, scope, family, UTC day, cut, dimension values, tag) and
 * its hourly slots: `{ _id, workspace, scope, family, day, cut, dims, tag, h: { "<hour>": { <measure>: n } } }`.
 * The cut (see `Cut`) says which dimensions `dims` holds: all of the items' (`"*"`), none (`""`,
 * the total) or a single named one; the same item adds to one document of every cut it is in.
 * Day documents of the trend cuts also hold the day's total, `d: { <measure>: n }` (the sum of
 * every hourly slot), so a query whose buckets hold whole UTC days reads one slot per document
 * instead of 24 (see day-totals.ts); the 5-minute cut has none (alerts read its slots).
 * The worker keeps each item's last applied contributions; when the item changes it applies
 * `diffContributions(previous, current)` as `$inc` on `h.<hour>.<measure>` and `d.<measure>`
 * (upsert). Because every measure is an integer, applying the diffs of any sequence of versions
 * leaves exactly the sums of the final versions (what `rollupDocsOf` computes from scratch),
 * whatever the order.
 */
import { DIMENSIONS, FINE_CUT, FULL_CUT, type Contribution, type Cut, type Dimension, type Family, type Measures } from "./contribution";

const SORTED_DIMENSIONS: readonly string[] = [...DIMENSIONS].sort();

/** `h.<hour>.<measure>` field names, built once each so hot loops reuse the same strings. */
const FIELD_NAMES: Array<Map<string, string>> = Array.from({ length: 24 }, () => new Map());
function slotField(hour: number, measure: string): string {
  const byMeasure = FIELD_NAMES[hour];
  if (!byMeasure) return `h.${hour}.${measure}`;
  let f = byMeasure.get(measure);
  if (f === undefined) {
    f = `h.${hour}.${measure}`;
    if (byMeasure.size < 10_000) byMeasure.set(measure, f);
  }
  return f;
}

/** `d.<measure>` field names of the day totals, built once each. */
const TOTAL_FIELD_NAMES = new Map<string, string>();
function dayTotalField(measure: string): string {
  let f = TOTAL_FIELD_NAMES.get(measure);
  if (f === undefined) {
    f = `d.${measure}`;
    if (TOTAL_FIELD_NAMES.size < 10_000) TOTAL_FIELD_NAMES.set(measure, f);
  }
  return f;
}

/** Whether documents of a cut keep the day total `d` (every cut but the 5-minute one). */
export function keepsDayTotal(cut: Cut): boolean {
  return cut !== FINE_CUT;
}

const NEEDS_ESCAPE = /[%|,=]/;

/** Escapes the separators used in keys so distinct parts never join into the same string. */
function esc(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replaceAll("%", "%25").replaceAll("|", "%7C").replaceAll(",", "%2C").replaceAll("=", "%3D");
}

/** The part of a document's identity that a contribution carries (everything but the hour). */
export type RollupCoordinates = Pick<Contribution, "family" | "day" | "cut" | "dims" | "tag">;

/**
 * The `_id` of the rollup document a contribution goes to:
 * `workspace|scope|family|day|k1=v1,k2=v2|tag` for the full-tuple cut `"*"` and
 * `workspace|scope|family|day|k=v|tag|:<cut>` for the other cuts (`|:` for the total cut `""`,
 * `|:channel` for the channel cut), dimensions sorted by name, `~` for the untagged copy and
 * `t<tag>` for a tag. Stable (independent of key order in `dims`) and collision-free (`%`, `|`,
 * `,` and `=` inside values are percent-escaped, so the number of `|` tells the cut segment apart:
 * a one-dimension cut never meets a full-tuple document whose item has a single dimension).
 * A contribution recorded before cuts existed (no `cut`) counts as `"*"`, whose keys are unchanged.
 */
export function rollupKeyOf(workspace: string, scope: string, c: RollupCoordinates): string {
  // Hot path (one call per contribution): known dimensions in a fixed sorted order, escaping only
  // when needed; any other key falls back to sorting.
  const d = c.dims as Record<string, string | undefined>;
  let own = 0;
  for (const _ in d) own++;
  let found = 0;
  for (const k of SORTED_DIMENSIONS) if (d[k] !== undefined) found++;
  const keys = found === own ? SORTED_DIMENSIONS : Object.keys(d).sort();
  let dims = "";
  for (const k of keys) {
    const v = d[k];
    if (typeof v !== "string") continue;
    dims += (dims === "" ? "" : ",") + esc(k) + "=" + esc(v);
  }
  const tag = c.tag === null ? "~" : "t" + esc(c.tag);
  const cut = c.cut ?? FULL_CUT;
  const base = esc(workspace) + "|" + esc(scope) + "|" + c.family + "|" + c.day + "|" + dims + "|" + tag;
  return cut === FULL_CUT ? base : base + "|:" + esc(cut);
}

/** One coalesced `$inc` for one rollup document; `inc` keys are `h.<hour>.<measure>` and `d.<measure>`. */
export interface RollupIncrement {
  _id: string;
  workspace: string;
  scope: string;
  family: Family;
  day: string;
  cut: Cut;
  dims: Partial<Record<Dimension, string>>;
  tag: string | null;
  inc: Record<string, number>;
}

/**
 * Adds `current - previous` for one item to `into` (a new Map by default) and returns it, keyed
 * by the rollup `_id` (see `rollupKeyOf`). Call it once per changed item of a batch with the same
 * `into` to get one increment per rollup document for the whole batch. Measures whose net change
 * is zero, and documents left with no change at all, are removed, so an unchanged item (or a
 * redelivery) contributes nothing.
 *
 * `previous` is what was applied for the item before (empty for a new item), `current` what it
 * contributes now (empty for a deleted item). Applying the result twice double-counts: recording
 * `current` as the item's applied contributions in the same write is the caller's job.
 */
export function diffContributions(
  previous: readonly Contribution[],
  current: readonly Contribution[],
  doc: { workspace: string; scope: string },
  into: Map<string, RollupIncrement> = new Map(),
): Map<string, RollupIncrement> {
  // Only fields touched by this call can have become zero: check those, not whole documents,
  // so coalescing a large batch stays linear in the number of contributions.
  const touched: Array<[RollupIncrement, string]> = [];
  const add = (c: Contribution, sign: 1 | -1) => {
    const _id = rollupKeyOf(doc.workspace, doc.scope, c);
    let r = into.get(_id);
    if (!r) {
      r = {
        _id, workspace: doc.workspace, scope: doc.scope, family: c.family, day: c.day, cut: c.cut ?? FULL_CUT,
        dims: { ...c.dims }, tag: c.tag, inc: {},
      };
      into.set(_id, r);
      touched.push([r, ""]); // new: dropped at the end if nothing non-zero lands in it
    }
    const total = keepsDayTotal(r.cut);
    for (const k in c.m) {
      const v = c.m[k];
      if (!v) continue;
      const f = slotField(c.hour, k);
      r.inc[f] = (r.inc[f] ?? 0) + sign * v;
      touched.push([r, f]);
      if (!total) continue;
      const t = dayTotalField(k);
      r.inc[t] = (r.inc[t] ?? 0) + sign * v;
      touched.push([r, t]);
    }
  };
  for (const c of previous) add(c, -1);
  for (const c of current) add(c, 1);
  const emptied = new Set<RollupIncrement>();
  for (const [r, f] of touched) {
    if (f === "") emptied.add(r);
    else if (r.inc[f] === 0) {
      delete r.inc[f];
      emptied.add(r);
    }
  }
  for (const r of emptied) {
    let empty = true;
    for (const _ in r.inc) {
      empty = false;
      break;
    }
    if (empty) into.delete(r._id);
  }
  return into;
}

/** A rollup document as stored and as trend queries read it. */
export interface RollupDoc {
  _id?: string;
  workspace?: string;
  scope?: string;
  family: Family;
  day: string;
  /** which dimensions `dims` holds (see `Cut`) */
  cut: Cut;
  dims: Partial<Record<Dimension, string>>;
  tag: string | null;
  /** hourly slots: hour "0".."23" → measures (only some hours when read for a `DayReadPlan`) */
  h: Record<string, Measures>;
  /** the day's total of every slot (trend cuts; absent on documents drained before it existed until migrated) */
  d?: Measures;
}

/**
 * What MongoDB's upsert with `$inc` does to a document, for tests and in-memory use: returns a
 * new document (the input is not changed). Measures that reach zero stay as 0 like in MongoDB;
 * compare with `compactRollupDoc`.
 */
export function applyIncrement(doc: RollupDoc | undefined, r: RollupIncrement): RollupDoc {
  const out: RollupDoc = doc
    ? { ...doc, h: Object.fromEntries(Object.entries(doc.h).map(([k, v]) => [k, { ...v }])), ...(doc.d ? { d: { ...doc.d } } : {}) }
    : { _id: r._id, workspace: r.workspace, scope: r.scope, family: r.family, day: r.day, cut: r.cut, dims: { ...r.dims }, tag: r.tag, h: {} };
  for (const [path, v] of Object.entries(r.inc)) {
    const parts = path.split(".");
    const slot = parts[0] === "d" ? (out.d ??= {}) : (out.h[parts[1]!] ??= {});
    const measure = parts[parts.length - 1]!;
    slot[measure] = (slot[measure] ?? 0) + v;
  }
  return out;
}

const nonZero = (m: Measures): Measures => Object.fromEntries(Object.entries(m).filter(([, v]) => v !== 0));

/** The document without zero measures and empty slots (null when nothing is left). */
export function compactRollupDoc(doc: RollupDoc): RollupDoc | null {
  const h: Record<string, Measures> = {};
  for (const [hour, m] of Object.entries(doc.h)) {
    const kept = nonZero(m);
    if (Object.keys(kept).length > 0) h[hour] = kept;
  }
  if (Object.keys(h).length === 0) return null;
  const { d, ...rest } = doc;
  return d ? { ...rest, h, d: nonZero(d) } : { ...rest, h };
}

/** The day total of a document's hourly slots (what `d` holds), zero measures left out. */
export function dayTotalOf(h: Readonly<Record<string, Measures>>): Measures {
  const d: Measures = {};
  for (const m of Object.values(h)) for (const k in m) d[k] = (d[k] ?? 0) + m[k]!;
  return nonZero(d);
}

/**
 * From-scratch recomputation: the compacted rollup documents that `contributions` (of many items)
 * add up to, by `_id`, in every cut the contributions carry (`contributionsOf` gives all of them).
 * The reference the incremental path must equal.
 */
export function rollupDocsOf(
  workspace: string,
  scope: string,
  contributions: Iterable<Contribution>,
): Map<string, RollupDoc> {
  const incs = diffContributions([], [...contributions], { workspace, scope });
  const out = new Map<string, RollupDoc>();
  for (const [id, r] of incs) {
    const d = compactRollupDoc(applyIncrement(undefined, r));
    if (d) out.set(id, d);
  }
  return out;
}
