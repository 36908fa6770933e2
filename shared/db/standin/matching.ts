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
  if (!options) {
    const simple = compileSimple(filter);
    if (simple) return simple;
  }
  const q = new Query(filter, options ?? {});
  return { test: (doc) => q.test(doc) };
}

/** Outcome of a simple predicate on one document: no, yes, or "ask mingo" (a type it does not handle). */
const NO = 0;
const YES = 1;
const DEFER = 2;
type Tri = 0 | 1 | 2;
type Pred = (v: unknown) => Tri;

/** Scalars the simple matcher compares itself; anything else (Long, Decimal128, ...) goes to mingo. */
function simpleKind(v: unknown): "number" | "string" | "boolean" | "date" | "oid" | "null" | undefined {
  if (v === null || v === undefined) return "null";
  switch (typeof v) {
    case "number":
      return "number";
    case "string":
      return "string";
    case "boolean":
      return "boolean";
  }
  if (v instanceof Date) return "date";
  if ((v as { _bsontype?: string })._bsontype === "ObjectId") return "oid";
  return undefined;
}

/** Equality of a stored scalar with a query scalar of kind `kind` under MongoDB's rules. */
function scalarEq(v: unknown, q: unknown, kind: string): Tri {
  if (v === null || v === undefined) return kind === "null" ? YES : NO;
  if (Array.isArray(v)) return DEFER;
  switch (typeof v) {
    case "number":
      return kind === "number" ? (v === q || (Number.isNaN(v) && Number.isNaN(q as number)) ? YES : NO) : NO;
    case "string":
    case "boolean":
      return v === q ? YES : NO;
  }
  if (v instanceof Date) return kind === "date" && v.getTime() === (q as Date).getTime() ? YES : NO;
  const t = (v as { _bsontype?: string })._bsontype;
  if (t === "ObjectId") return kind === "oid" && (v as { toHexString(): string }).toHexString() === (q as { toHexString(): string }).toHexString() ? YES : NO;
  if (t !== undefined || !isPlainObject(v)) return DEFER; // other BSON classes, binary, regexes
  return NO; // an embedded document never equals a scalar
}

/** Matches `pred` against a value or, for an array, any of its elements (MongoDB's implicit array traversal). */
function anyOf(v: unknown, pred: (x: unknown) => Tri): Tri {
  if (!Array.isArray(v)) return pred(v);
  let out: Tri = NO;
  for (const el of v) {
    if (Array.isArray(el)) return DEFER;
    const r = pred(el);
    if (r === YES) return YES;
    if (r === DEFER) out = DEFER;
  }
  return out;
}

function eqPred(q: unknown): Pred | undefined {
  const kind = simpleKind(q);
  if (!kind) return undefined;
  return (v) => {
    if (kind === "null" && Array.isArray(v)) {
      for (const el of v) if (el === null) return YES;
      return DEFER;
    }
    return anyOf(v, (x) => scalarEq(x, q, kind));
  };
}

function cmpPred(op: string, q: unknown): Pred | undefined {
  const kind = simpleKind(q);
  if (kind !== "number" && kind !== "string" && kind !== "date") return undefined;
  if (kind === "number" && Number.isNaN(q)) return undefined;
  const qv = kind === "date" ? (q as Date).getTime() : (q as number | string);
  const test = (a: number | string): boolean =>
    op === "$lt" ? a < qv : op === "$lte" ? a <= qv : op === "$gt" ? a > qv : a >= qv;
  return (v) =>
    anyOf(v, (x) => {
      if (x === null || x === undefined) return NO;
      switch (typeof x) {
        case "number":
          return kind === "number" ? (Number.isNaN(x) ? DEFER : test(x) ? YES : NO) : NO;
        case "string":
          return kind === "string" ? (test(x) ? YES : NO) : NO;
        case "boolean":
          return NO;
      }
      if (x instanceof Date) return kind === "date" ? (test(x.getTime()) ? YES : NO) : NO;
      if ((x as { _bsontype?: string })._bsontype === "ObjectId") return NO;
      return DEFER;
    });
}

/**
 * A mingo-free matcher for the common flat filters (`{_id: 1, f: "x", g: {$lt: 5}}`): top-level,
 * undotted fields with scalar equality, `$eq`, `$ne`, `$lt`/`$lte`/`$gt`/`$gte` on numbers, strings
 * and dates, and `$exists: <boolean>`. Returns undefined for anything else; per document, any value
 * it does not understand (e.g. a Long or a nested array) defers to the full mingo matcher.
 */
