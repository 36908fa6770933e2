/**
 * Query semantics, delegated to mingo: filter compilation, find-style projection, sort, and the
 * plain equalities in a filter (which feed index lookups and upsert seed documents). Pure.
 */
import type { Document } from "bson";
import { Query } from "mingo";
import type { Options } from "mingo/types";

export type Doc = Document;

/** A filter compiled once and tested per document. */
export interface Matcher {
  test(doc: Doc): boolean;
}

const MATCH_ALL: Matcher = { test: () => true };

export function compileFilter(filter: Doc | undefined, options?: Partial<Options>): Matcher {
  if (!filter || Object.keys(filter).length === 0) return MATCH_ALL;
  const q = new Query(filter, options ?? {});
  return { test: (doc) => q.test(doc) };
}

/** True for a plain embedded document (not an array, Date, RegExp or BSON value class). */
export function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  if (v instanceof Date || v instanceof RegExp || ArrayBuffer.isView(v)) return false;
  if ((v as { _bsontype?: string })._bsontype) return false;
  return true;
}

export function isOperatorObject(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  const first = Object.keys(v)[0];
  return first !== undefined && first.startsWith("$");
}

/**
 * Field paths the filter pins to one value with `{f: v}` or `{f: {$eq: v}}`, also inside `$and`.
 * RegExp literals are matches, not equalities, and are skipped.
 */
export function equalityFields(filter: Doc | undefined): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!filter) return out;
  for (const [k, v] of Object.entries(filter)) {
    if (k === "$and" && Array.isArray(v)) {
      for (const sub of v) for (const [sk, sv] of equalityFields(sub as Doc)) out.set(sk, sv);
      continue;
    }
    if (k.startsWith("$")) continue;
    if (v instanceof RegExp) continue;
    if (isOperatorObject(v)) {
      const ops = v as Doc;
      if ("$eq" in ops && !(ops.$eq instanceof RegExp)) out.set(k, ops.$eq);
      continue;
    }
    out.set(k, v);
  }
  return out;
}

/** A value usable as an index lookup key: scalar, not an array or embedded document. */
export function isIndexableScalar(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (Array.isArray(v) || v instanceof RegExp) return false;
  return !isPlainObject(v);
}

/** `{_id: {$in: [...]}}` values, for multi-get by primary key; undefined when not applicable. */
export function idInValues(filter: Doc | undefined): unknown[] | undefined {
  const v = filter?._id;
  if (!isOperatorObject(v)) return undefined;
  const ops = v as Doc;
  if (Object.keys(ops).length !== 1 || !Array.isArray(ops.$in)) return undefined;
  return ops.$in.every(isIndexableScalar) ? (ops.$in as unknown[]) : undefined;
}

/** Sets `value` at a dotted path, creating embedded documents on the way. */
export function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split(".");
  let cur: Doc = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i]!;
    if (!isPlainObject(cur[p])) cur[p] = {};
    cur = cur[p] as Doc;
  }
  cur[parts[parts.length - 1]!] = value;
}

/** Find with projection, sort, skip and limit over candidate documents (mingo's cursor). */
export function runFind(
  candidates: Doc[],
  filter: Doc | undefined,
  opts: { projection?: Doc; sort?: Doc; skip?: number; limit?: number },
  queryOptions?: Partial<Options>,
): Doc[] {
  const hasProjection = opts.projection && Object.keys(opts.projection).length > 0;
  const hasSort = opts.sort && Object.keys(opts.sort).length > 0;
  if (!hasProjection && !hasSort) {
    // Fast path: skip/limit without building a mingo cursor.
    const m = compileFilter(filter, queryOptions);
    const out: Doc[] = [];
    let toSkip = opts.skip ?? 0;
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    for (const d of candidates) {
      if (!m.test(d)) continue;
      if (toSkip > 0) {
        toSkip--;
        continue;
      }
      out.push(d);
      if (out.length >= limit) break;
    }
    return out;
  }
  const q = new Query(filter ?? {}, queryOptions ?? {});
  let cursor = q.find<Doc>(candidates, hasProjection ? opts.projection : undefined);
  if (hasSort) cursor = cursor.sort(opts.sort as Record<string, 1 | -1>);
  if (opts.skip) cursor = cursor.skip(opts.skip);
  if (opts.limit && opts.limit > 0) cursor = cursor.limit(opts.limit);
  return cursor.all();
}
