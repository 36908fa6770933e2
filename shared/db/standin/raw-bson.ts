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
import { BSON_TYPE } from "../bson-types";
import { compileFilter, isPlainObject, projectionPlan, projectorOf, type Doc, type PathTree } from "./matching";

const DESERIALIZE = { validation: { utf8: false } } as const;

/** A find's result: BSON bytes, or a document the decoded path made. */
export type FoundDoc = Doc | Buffer;

/** What a byte-level step answers when the document must be decoded and take the decoded path. */
export const DECODE: unique symbol = Symbol("decode");

const { double: T_DOUBLE, string: T_STRING, document: T_DOC, array: T_ARRAY, boolean: T_BOOL, date: T_DATE, null: T_NULL, int32: T_INT32 } = BSON_TYPE;

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

/** FNV-1a over a field name's bytes, to look names up without making a string of each. */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** The hash of the name `nameEnd` last scanned (a module variable: no object per element). */
let nameHash = 0;

/** The position of the NUL ending the name that starts at `p` (before `end`), or -1; sets `nameHash`. */
function nameEnd(b: Buffer, p: number, end: number): number {
  let h = FNV_OFFSET;
  for (; p < end; p++) {
    const c = b[p]!;
    if (c === 0) {
      nameHash = h;
      return p;
    }
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  return -1;
}

/**
 * Field names looked up by their UTF-8 bytes as stored. Stored names come from JavaScript strings,
 * so they are valid UTF-8 and equal bytes mean equal names (bson decodes names as UTF-8).
 */
class Names<T> {
  private readonly byHash = new Map<number, Array<[Buffer, T]>>();
  constructor(entries: Iterable<[string, T]>) {
    for (const [name, v] of entries) {
      const bytes = Buffer.from(name, "utf8");
      nameEnd(Buffer.concat([bytes, Buffer.from([0])]), 0, bytes.length + 1);
      const list = this.byHash.get(nameHash);
      if (list) list.push([bytes, v]);
      else this.byHash.set(nameHash, [[bytes, v]]);
    }
  }
  /** The entry for the name in `b[from, to)` whose hash is `hash`. */
  get(b: Buffer, from: number, to: number, hash: number): T | undefined {
    const list = this.byHash.get(hash);
    if (!list) return undefined;
    // names are short: comparing here beats a native call
    next: for (const [bytes, v] of list) {
      if (bytes.length !== to - from) continue;
      for (let i = 0; i < bytes.length; i++) if (bytes[i] !== b[from + i]) continue next;
      return v;
    }
    return undefined;
  }
}

/** The position of the NUL ending the document at `start`, or -1 when its length does not fit. */
function docEnd(b: Buffer, start: number, limit: number): number {
  if (start + 5 > limit) return -1;
  const end = start + b.readInt32LE(start) - 1;
  return end < start + 4 || end >= limit || b[end] !== 0 ? -1 : end;
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
 * Reads the named top-level fields of a stored document, decoded (the fields it lacks stay
 * absent), or DECODE when the bytes cannot be walked. Enough for a filter that reads only these.
 */
export function topFieldsReader(fields: Iterable<string>): (bson: Buffer) => Doc | typeof DECODE {
  const names = new Names<string>([...fields].map((f) => [f, f]));
  return (b) => {
    const end = docEnd(b, 0, b.length);
    if (end < 0) return DECODE;
    const out: Doc = {};
    let p = 4;
    while (p < end) {
      const t = b[p]!;
      const nul = nameEnd(b, p + 1, end);
      if (nul < 0) return DECODE;
      const value = nul + 1;
      const size = valueSize(b, t, value);
      const next = value + size;
      if (size < 0 || next > end) return DECODE;
      const name = names.get(b, p + 1, nul, nameHash);
      if (name !== undefined) out[name] = decodeValue(b, t, name, p, value, next);
      p = next;
    }
    return p === end ? out : DECODE;
  };
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
  if (!plan) return undefined;
  if ("exclude" in plan) {
    const names = new Names<true>([...plan.exclude].map((f) => [f, true]));
    return (bson) => (start(bson), finish(copyFields(bson, names, false, 0)));
  }
  const tree = compileTree(plan.include);
  return (bson) => (start(bson), finish(copyFields(bson, tree, true, 0)));
}

/** An inclusion tree with its names compiled for lookup by bytes. */
type Tree = Names<Tree | true>;

function compileTree(t: PathTree): Tree {
  return new Names<Tree | true>(Object.keys(t).map((k) => [k, t[k] === true ? true : compileTree(t[k] as PathTree)]));
}

/**
 * A projection is written to `out` first, then copied out at its size: `scratch`, kept for the
 * next document, or for a document larger than it a buffer of its own (never longer than the
 * document: every element is kept whole or shortened).
 */
const scratch = Buffer.allocUnsafe(256 * 1024);
let out = scratch;

function start(bson: Buffer): void {
  out = bson.length <= scratch.length ? scratch : Buffer.allocUnsafe(bson.length);
}

function finish(end: number): Buffer | typeof DECODE {
  if (end < 0) return DECODE;
  return out === scratch ? Buffer.from(scratch.subarray(0, end)) : out.subarray(0, end);
}

/** Copies `b[from, to)` to `out` at `w` (short runs byte by byte: cheaper than a native call). */
function copyRun(b: Buffer, from: number, to: number, w: number): number {
  const n = to - from;
  if (n < 48) for (let i = 0; i < n; i++) out[w + i] = b[from + i]!;
  else b.copy(out, w, from, to);
  return w + n;
}

/**
 * Writes to `out` at `o` the part of the document at `start` that `names` keeps and answers
 * the offset after it, or -1 for DECODE. Inclusion (`include`), as `pick` in matching.ts: a leaf
 * keeps the element as it is, a scalar parent is left out, a sub-document parent is kept with what
 * it holds of the paths (maybe `{}`), an array parent (MongoDB projects into each element) goes to
 * the decoded path. Exclusion: every element but the named ones. A document with a `$` field
 * (bson may decode it as a DBRef, which the decoded path treats as a value) goes to the decoded
 * path too. Adjacent kept elements are copied as one run.
 */
function copyFields(b: Buffer, lookup: Names<Tree | true>, include: boolean, start: number, o = 0): number {
  const end = docEnd(b, start, b.length);
  if (end < 0) return -1;
  let w = o + 4;
  let runFrom = 0;
  let runTo = -1;
  let p = start + 4;
  while (p < end) {
    const t = b[p]!;
    if (b[p + 1] === 0x24) return -1; // a `$` field
    const nul = nameEnd(b, p + 1, end);
    if (nul < 0) return -1;
    const value = nul + 1;
    const size = valueSize(b, t, value);
    const next = value + size;
    if (size < 0 || next > end) return -1;
    const hit = lookup.get(b, p + 1, nul, nameHash);
    let whole = false;
    if (!include) whole = hit === undefined;
    else if (hit === true) whole = true;
    else if (hit !== undefined) {
      if (t === T_ARRAY) return -1;
      if (t === T_DOC) {
        if (runTo >= 0) w = copyRun(b, runFrom, runTo, w);
        runTo = -1;
        w = copyRun(b, p, value, w); // type and name
        w = copyFields(b, hit, true, value, w);
        if (w < 0) return -1;
      }
    }
    if (whole) {
      if (runTo !== p) {
        if (runTo >= 0) w = copyRun(b, runFrom, runTo, w);
        runFrom = p;
      }
      runTo = next;
    }
    p = next;
  }
  if (p !== end) return -1;
  if (runTo >= 0) w = copyRun(b, runFrom, runTo, w);
  out[w++] = 0;
  out.writeInt32LE(w - o, o);
  return w;
}

/**
 * Find without sort over stored documents (BSON): filter, skip and limit as they are read, then
 * the projection; the same results as `iterateFind` over the decoded documents, answered as bytes
 * when the filter and the projection allow it, else decoded.
 */
const NO_FIELDS: Doc = Object.freeze({});

export function* iterateFindStored(
  stored: Iterable<Buffer>,
  filter: Doc | undefined,
  opts: { projection?: Doc; skip?: number; limit?: number },
): Generator<FoundDoc> {
  const m = compileFilter(filter);
  const fields = filterTopFields(filter);
  const raw = fields ? rawProjection(opts.projection) : undefined;
  const readFields = fields && fields.size > 0 ? topFieldsReader(fields) : undefined;
  let toSkip = opts.skip ?? 0;
  const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
  const project = projectorOf(filter, opts.projection);
  let n = 0;
  for (const s of stored) {
    let doc: Doc | undefined;
    const part = raw ? (readFields ? readFields(s) : NO_FIELDS) : DECODE;
    if (part === DECODE) {
      doc = BSON.deserialize(s, DESERIALIZE);
      if (!m.test(doc)) continue;
    } else if (!m.test(part)) continue;
    if (toSkip > 0) {
      toSkip--;
      continue;
    }
    if (!doc) {
      const projected = raw!(s);
      yield projected === DECODE ? project!(BSON.deserialize(s, DESERIALIZE)) : projected;
    } else yield project ? project(doc) : doc;
    if (++n >= limit) return;
  }
}

/**
 * The stored documents that match `filter`, each decoded only as far as the filter and the
 * top-level `fields` need (all of it when the filter reads unknown fields): for counting, and for
 * `distinct`, which reads one path.
 */
export function* matchingParts(stored: Iterable<Buffer>, filter: Doc | undefined, fields: Iterable<string>): Generator<Doc> {
  const m = compileFilter(filter);
  const filterFields = filterTopFields(filter);
  const read = filterFields ? topFieldsReader([...filterFields, ...fields]) : undefined;
  for (const s of stored) {
    let part = read ? read(s) : DECODE;
    if (part === DECODE) part = BSON.deserialize(s, DESERIALIZE);
    if (m.test(part)) yield part;
  }
}