function compileSimple(filter: Doc): Matcher | undefined {
  const preds: Array<[string, Pred]> = [];
  for (const [f, cond] of Object.entries(filter)) {
    if (f.startsWith("$") || f.includes(".") || f === "" || f in Object.prototype) return undefined;
    if (isOperatorObject(cond)) {
      for (const [op, q] of Object.entries(cond as Doc)) {
        let p: Pred | undefined;
        if (op === "$eq") p = eqPred(q);
        else if (op === "$ne") {
          const e = eqPred(q);
          if (e) p = (v) => { const r = e(v); return r === DEFER ? DEFER : r === YES ? NO : YES; };
        } else if (op === "$lt" || op === "$lte" || op === "$gt" || op === "$gte") p = cmpPred(op, q);
        else if (op === "$exists" && typeof q === "boolean") p = (v) => ((v !== undefined) === q ? YES : NO);
        if (!p) return undefined;
        preds.push([f, p]);
      }
      continue;
    }
    if (isPlainObject(cond)) return undefined; // embedded-document equality
    const p = eqPred(cond);
    if (!p) return undefined;
    preds.push([f, p]);
  }
  let full: Query | undefined;
  return {
    test(doc) {
      for (let i = 0; i < preds.length; i++) {
        const [f, p] = preds[i]!;
        const r = p(doc[f]);
        if (r === NO) return false;
        if (r === DEFER) return (full ??= new Query(filter, {})).test(doc);
      }
      return true;
    },
  };
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
  candidates: Iterable<Doc>,
  filter: Doc | undefined,
  opts: { projection?: Doc; sort?: Doc; skip?: number; limit?: number },
  queryOptions?: Partial<Options>,
): Doc[] {
  const hasProjection = opts.projection && Object.keys(opts.projection).length > 0;
  const hasSort = opts.sort && Object.keys(opts.sort).length > 0;
  if (!hasSort) {
    // Fast path: filter, skip and limit lazily (stopping at the limit), then project only the result.
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
    if (!hasProjection) return out;
    const simple = simpleProjection(opts.projection!);
    if (simple) return out.map(simple);
    // The filter is re-applied by mingo so that positional (`a.$`) projections see it.
    return new Query(filter ?? {}, queryOptions ?? {}).find<Doc>(out, opts.projection).all();
  }
  const q = new Query(filter ?? {}, queryOptions ?? {});
  let cursor = q.find<Doc>(Array.isArray(candidates) ? candidates : [...candidates], hasProjection ? opts.projection : undefined);
  if (hasSort) cursor = cursor.sort(opts.sort as Record<string, 1 | -1>);
  if (opts.skip) cursor = cursor.skip(opts.skip);
  if (opts.limit && opts.limit > 0) cursor = cursor.limit(opts.limit);
  return cursor.all();
}

/**
 * What projects one decoded document for a find: the mingo-free fast path where it applies, else
 * mingo (which sees the filter, for positional projections); undefined for no projection.
 */
export function projectorOf(filter: Doc | undefined, projection: Doc | undefined): ((doc: Doc) => Doc) | undefined {
  if (!projection || Object.keys(projection).length === 0) return undefined;
  return simpleProjection(projection) ?? ((d: Doc) => new Query(filter ?? {}, {}).find<Doc>([d], projection).all()[0]!);
}

/**
 * Find without sort, lazily: filter, skip and limit as the candidates are read (so a cursor over
 * a large collection holds one batch at a time), projecting each result. With a sort the whole
 * candidate set is needed: see runFind. The definition `find` over stored bytes
 * (raw-bson.ts `iterateFindStored`) is tested against.
 */
export function* iterateFind(
  candidates: Iterable<Doc>,
  filter: Doc | undefined,
  opts: { projection?: Doc; skip?: number; limit?: number },
): Generator<Doc> {
  const m = compileFilter(filter);
  let toSkip = opts.skip ?? 0;
  const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
  const project = projectorOf(filter, opts.projection);
  let n = 0;
  for (const d of candidates) {
    if (!m.test(d)) continue;
    if (toSkip > 0) {
      toSkip--;
      continue;
    }
    yield project ? project(d) : d;
    if (++n >= limit) return;
  }
}

/**
 * A mingo-free projection for the common `{a: 1, b: 1}` / `{_id: 0, a: 1}` / `{a: 0}` shapes and
 * inclusions of dotted paths (values 0/1/true/false only). Output keeps the document's field
 * order, as the server does. Undefined for anything else (`$slice`, `$elemMatch`, `a.$`, ...).
 */
