/**
 * Index plans as key ranges (pure): which ranges of an index's ordered keys hold the documents a
 * filter may match (to narrow a read; the filter is re-tested), and when those ranges hold exactly
 * the matching documents (to count from keys alone, reading no document).
 */
import { createHash } from "node:crypto";
import { canonicalKey } from "./index-keys";
import { compoundKeyOf, keyOf, KEY_MAX, rangeTag, successor } from "./key-bytes";
import { equalityFields, isIndexableScalar, isOperatorObject, isPlainObject, type Doc } from "./matching";

/** What planning needs to know of an index. */
export interface IndexShape {
  readonly fields: readonly string[];
  readonly multikey: boolean;
  readonly spec: { sparse?: boolean; partialFilterExpression?: Doc };
}

export type Range = [lo: Buffer, hi: Buffer];

/** LMDB's largest key (bytes), as built into the `lmdb` package. */
const MAX_KEY = 1978;
/** Room in a key for the 4-byte prefix and the 8-byte record id. */
export const MAX_VALUE_KEY = MAX_KEY - 12;

/**
 * A value key that fits LMDB: longer keys keep their first bytes and end in a SHA-256 of the
 * whole, so equality stays exact (ranges over such long values only approximate their order;
 * candidates are always re-tested against the filter).
 */
export function fit(key: Buffer): Buffer {
  if (key.length <= MAX_VALUE_KEY) return key;
  return Buffer.concat([key.subarray(0, MAX_VALUE_KEY - 33), Buffer.from([0xfe]), createHash("sha256").update(key).digest()]);
}

/** Point prefixes (a product of `$in` lists) planned at most; past that the next field is not narrowed. */
const MAX_POINT_PREFIXES = 256;

/**
 * How `ix` narrows `filter`, or undefined when it cannot: `ranges`, the key ranges that hold every
 * matching document, and, where the store can do better by reading the index, a `skip` scan.
 * As MongoDB builds index bounds: the leading fields pinned by an equality or a `$in` (one
 * prefix per combination of values, like `{cut: {$in: [a, b]}, tag: null}`), then optionally a
 * range (within one type bracket) on the next field under each prefix; with no pinned field, a
 * range on the first field or, for a non-sparse partial index the query implies, the whole index.
 */
export function candidatePlan(ix: IndexShape, filter: Doc, eq: Map<string, unknown>): { ranges: Range[]; skip?: SkipScan } | undefined {
  if (ix.spec.partialFilterExpression && !impliesPartial(filter, eq, ix.spec.partialFilterExpression)) return undefined;
  const { prefixes, pinned } = pinnedPrefixes(ix, filter, eq);
  const next = ix.fields[pinned];
  const cond = next === undefined ? undefined : filter[next];
  if (isOperatorObject(cond)) {
    const ranges = prefixes.map((p) => rangeBounds(cond as Doc, p, ix.multikey));
    if (ranges.every((r) => r !== undefined)) return { ranges: ranges as Range[] };
  }
  if (pinned > 0) return { ranges: prefixes.map((p): Range => [p, successor(p)]), skip: skipScanAfter(ix, filter, prefixes, pinned) };
  // A non-sparse partial index holds exactly the documents matching its filter.
  if (ix.spec.partialFilterExpression && ix.spec.sparse !== true) return { ranges: [[Buffer.alloc(0), KEY_MAX]] };
  return undefined;
}

/** The key prefixes of the leading fields pinned by equalities and `$in` (one per combination). */
function pinnedPrefixes(ix: IndexShape, filter: Doc, eq: Map<string, unknown>): { prefixes: Buffer[]; pinned: number } {
  let prefixes: Buffer[] = [Buffer.alloc(0)];
  let pinned = 0;
  for (const f of ix.fields) {
    const points = pointValues(ix, f, filter, eq);
    if (!points || prefixes.length * points.length > MAX_POINT_PREFIXES) break;
    const keys = points.map((v) => fit(keyOf(v)));
    prefixes = prefixes.flatMap((p) => keys.map((k) => Buffer.concat([p, k])));
    pinned++;
  }
  return { prefixes, pinned };
}

/**
 * A skip scan (MongoDB's index bounds with a gap): under each pinned prefix, the field after it
 * has no condition or `{$ne: null}`, and the field after that a range. The store reads which
 * values the middle field has from the keys (one seek per value) and reads the range under each,
 * instead of every entry under the prefix. `from` is where the middle field's keys start (past
 * the null key for `$ne: null`).
 */
export interface SkipScan {
  prefixes: Buffer[];
  from: Buffer;
  /** the range condition on the field after the skipped one */
  then: Doc;
  multikey: boolean;
}

