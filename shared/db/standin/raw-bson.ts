/**
 * Answering a find from the stored BSON bytes, without decoding whole documents and encoding them
 * again: only the top-level fields the filter reads are decoded (into a small object the usual
 * matcher tests), and a projection copies the bytes of the elements it keeps. A document with no
 * projection goes out as stored. This is a fast path beside the definition (`iterateFind` in
 * matching.ts: decode, `compileFilter`, `simpleProjection`); whatever it does not handle (a filter
 * with `$expr` or `$where`, a projection mingo must do, an array on a projected path, a
 * sub-document that could be a DBRef) decodes that document and takes the definition's path.
 * It saves the decoding of the fields nobody reads and the garbage of their objects. Pure.
 */
import { BSON } from "bson";
import { compileFilter, isPlainObject, projectionPlan, simpleProjection, type Doc, type PathTree, type ProjectionPlan } from "./matching";
import { Query } from "mingo";

const DESERIALIZE = { validation: { utf8: false } } as const;

/** A stored document: decoded (from the cache) or its BSON bytes. */
export type Stored = Doc | Buffer;

/** What a byte-level step answers when the document must be decoded and take the decoded path. */
export const DECODE: unique symbol = Symbol("decode");

const T_DOUBLE = 0x01;
const T_STRING = 0x02;
const T_DOC = 0x03;
const T_ARRAY = 0x04;
const T_BOOL = 0x08;
const T_DATE = 0x09;
const T_NULL = 0x0a;
const T_INT32 = 0x10;

/** Bytes the value of an element of type `t` at `p` takes, or -1 for a type this walker does not know. */
function valueSize(b: Buffer, t: number, p: number): number {
  switch (t) {
    case 0x01: // double
    case 0x09: // date
    case 0x11: // timestamp
    case 0x12: // int64
      return 8;
    case 0x02: // string
    case 0x0d: // code
    case 0x0e: // symbol
      return 4 + b.readInt32LE(p);
    case 0x03: // document
    case 0x04: // array
    case 0x0f: // code with scope
      return b.readInt32LE(p);
    case 0x05: // binary: length, subtype, bytes
      return 5 + b.readInt32LE(p);
    case 0x06: // undefined
    case 0x0a: // null
    case 0xff: // min key
    case 0x7f: // max key
      return 0;
    case 0x07: // ObjectId
      return 12;
    case 0x08: // boolean
      return 1;
    case 0x0b: {
      // regular expression: pattern and options, two C strings
      const q = b.indexOf(0, b.indexOf(0, p) + 1);
      return q < 0 ? -1 : q + 1 - p;
    }
    case 0x0c: // DBPointer: string and ObjectId
      return 4 + b.readInt32LE(p) + 12;
    case 0x10: // int32
      return 4;
    case 0x13: // decimal128
      return 16;
    default:
      return -1;
  }
}

/**
 * Walks the elements of the document starting at `start`, calling `visit(type, name, elementStart,
 * valueStart, next)` for each; false when the bytes are not a document this walker can read.
 * `visit` returns false to stop early (the walk then answers true).
 */
function walk(b: Buffer, start: number, visit: (t: number, name: string, at: number, value: number, next: number) => boolean): boolean {
  if (start + 5 > b.length) return false;
  const end = start + b.readInt32LE(start) - 1; // the terminating 0
  if (end < start + 4 || end >= b.length || b[end] !== 0) return false;
  let p = start + 4;
  while (p < end) {
    const t = b[p]!;
    const nul = b.indexOf(0, p + 1);
    if (nul < 0 || nul >= end) return false;
    const value = nul + 1;
    const size = valueSize(b, t, value);
    const next = value + size;
    if (size < 0 || next > end) return false;
    if (!visit(t, b.toString("utf8", p + 1, nul), p, value, next)) return true;
    p = next;
  }
  return p === end;
}

/**
 * The top-level fields a filter reads (the first segment of each path, also inside `$and`,
 * `$or` and `$nor`), or undefined when its outcome may depend on others (`$expr`, `$where`,
 * `$jsonSchema`, ...). Every field condition reads only the value at its own path.
 */
export function filterTopFields(filter: Doc | undefined): Set<string> | undefined {
  const out = new Set<string>();
  return collectFields(filter ?? {}, out) ? out : undefined;
}

function collectFields(filter: Doc, out: Set<string>): boolean {
  for (const [k, v] of Object.entries(filter)) {
    if (k === "$and" || k === "$or" || k === "$nor") {
      if (!Array.isArray(v)) return false;
      for (const sub of v) if (!isPlainObject(sub) || !collectFields(sub, out)) return false;
      continue;
    }
    if (k === "$comment") continue;
    if (k.startsWith("$")) return false;
    const top = k.split(".")[0]!;
    if (top === "__proto__") return false;
    out.add(top);
  }
  return true;
}

/** The value of the element at `at` (value at `value`, ending at `next`), as bson decodes it. */
function decodeValue(b: Buffer, t: number, name: string, at: number, value: number, next: number): unknown {
  switch (t) {
    case T_DOUBLE:
      return b.readDoubleLE(value);
    case T_STRING:
      return b.toString("utf8", value + 4, next - 1);
    case T_INT32:
      return b.readInt32LE(value);
    case T_NULL:
      return null;
    case T_DATE:
      // as bson: Long#toNumber of the two halves
      return new Date(b.readInt32LE(value + 4) * 4294967296 + b.readUInt32LE(value));
    case T_BOOL:
      if (b[value] === 0 || b[value] === 1) return b[value] === 1;
      break;
    case T_DOC:
      return BSON.deserialize(b.subarray(value, next), DESERIALIZE);
  }
  // anything else: bson decodes a one-element document holding just this element
  const size = 4 + (next - at) + 1;
  const one = Buffer.allocUnsafe(size);
  one.writeInt32LE(size, 0);
  b.copy(one, 4, at, next);
  one[size - 1] = 0;
  return BSON.deserialize(one, DESERIALIZE)[name];
}