export function simpleProjection(proj: Doc): ((doc: Doc) => Doc) | undefined {
  const plan = projectionPlan(proj);
  if (!plan) return undefined;
  if ("exclude" in plan) return (doc) => omit(doc, plan.exclude);
  const tree = plan.include;
  return (doc) => {
    const out = pick(doc, tree);
    return out === FALLBACK ? new Query({}).find<Doc>([doc], proj).all()[0]! : out;
  };
}

/**
 * The fields an inclusion keeps, as a tree of path segments (a leaf keeps the whole value).
 * Prototype-less, so a stored field named `constructor` or `toString` is not taken for a path.
 */
export type PathTree = { [key: string]: PathTree | true };

/**
 * What a projection the fast paths understand keeps: an inclusion tree or a set of top-level
 * fields to leave out. The one definition behind `simpleProjection` (decoded documents) and the
 * byte-level projection of raw-bson.ts. Undefined for anything else (mingo's projection).
 */
export type ProjectionPlan = { include: PathTree } | { exclude: Set<string> };

export function projectionPlan(proj: Doc): ProjectionPlan | undefined {
  return flatPlan(proj) ?? dottedInclusion(proj);
}

/**
 * Inclusion of dotted paths (`{"h.0.n": 1, family: 1}`) through plain sub-documents, as trend
 * queries project rollup slots. A parent that is a sub-document but holds none of the paths
 * stays as `{}` (as MongoDB returns it); a scalar parent is left out. An array on a path falls
 * back to mingo (MongoDB projects into each element).
 */
function dottedInclusion(proj: Doc): ProjectionPlan | undefined {
  const tree: PathTree = Object.create(null);
  let keepId = true;
  for (const [k, v] of Object.entries(proj)) {
    if (k === "_id" && (v === 0 || v === false)) {
      keepId = false;
      continue;
    }
    if (v !== 1 && v !== true) return undefined;
    const parts = k.split(".");
    if (parts.some((p) => p === "" || p.startsWith("$"))) return undefined;
    let node = tree;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (i === parts.length - 1) node[part] = true;
      else {
        const next = node[part];
        if (next === true) break; // a shorter path already includes the whole value
        node = (node[part] = next ?? Object.create(null)) as PathTree;
      }
    }
  }
  if (keepId && !("_id" in tree)) tree._id = true;
  return { include: tree };
}

/** What `pick` answers when the fast path cannot project the document (a path through an array). */
const FALLBACK: unique symbol = Symbol("fallback");

function pick(doc: Doc, tree: PathTree): Doc | typeof FALLBACK {
  const out: Doc = {};
  for (const k in doc) {
    const t = tree[k];
    if (t === undefined) continue;
    const v = doc[k];
    if (t === true) out[k] = v;
    else if (Array.isArray(v)) return FALLBACK;
    else if (isPlainObject(v)) {
      const sub = pick(v, t);
      if (sub === FALLBACK) return FALLBACK;
      out[k] = sub;
    }
  }
  return out;
}

/** Top-level fields only, all included or all excluded (`_id` either way). */
function flatPlan(proj: Doc): ProjectionPlan | undefined {
  let include: boolean | undefined;
  let keepId = true;
  const fields = new Set<string>();
  for (const [k, v] of Object.entries(proj)) {
    if (k === "" || k.startsWith("$") || k.includes(".") || k.includes("$")) return undefined;
    let on: boolean;
    if (v === 1 || v === true) on = true;
    else if (v === 0 || v === false) on = false;
    else return undefined;
    if (k === "_id") {
      keepId = on;
      continue;
    }
    if (include === undefined) include = on;
    else if (include !== on) return undefined; // mixing is an error the full path reports
    fields.add(k);
  }
  // only `_id` given: `{_id: 0}` excludes it, `{_id: 1}` keeps just `_id`
  if (include === undefined) return keepId ? { include: leaves(["_id"]) } : { exclude: new Set(["_id"]) };
  if (!include) {
    if (!keepId) fields.add("_id");
    return { exclude: fields };
  }
  if (keepId) fields.add("_id");
  return { include: leaves(fields) };
}

function leaves(fields: Iterable<string>): PathTree {
  const tree: PathTree = Object.create(null);
  for (const f of fields) tree[f] = true;
  return tree;
}

function omit(doc: Doc, fields: Set<string>): Doc {
  const out: Doc = {};
  for (const k in doc) if (!fields.has(k)) out[k] = doc[k];
  return out;
}