/** The skip scan past the `pinned` fields under `prefixes`, when the filter has that shape. */
function skipScanAfter(ix: IndexShape, filter: Doc, prefixes: Buffer[], pinned: number): SkipScan | undefined {
  const skipped = ix.fields[pinned];
  const then = ix.fields[pinned + 1];
  if (skipped === undefined || then === undefined || skipped.includes(".")) return undefined;
  const cond = filter[skipped];
  const notNull = isOperatorObject(cond) && Object.keys(cond as Doc).length === 1 && (cond as Doc).$ne === null;
  if (cond !== undefined && !notNull) return undefined;
  const range = filter[then];
  if (!isOperatorObject(range) || !rangeBounds(range as Doc, Buffer.alloc(0), ix.multikey)) return undefined;
  return { prefixes, from: notNull ? successor(keyOf(null)) : Buffer.alloc(0), then: range as Doc, multikey: ix.multikey };
}

/**
 * The values an index field is pinned to: an equality's value or a `$in` list. `null` pins a
 * top-level field of a non-sparse index: a missing field, null, and an array holding null all
 * have a null key there (an empty array too, which the re-test then drops). Not through a
 * dotted path, where an array element without the field has no key of its own.
 */
function pointValues(ix: IndexShape, field: string, filter: Doc, eq: Map<string, unknown>): unknown[] | undefined {
  if (eq.has(field)) {
    const v = eq.get(field);
    if (isIndexableScalar(v)) return [v];
    return v === null && !field.includes(".") && ix.spec.sparse !== true ? [null] : undefined;
  }
  const cond = filter[field];
  return isOperatorObject(cond) ? inValues(cond as Doc) : undefined;
}

export function inValues(ops: Doc): unknown[] | undefined {
  const list = ops.$in;
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => isIndexableScalar(v) && !(v instanceof RegExp))) return undefined;
  return [...new Map(list.map((v) => [canonicalKey(v), v])).values()];
}

/** Whether the index fields from position `at` on start with the sort fields, in order. */
export function sortFieldsFollow(fields: readonly string[], at: number, names: readonly string[]): boolean {
  return names.length > 0 && fields.length >= at + names.length && names.every((f, i) => fields[at + i] === f);
}

/**
 * The range a `$gt`/`$gte`/`$lt`/`$lte` condition confines the next index field to, after the
 * key prefix `prefix`. Only numbers, strings and dates (one type bracket: MongoDB's comparisons
 * never cross types). On a multikey index two bounds may be met by different array elements, so
 * only the lower one is used there (the rest of the bracket stays in the range).
 */
export function rangeBounds(ops: Doc, prefix: Buffer, multikey: boolean): Range | undefined {
  let tag: number | undefined;
  let lo: Buffer | undefined;
  let hi: Buffer | undefined;
  for (const [op, v] of Object.entries(ops)) {
    if (op !== "$gt" && op !== "$gte" && op !== "$lt" && op !== "$lte") continue;
    const t = rangeTag(v);
    if (t === undefined || (tag !== undefined && t !== tag)) return undefined;
    tag = t;
    const at = Buffer.concat([prefix, fit(keyOf(v))]);
    if (op === "$gt") lo = maxBuf(lo, successor(at));
    else if (op === "$gte") lo = maxBuf(lo, at);
    else if (op === "$lt") hi = minBuf(hi, at);
    else hi = minBuf(hi, successor(at));
  }
  if (tag === undefined) return undefined;
  const bracketLo = Buffer.concat([prefix, Buffer.from([tag])]);
  const bracketHi = Buffer.concat([prefix, Buffer.from([tag + 1])]);
  if (multikey && lo && hi) hi = undefined;
  return [lo ?? bracketLo, hi ?? bracketHi];
}

function maxBuf(a: Buffer | undefined, b: Buffer): Buffer {
  return a && Buffer.compare(a, b) >= 0 ? a : b;
}
function minBuf(a: Buffer | undefined, b: Buffer): Buffer {
  return a && Buffer.compare(a, b) <= 0 ? a : b;
}

/**
 * Whether every document matching the query also matches an index's `partialFilterExpression`
 * (so the partial index holds all candidates). Conservative: only top-level conditions of the form
 * `{f: {$exists: true}}` (implied by the same condition or by an equality on a non-null scalar) and
 * `{f: <scalar>}` / `{f: {$eq: <scalar>}}` (implied by the same equality) are understood.
 */