/**
 * The named top-level fields of a stored document, decoded (the fields it lacks stay absent), or
 * DECODE when the bytes cannot be walked. Enough for a filter that reads only these fields.
 */
export function topFields(bson: Buffer, fields: ReadonlySet<string>): Doc | typeof DECODE {
  const out: Doc = {};
  let left = fields.size;
  const ok = walk(bson, 0, (t, name, at, value, next) => {
    if (!fields.has(name)) return true;
    out[name] = decodeValue(bson, t, name, at, value, next);
    return --left > 0;
  });
  return ok ? out : DECODE;
}

/** Projects stored BSON to BSON, or answers DECODE for a document the byte path cannot project. */
export type RawProjection = (bson: Buffer) => Buffer | typeof DECODE;

/**
 * A byte-level projection with exactly `simpleProjection`'s meaning (the same `projectionPlan`),
 * or undefined for projections only mingo does. An empty projection keeps the stored bytes.
 */
export function rawProjection(proj: Doc | undefined): RawProjection | undefined {
  if (!proj || Object.keys(proj).length === 0) return (bson) => bson;
  const plan = projectionPlan(proj);
  return plan ? (bson) => project(bson, plan) : undefined;
}

function project(bson: Buffer, plan: ProjectionPlan): Buffer | typeof DECODE {
  // The projection is never longer than the document: every element is kept whole or shortened.
  const out = Buffer.allocUnsafe(bson.length);
  const end = "exclude" in plan ? exclude(bson, plan.exclude, out) : include(bson, 0, plan.include, out, 0);
  return end < 0 ? DECODE : out.subarray(0, end);
}

function exclude(b: Buffer, fields: ReadonlySet<string>, out: Buffer): number {
  let w = 4;
  const ok = walk(b, 0, (_t, name, at, _value, next) => {
    if (!fields.has(name)) w += b.copy(out, w, at, next);
    return true;
  });
  if (!ok) return -1;
  out[w++] = 0;
  out.writeInt32LE(w, 0);
  return w;
}

/**
 * Writes the part of the document at `start` that `tree` keeps to `out` at `o`; the offset after
 * it, or -1 for DECODE. As `pick` in matching.ts: a leaf keeps the element as it is, a scalar
 * parent is left out, a sub-document parent is kept with what it holds of the paths (maybe
 * `{}`), an array parent (MongoDB projects into each element) and a sub-document with `$`
 * fields (bson may decode it as a DBRef) go to the decoded path.
 */
function include(b: Buffer, start: number, tree: PathTree, out: Buffer, o: number): number {
  let w = o + 4;
  let fail = false;
  const ok = walk(b, start, (t, name, at, value, next) => {
    const node = tree[name];
    if (node === undefined) return true;
    if (node === true) {
      w += b.copy(out, w, at, next);
      return true;
    }
    if (t === T_ARRAY || (t === T_DOC && hasDollarField(b, value))) {
      fail = true;
      return false;
    }
    if (t !== T_DOC) return true;
    w += b.copy(out, w, at, value); // type and name
    w = include(b, value, node, out, w);
    if (w < 0) fail = true;
    return !fail;
  });
  if (!ok || fail) return -1;
  out[w++] = 0;
  out.writeInt32LE(w - o, o);
  return w;
}

function hasDollarField(b: Buffer, start: number): boolean {
  let found = false;
  const ok = walk(b, start, (_t, name) => {
    found = name.startsWith("$");
    return !found;
  });
  return found || !ok;
}

/**
 * Find without sort over stored documents: filter, skip and limit as they are read, then the
 * projection; the same results as `iterateFind` over the decoded documents, but a document read
 * as bytes (`Buffer`) is answered as bytes when the filter and the projection allow it.
 */
const NO_FIELDS: Doc = Object.freeze({});

export function* iterateFindStored(
  stored: Iterable<Stored>,
  filter: Doc | undefined,
  opts: { projection?: Doc; skip?: number; limit?: number },
): Generator<Stored> {
  const m = compileFilter(filter);
  const fields = filterTopFields(filter);
  const raw = fields ? rawProjection(opts.projection) : undefined;
  let toSkip = opts.skip ?? 0;
  const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
  const hasProjection = opts.projection && Object.keys(opts.projection).length > 0;
  const project = hasProjection
    ? (simpleProjection(opts.projection!) ?? ((d: Doc) => new Query(filter ?? {}, {}).find<Doc>([d], opts.projection).all()[0]!))
    : undefined;
  let n = 0;
  for (const s of stored) {
    let doc: Doc | undefined;
    if (Buffer.isBuffer(s)) {
      const part = raw ? (fields!.size > 0 ? topFields(s, fields!) : NO_FIELDS) : DECODE;
      if (part === DECODE) doc = BSON.deserialize(s, DESERIALIZE);
      else if (!m.test(part)) continue;
    } else doc = s;
    if (doc && !m.test(doc)) continue;
    if (toSkip > 0) {
      toSkip--;
      continue;
    }
    if (!doc) {
      const out = raw!(s as Buffer);
      yield out === DECODE ? project!(BSON.deserialize(s as Buffer, DESERIALIZE)) : out;
    } else yield project ? project(doc) : doc;
    if (++n >= limit) return;
  }
}