export function impliesPartial(filter: Doc, eq: Map<string, unknown>, pfe: Doc): boolean {
  const exists = existsFields(filter);
  for (const [f, cond] of Object.entries(pfe)) {
    if (f.startsWith("$")) return false;
    if (isOperatorObject(cond)) {
      const ops = Object.keys(cond as Doc);
      if (ops.length !== 1) return false;
      if (ops[0] === "$exists" && (cond as Doc).$exists === true) {
        if (exists.has(f) || (eq.has(f) && isIndexableScalar(eq.get(f)))) continue;
        return false;
      }
      if (ops[0] === "$eq" && isIndexableScalar((cond as Doc).$eq)) {
        if (eq.has(f) && isIndexableScalar(eq.get(f)) && canonicalKey(eq.get(f)) === canonicalKey((cond as Doc).$eq)) continue;
        return false;
      }
      return false;
    }
    if (!isIndexableScalar(cond) || isPlainObject(cond)) return false;
    if (eq.has(f) && isIndexableScalar(eq.get(f)) && canonicalKey(eq.get(f)) === canonicalKey(cond)) continue;
    return false;
  }
  return true;
}

/** Fields the filter requires to exist with `{f: {$exists: true, ...}}`, also inside `$and`. */
function existsFields(filter: Doc, out = new Set<string>()): Set<string> {
  for (const [k, v] of Object.entries(filter)) {
    if (k === "$and" && Array.isArray(v)) {
      for (const sub of v) if (isPlainObject(sub)) existsFields(sub, out);
      continue;
    }
    if (k.startsWith("$")) continue;
    if (isOperatorObject(v) && (v as Doc).$exists === true) out.add(k);
  }
  return out;
}


/** Bounds longer than this could meet keys `fit` cut short, where key order is no longer exact. */
export const EXACT_BOUND_MAX = MAX_VALUE_KEY - 33;

/**
 * The key ranges of `ix` holding exactly the documents that match `filter`, one entry each, or
 * undefined when the index cannot say so without reading documents. Every top-level condition
 * must be one of: a scalar equality (`{f: v}`, `{f: {$eq: v}}`) on the index's leading fields; `$in`
 * of scalars, or a `$gt`/`$gte`/`$lt`/`$lte` range over dates, on the field after them;
 * or the very condition of the index's `partialFilterExpression` (the index holds exactly the
 * documents meeting it). Not for multikey indexes (a document has several entries there) nor
 * sparse ones. Ranges are dates only: long strings are cut short in keys, and NaN and Decimal128
 * sit in the numbers' bracket where their keys only approximate MongoDB's comparison.
 */
export function exactRanges(ix: IndexShape, filter: Doc): Range[] | undefined {
  if (ix.multikey || ix.spec.sparse === true) return undefined;
  const pfe = ix.spec.partialFilterExpression;
  const conds = Object.entries(filter);
  if (conds.some(([f]) => f.startsWith("$"))) return undefined;
  if (pfe && !impliesPartial(filter, equalityFields(filter), pfe)) return undefined;
  const byField = new Map(conds);
  const prefixValues: unknown[] = [];
  for (const f of ix.fields) {
    const v = scalarEquality(byField.get(f));
    if (v === undefined) break;
    prefixValues.push(v);
  }
  const prefix = compoundKeyOf(prefixValues);
  const used = new Set(ix.fields.slice(0, prefixValues.length));
  let ranges: Range[] = [[prefix, successor(prefix)]];
  const next = ix.fields[prefixValues.length];
  const cond = next === undefined ? undefined : byField.get(next);
  if (next !== undefined && isOperatorObject(cond)) {
    const ops = Object.keys(cond as Doc);
    const values = ops.length === 1 ? inValues(cond as Doc) : undefined;
    const range = ops.every((op) => RANGE_OPS.has(op)) && Object.values(cond as Doc).every(isValidDate) ? rangeBounds(cond as Doc, prefix, false) : undefined;
    if (values) ranges = values.map((v) => Buffer.concat([prefix, keyOf(v)])).map((lo): Range => [lo, successor(lo)]);
    else if (range) ranges = [range];
    if (values || range) used.add(next);
  }
  for (const [f, c] of conds) {
    if (used.has(f)) continue;
    if (pfe && f in pfe && canonicalKey(pfe[f]) === canonicalKey(c)) continue;
    return undefined;
  }
  // With no condition on the index's fields the range is the whole index (a partial one's members).
  return ranges.some(([lo, hi]) => lo.length > EXACT_BOUND_MAX || hi.length > EXACT_BOUND_MAX) ? undefined : ranges;
}

const RANGE_OPS = new Set(["$gt", "$gte", "$lt", "$lte"]);

function isValidDate(v: unknown): boolean {
  return v instanceof Date && !Number.isNaN(v.getTime());
}

/** The value of `{f: v}` or `{f: {$eq: v}}` when it is an indexable scalar, else undefined. */
export function scalarEquality(cond: unknown): unknown {
  const v = isOperatorObject(cond) ? (Object.keys(cond as Doc).length === 1 ? (cond as Doc).$eq : undefined) : cond;
  return isIndexableScalar(v) && !(v instanceof RegExp) ? v : undefined;
}
