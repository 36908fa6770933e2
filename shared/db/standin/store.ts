/**
 * Databases, collections and indexes over the storage engine (engine.ts, LMDB). Documents are
 * stored as BSON with a CRC-32 and read back lazily, page by page, so a collection may be larger
 * than memory; a bounded cache keeps recently used documents decoded. Secondary indexes are
 * entries of order-preserving binary keys (key-bytes.ts), so equality, `$in`, prefix and range
 * conditions on indexed fields are range reads of LMDB's B+tree. Unique indexes are checked by
 * probing those entries. Every change runs inside the write transaction the server opens for the
 * commands of one event-loop turn, committed (on disk) before any of them is answered.
 */
import { BSON, ObjectId } from "bson";
import { Engine, type EngineOptions, type Subdbs } from "./engine";
import { CommandError } from "./errors";
import { canonicalKey, duplicateKeyMessage, indexKeysOf, valuesAtPath } from "./index-keys";
import { checksum, checksumHolds, compoundKeyOf, keyOf, successor, valueKeyLength } from "./key-bytes";
import { candidatePlan, EXACT_BOUND_MAX, exactRanges, fit, impliesPartial, inValues, rangeBounds, scalarEquality, sortFieldsFollow, type Range, type SkipScan } from "./index-ranges";
import {
  compileFilter,
  equalityFields,
  idInValues,
  isIndexableScalar,
  isOperatorObject,
  type Doc,
  type Matcher,
} from "./matching";
import { DECODE, matchingParts, topFieldsReader } from "./raw-bson";
import { idFirst } from "./updating";

export interface IndexSpec {
  name: string;
  key: Doc;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  expireAfterSeconds?: number;
}

const DESERIALIZE = { validation: { utf8: false } } as const;

function toBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

function serialize(doc: Doc): Buffer {
  return toBuffer(BSON.serialize(doc, { ignoreUndefined: true }));
}

function u32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n);
  return b;
}

function u64(n: number): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

const EMPTY = Buffer.alloc(0);

/**
 * The entries with keys in [lo, hi), forwards or backwards, read in pages that grow from
 * FIRST_PAGE. Each page is read whole before any of it is handed out: an LMDB cursor must not
 * outlive the transaction it was opened in, and a consumer may resume in a later one.
 */
function* rangeRows(db: Subdbs["docs"], lo: Buffer, hi: Buffer, reverse: boolean, keysOnly: boolean): Generator<{ key: Buffer; value?: Buffer }> {
  let page = FIRST_PAGE;
  let start = reverse ? hi : lo;
  let skip: Buffer | undefined;
  for (;;) {
    const opts = reverse ? { start, end: lo, reverse: true, limit: page } : { start, end: hi, limit: page };
    const rows: Array<{ key: Buffer; value?: Buffer }> = keysOnly ? Array.from(db.getKeys(opts), (key) => ({ key })) : Array.from(db.getRange(opts));
    let n = 0;
    for (const r of rows) {
      // backwards, `start` is inclusive: the key a page resumes from was already handed out,
      // and `hi` itself is outside the range
      if (reverse && ((skip && r.key.equals(skip)) || Buffer.compare(r.key, hi) >= 0)) continue;
      n++;
      yield r;
    }
    if (rows.length < page) return;
    const last = rows[rows.length - 1]!.key;
    if (reverse) {
      start = last;
      skip = last;
    } else start = after(last);
    if (n === 0 && !reverse) return;
    page = Math.min(page * 4, MAX_PAGE);
  }
}

/** The first byte string after `k` (for resuming a scan just after the last key read). */
function after(k: Buffer): Buffer {
  return Buffer.concat([k, ZERO]);
}
const ZERO = Buffer.from([0]);
/** Eight 0xff bytes: above every record id. */
const KEY_MAX8 = Buffer.alloc(8, 0xff);

function withChecksum(bson: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bson.length + 4);
  out.writeUInt32BE(checksum(bson), 0);
  bson.copy(out, 4);
  return out;
}

function ixEntryKey(ix: { id: number }, key: Buffer, rid: number): Buffer {
  return Buffer.concat([u32(ix.id), key, u64(rid)]);
}

/** One entry a document contributes to an index: the canonical string (to compare versions), the engine key, and `keyValue` for E11000. */
interface Entry {
  canon: string;
  key: Buffer;
  keyValue: Doc;
}


class Index {
  readonly fields: string[];
  readonly partial: Matcher | undefined;
  /** Top-level fields the entries of a document depend on; undefined when not known. */
  readonly topFields: string[] | undefined;

  constructor(
    readonly id: number,
    readonly spec: IndexSpec,
    /** some document gave more than one entry (an array): ranges on two sides are not intersected */
    public multikey: boolean,
    /**
     * Being built (`Collection.startIndexBuild`): writes keep its entries, queries do not use it
     * and listIndexes does not show it. Kept in the catalog, so a build cut short by a restart is
     * taken up again by the next createIndexes of the same index.
     */
    public building = false,
  ) {
    this.fields = Object.keys(spec.key);
    this.partial = spec.partialFilterExpression ? compileFilter(spec.partialFilterExpression) : undefined;
    const pfeFields = spec.partialFilterExpression ? Object.keys(spec.partialFilterExpression) : [];
    const tops = [...this.fields, ...pfeFields].map((f) => f.split(".")[0]!);
    this.topFields = tops.some((f) => f.startsWith("$")) ? undefined : [...new Set(tops)];
  }

  /**
   * True when `b`'s entries are certainly `a`'s: every top-level field the index (and its partial
   * filter) reads is the very same value. Updates share unchanged values with the old version.
   */
  unchangedBetween(a: Doc, b: Doc): boolean {
    if (!this.topFields) return false;
    for (const f of this.topFields) if (a[f] !== b[f] || (a[f] === undefined && (f in a) !== (f in b))) return false;
    return true;
  }

  entriesOf(doc: Doc): Entry[] {
    if (this.partial && !this.partial.test(doc)) return [];
    return indexKeysOf(doc, this.fields, this.spec.sparse === true).map((e) => ({
      canon: e.key,
      key: fit(compoundKeyOf(this.fields.map((f) => e.keyValue[f]))),
      keyValue: e.keyValue,
    }));
  }
}

function sameEntries(a: Entry[], b: Entry[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.canon !== b[i]!.canon) return false;
  return true;
}

export function duplicateKeyError(ns: string, spec: IndexSpec, keyValue: Doc): CommandError {
  return new CommandError("DuplicateKey", duplicateKeyMessage(ns, spec.name, keyValue), {
    keyPattern: spec.key,
    keyValue,
  });
}

const ID_INDEX: IndexSpec = { name: "_id_", key: { _id: 1 } };

/** Documents of a scan are read in pages that grow from this size, so `limit 1` reads little. */
const FIRST_PAGE = 16;
const MAX_PAGE = 512;
/** A skip scan steps over at most this many values before the plain prefix scan is used. */
const MAX_SKIPPED_VALUES = 10_000;
/** Plans are compared by their entry counts, counted up to this many. */
const COUNT_CAP = 1_000;

/**
 * Reads a candidate by record id; `raw` is its stored value (CRC-32 + BSON) when the scan already
 * has it. Undefined when the record is gone.
 */
type Reader<T> = (rid: number, raw: Buffer | undefined) => T | undefined;

/**
 * A bounded cache of decoded documents by `collection id:record id` (sized by BSON bytes), in two
 * generations: entries go to the young one; when it is full it becomes the old one and the former
 * old one is dropped; a hit in the old one moves back to the young one. Every operation is O(1)
 * (an LRU over one Map that deletes its oldest entry on every insert slowed inserts five-fold once
 * it was full).
 */
class DocCache {
  private young = new Map<string, { doc: Doc; bytes: number }>();
  private old = new Map<string, { doc: Doc; bytes: number }>();
  private youngBytes = 0;
  constructor(private readonly maxBytes: number) {}
  get(key: string): Doc | undefined {
    const y = this.young.get(key);
    if (y) return y.doc;
    const o = this.old.get(key);
    if (!o) return undefined;
    this.old.delete(key);
    this.put(key, o);
    return o.doc;
  }
  set(key: string, doc: Doc, bytes: number): void {
    this.delete(key);
    if (bytes > this.maxBytes / 8) return;
    this.put(key, { doc, bytes });
  }
  private put(key: string, e: { doc: Doc; bytes: number }): void {
    if (this.youngBytes + e.bytes > this.maxBytes / 2) {
      this.old = this.young;
      this.young = new Map();
      this.youngBytes = 0;
    }
    this.young.set(key, e);
    this.youngBytes += e.bytes;
  }
  delete(key: string): void {
    const y = this.young.get(key);
    if (y) {
      this.young.delete(key);
      this.youngBytes -= y.bytes;
    }
    this.old.delete(key);
  }
  clear(): void {
    this.young.clear();
    this.old.clear();
    this.youngBytes = 0;
  }
}

/** The record id of every document object this store handed out (documents are never mutated). */
const ridOf = new WeakMap<Doc, number>();

/** An index build in progress: the record id its scan of the collection continues from. */
export interface IndexBuild {
  readonly ix: Index;
  nextRid: number;
}

/** Documents an index build reads per step (one step per group commit when the server drives it). */
export const BUILD_STEP_DOCS = 5_000;

export class Collection {
  /** the indexes queries use */
  readonly indexes = new Map<string, Index>();
  /** indexes being built: kept up to date by writes, not used by queries */
  readonly building = new Map<string, Index>();
  /** next record id; loaded from the last stored one on first insert */
  private nextRid: number | undefined;
  private readonly prefix: Buffer;

  constructor(
    private readonly store: Store,
    readonly id: number,
    public db: string,
    public name: string,
    readonly options: Doc = {},
  ) {
    this.prefix = u32(id);
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get size(): number {
    return this.store.countOf(this);
  }

  private get t(): Subdbs {
    return this.store.engine.db;
  }

  /** @internal key of a document in `docs` */
  docKey(rid: number): Buffer {
    return Buffer.concat([this.prefix, u64(rid)]);
  }

  private idKey(id: unknown): Buffer {
    return Buffer.concat([this.prefix, fit(keyOf(id))]);
  }

  private cacheKey(rid: number): string {
    return `${this.id}:${rid}`;
  }

  private allocRid(): number {
    if (this.nextRid === undefined) {
      const last = Array.from(this.t.docs.getKeys({ start: Buffer.concat([this.prefix, KEY_MAX8]), end: this.prefix, reverse: true, limit: 1 }))[0];
      this.nextRid = last ? Number(last.readBigUInt64BE(4)) + 1 : 1;
    }
    return this.nextRid++;
  }

  /** @internal forget what was loaded from the file (after a failed commit) */
  reset(): void {
    this.nextRid = undefined;
  }

  /** Stores `doc` (taking ownership of it). Generates an ObjectId `_id` when missing. */
  insert(doc: Doc): Doc {
    if (doc._id === undefined) doc = { _id: new ObjectId(), ...doc };
    else doc = idFirst(doc);
    if (Array.isArray(doc._id)) throw new CommandError("InvalidIdField", "can't use an array for _id");
    const t = this.t;
    const idk = this.idKey(doc._id);
    if (t.ids.get(idk) !== undefined) throw duplicateKeyError(this.ns, ID_INDEX, { _id: doc._id });
    const indexes = this.maintainedIndexes();
    const entries = indexes.map((ix) => ix.entriesOf(doc));
    indexes.forEach((ix, i) => this.check(ix, entries[i]!, -1));
    const bson = serialize(doc);
    const rid = this.allocRid();
    t.docs.putSync(this.docKey(rid), withChecksum(bson));
    t.ids.putSync(idk, u64(rid));
    indexes.forEach((ix, i) => this.addEntries(ix, entries[i]!, rid));
    this.store.adjustCount(this, 1);
    // not cached: a bulk load would only push out what is read
    ridOf.set(doc, rid);
    return doc;
  }

  /** Swaps a stored document for its updated version (same `_id`), checking unique indexes first. */
  replace(oldDoc: Doc, newDoc: Doc): void {
    const rid = this.ridFor(oldDoc);
    const indexes = this.maintainedIndexes().filter((ix) => !ix.unchangedBetween(oldDoc, newDoc));
    const oldEntries = indexes.map((ix) => ix.entriesOf(oldDoc));
    const newEntries = indexes.map((ix) => ix.entriesOf(newDoc));
    const same = indexes.map((_ix, i) => sameEntries(oldEntries[i]!, newEntries[i]!));
    indexes.forEach((ix, i) => {
      if (!same[i]) this.check(ix, newEntries[i]!, rid);
    });
    const bson = serialize(newDoc);
    this.t.docs.putSync(this.docKey(rid), withChecksum(bson));
    indexes.forEach((ix, i) => {
      if (same[i]) return;
      for (const e of oldEntries[i]!) this.t.keys.removeSync(ixEntryKey(ix, e.key, rid));
      this.addEntries(ix, newEntries[i]!, rid);
    });
    this.remember(rid, newDoc, bson.length);
  }

  remove(doc: Doc): void {
    const rid = this.ridFor(doc);
    for (const ix of this.maintainedIndexes()) for (const e of ix.entriesOf(doc)) this.t.keys.removeSync(ixEntryKey(ix, e.key, rid));
    this.t.docs.removeSync(this.docKey(rid));
    this.t.ids.removeSync(this.idKey(doc._id));
    this.store.cache.delete(this.cacheKey(rid));
    this.store.adjustCount(this, -1);
  }

  private ridFor(doc: Doc): number {
    let rid = ridOf.get(doc);
    if (rid === undefined) {
      const v = this.t.ids.get(this.idKey(doc._id));
      if (v !== undefined) rid = Number(v.readBigUInt64BE(0));
    }
    if (rid === undefined) throw new CommandError("InternalError", `document ${canonicalKey(doc._id)} is not stored in ${this.ns}`);
    return rid;
  }

  /** The new version of a document: in the cache when the old one was (documents are never mutated). */
  private remember(rid: number, doc: Doc, bytes: number): void {
    ridOf.set(doc, rid);
    const key = this.cacheKey(rid);
    if (this.store.cache.get(key)) this.store.cache.set(key, doc, bytes);
  }

  /** @internal every index whose entries writes keep: those in use and those being built */
  maintainedIndexes(): Index[] {
    const all = [...this.indexes.values()];
    if (this.building.size) all.push(...this.building.values());
    return all;
  }

  /** Throws the server's E11000 error when an entry collides with another document's. */
  private check(ix: Index, entries: Entry[], rid: number): void {
    if (!ix.spec.unique) return;
    for (const e of entries) {
      const lo = Buffer.concat([u32(ix.id), e.key]);
      for (const k of this.t.keys.getKeys({ start: lo, end: Buffer.concat([lo, KEY_MAX8, KEY_MAX8]), limit: 2 })) {
        if (k.length !== lo.length + 8) continue;
        if (Number(k.readBigUInt64BE(lo.length)) !== rid) throw duplicateKeyError(this.ns, ix.spec, e.keyValue);
      }
    }
  }

  private addEntries(ix: Index, entries: Entry[], rid: number): void {
    for (const e of entries) this.t.keys.putSync(ixEntryKey(ix, e.key, rid), EMPTY);
    if (entries.length > 1 && !ix.multikey) {
      ix.multikey = true;
      this.store.saveIndex(this, ix);
    }
  }

  /** @internal the decoded document with record id `rid`, from the cache when there */
  byRid(rid: number): Doc | undefined {
    return this.readDoc(rid, undefined);
  }

  /**
   * A candidate's decoded document, from the cache when there; `raw` is its stored value when
   * already read (a scan), else it is read by record id and then cached. Counts a scanned object.
   */
  private readonly readDoc: Reader<Doc> = (rid, raw) => {
    this.store.scannedObjects++;
    const hit = this.store.cache.get(this.cacheKey(rid));
    if (hit) return hit;
    if (raw) return this.decode(rid, raw, false);
    const read = this.t.docs.get(this.docKey(rid));
    return read === undefined ? undefined : this.decode(rid, read, true);
  };

  /**
   * A candidate as the raw find path takes it (raw-bson.ts): its stored BSON bytes, checksum
   * verified, not decoded and not cached. The decoded-document cache is not asked: reading the
   * bytes again was faster than taking a cached document (and encoding it for the reply) in
   * measurements of a trend-style find (see README).
   */
  private readonly readStored: Reader<Buffer> = (rid, raw) => {
    this.store.scannedObjects++;
    raw ??= this.t.docs.get(this.docKey(rid));
    return raw === undefined ? undefined : this.verified(rid, raw);
  };

  /** The BSON of a stored value (CRC-32 + BSON) after checking its checksum. */
  private verified(rid: number, raw: Buffer): Buffer {
    if (!checksumHolds(raw)) {
      throw new CommandError(
        "DataCorruptionDetected",
        `a stored document of ${this.ns} is damaged (record ${rid}: checksum mismatch). Stop Undercurrent and restore a backup of the data directory (npm run cli -- backup makes one).`,
      );
    }
    return raw.subarray(4);
  }

  private decode(rid: number, raw: Buffer, cache: boolean): Doc {
    const hit = this.store.cache.get(this.cacheKey(rid));
    if (hit) return hit;
    const bson = this.verified(rid, raw);
    const doc = BSON.deserialize(bson, DESERIALIZE);
    ridOf.set(doc, rid);
    if (cache) this.store.cache.set(this.cacheKey(rid), doc, bson.length);
    return doc;
  }

  getById(id: unknown): Doc | undefined {
    return this.byId(id, this.readDoc);
  }

  private byId<T>(id: unknown, read: Reader<T>): T | undefined {
    const v = this.t.ids.get(this.idKey(id));
    return v === undefined ? undefined : read(Number(v.readBigUInt64BE(0)), undefined);
  }

  /** Every document in natural (insertion) order, read page by page. */
  scan(): Generator<Doc> {
    return this.scanWith(this.readDoc);
  }

  private *scanWith<T>(read: Reader<T>): Generator<T> {
    for (const r of rangeRows(this.t.docs, this.prefix, u32(this.id + 1), false, false)) {
      yield read(Number(r.key.readBigUInt64BE(4)), r.value!)!;
    }
  }

  /** Documents with an entry in `ranges` of `ix`, in key order (each once); `reverse` reads backwards. */
  private *indexScan<T>(read: Reader<T>, ix: Index, ranges: Range[], reverse = false): Generator<T> {
    const seen = ix.multikey || ranges.length > 1 ? new Set<number>() : undefined;
    const head = u32(ix.id);
    for (const [lo, hi] of reverse ? [...ranges].reverse() : ranges) {
      for (const { key } of rangeRows(this.t.keys, Buffer.concat([head, lo]), Buffer.concat([head, hi]), reverse, true)) {
        const rid = Number(key.readBigUInt64BE(key.length - 8));
        if (seen) {
          if (seen.has(rid)) continue;
          seen.add(rid);
        }
        const d = read(rid, undefined);
        if (d) yield d;
      }
    }
  }

  /**
   * The ranges of a skip scan (index-ranges.ts): the skipped field's values are read from the
   * keys, one seek each, and the range on the next field is taken under each. Undefined (scan the
   * prefixes whole) past MAX_SKIPPED_VALUES values or for a value whose key is not stepped over.
   */
  private skipRanges(ix: Index, skip: SkipScan): Range[] | undefined {
    const head = u32(ix.id);
    const out: Range[] = [];
    for (const prefix of skip.prefixes) {
      const end = Buffer.concat([head, successor(prefix)]);
      const at = head.length + prefix.length;
      let from: Buffer = Buffer.concat([prefix, skip.from]);
      for (;;) {
        const key = Array.from(this.t.keys.getKeys({ start: Buffer.concat([head, from]), end, limit: 1 }))[0];
        if (!key) break;
        const len = valueKeyLength(key, at);
        if (len === undefined || out.length >= MAX_SKIPPED_VALUES) return undefined;
        const valuePrefix = Buffer.concat([prefix, key.subarray(at, at + len)]);
        out.push(rangeBounds(skip.then, valuePrefix, skip.multikey)!);
        from = successor(valuePrefix);
      }
    }
    return out;
  }

  private countRanges(ix: Index, ranges: Range[]): number {
    const head = u32(ix.id);
    let n = 0;
    for (const [lo, hi] of ranges) {
      n += this.t.keys.getKeysCount({ start: Buffer.concat([head, lo]), end: Buffer.concat([head, hi]), limit: COUNT_CAP + 1 });
      if (n > COUNT_CAP) break;
    }
    return n;
  }

  /**
   * Documents that may match `filter`: by `_id` (equality or `$in`), else through the index whose
   * ranges hold the fewest entries (counted up to a cap), else every document (natural order).
   * An index with a `partialFilterExpression` is only used when the query implies that
   * expression, so it cannot hide matching documents. Callers still test the filter; lazy.
   */
  candidates(filter: Doc | undefined): Iterable<Doc> {
    return this.candidatesWith(this.readDoc, filter);
  }

  /** As `candidates`, each as its stored BSON (raw-bson.ts). */
  storedCandidates(filter: Doc | undefined): Iterable<Buffer> {
    return this.candidatesWith(this.readStored, filter);
  }

  private candidatesWith<T>(read: Reader<T>, filter: Doc | undefined): Iterable<T> {
    if (!filter) return this.scanWith(read);
    const eq = equalityFields(filter);
    if (eq.has("_id") && isIndexableScalar(eq.get("_id"))) {
      const d = this.byId(eq.get("_id"), read);
      return d ? [d] : [];
    }
    const ins = idInValues(filter);
    if (ins) {
      const out: T[] = [];
      const seen = new Set<string>();
      for (const v of ins) {
        const k = canonicalKey(v);
        if (seen.has(k)) continue;
        seen.add(k);
        const d = this.byId(v, read);
        if (d) out.push(d);
      }
      return out;
    }
    const plans: Array<[Index, Range[]]> = [];
    for (const ix of this.indexes.values()) {
      const plan = candidatePlan(ix, filter, eq);
      if (plan) plans.push([ix, (plan.skip && this.skipRanges(ix, plan.skip)) ?? plan.ranges]);
    }
    if (plans.length === 0) return this.scanWith(read);
    if (plans.length === 1) return this.indexScan(read, plans[0]![0], plans[0]![1]);
    let best = plans[0]!;
    let bestN = Infinity;
    for (const p of plans) {
      const n = this.countRanges(p[0], p[1]);
      if (n < bestN) {
        best = p;
        bestN = n;
        if (n === 0) break;
      }
    }
    return this.indexScan(read, best[0], best[1]);
  }

  /**
   * Candidates in the order `sort` asks for, read in that order from an index, or undefined when
   * no index gives it: the index's leading fields are pinned by equalities of the filter and the
   * sort fields follow them, all ascending or all descending (keys are stored ascending whatever
   * the index declares, so one scan direction serves either). Not from a multikey index (MongoDB
   * sorts an array by its smallest or largest element), a sparse one (it lacks documents without
   * the field), or a partial one the filter does not imply. A range on the first sort field
   * narrows the scan. Values of one type sort as MongoDB sorts them; embedded documents only
   * approximately (see key-bytes.ts). An `$in` on the index field just before the sort fields is
   * served too, by merging one range per value. Callers still test the filter.
   */
  sortedCandidates(filter: Doc | undefined, sort: Doc): Iterable<Doc> | undefined {
    return this.sortedWith(this.readDoc, filter, sort);
  }

  /** As `sortedCandidates`, each as its stored BSON (raw-bson.ts). */
  storedSortedCandidates(filter: Doc | undefined, sort: Doc): Iterable<Buffer> | undefined {
    return this.sortedWith(this.readStored, filter, sort);
  }

  private sortedWith<T>(read: Reader<T>, filter: Doc | undefined, sort: Doc): Iterable<T> | undefined {
    const sortFields = Object.entries(sort);
    if (sortFields.length === 0 || !sortFields.every(([, d]) => d === 1 || d === -1)) return undefined;
    const reverse = sortFields[0]![1] === -1;
    if (!sortFields.every(([, d]) => (d === -1) === reverse)) return undefined;
    const names = sortFields.map(([f]) => f);
    // a range on the first sort field narrows the scan (`{_id: {$gt: last}}`, as batched walks resume)
    const cond = filter?.[names[0]!];
    const rangeFrom = (lo: Buffer): Range => (isOperatorObject(cond) ? rangeBounds(cond as Doc, lo, false) : undefined) ?? [lo, successor(lo)];
    if (names.length === 1 && names[0] === "_id") return this.idScan(read, reverse, rangeFrom(this.prefix));
    const eq = filter ? equalityFields(filter) : new Map<string, unknown>();
    for (const ix of this.indexes.values()) {
      if (ix.multikey || ix.spec.sparse === true) continue;
      if (ix.partial && !(filter && impliesPartial(filter, eq, ix.spec.partialFilterExpression!))) continue;
      const prefixValues: unknown[] = [];
      for (const f of ix.fields) {
        if (names.includes(f) || !eq.has(f) || !isIndexableScalar(eq.get(f))) break;
        prefixValues.push(eq.get(f));
      }
      const prefix = compoundKeyOf(prefixValues);
      if (sortFieldsFollow(ix.fields, prefixValues.length, names)) return this.indexScan(read, ix, [rangeFrom(prefix)], reverse);
      // `$in` on the field between the pinned ones and the sort fields (as `{kind: {$in: [...]}}`
      // before `at`): one range per value, merged in sort order, as MongoDB's SORT_MERGE does.
      const inField = ix.fields[prefixValues.length];
      const inCond = inField === undefined ? undefined : filter?.[inField];
      const values = isOperatorObject(inCond) ? inValues(inCond as Doc) : undefined;
      if (values && sortFieldsFollow(ix.fields, prefixValues.length + 1, names)) {
        const starts = values.map((v) => Buffer.concat([prefix, fit(keyOf(v))]));
        return this.mergedIndexScan(read, ix, starts.map(rangeFrom), starts.map((lo) => lo.length), reverse);
      }
    }
    return undefined;
  }

  /**
   * Documents with an entry in any of `ranges` of `ix` (disjoint: one per `$in` value), merged in
   * the order of the key bytes after each range's first `skip[i]` bytes (the sort fields and the
   * record id); `reverse` gives the largest first.
   */
  private *mergedIndexScan<T>(read: Reader<T>, ix: Index, ranges: Range[], skip: number[], reverse: boolean): Generator<T> {
    const head = u32(ix.id);
    const rows = ranges.map(([lo, hi]) => rangeRows(this.t.keys, Buffer.concat([head, lo]), Buffer.concat([head, hi]), reverse, true));
    const next = rows.map((r) => r.next().value?.key as Buffer | undefined);
    const tail = (i: number) => next[i]!.subarray(head.length + skip[i]!);
    for (;;) {
      let best = -1;
      for (let i = 0; i < next.length; i++) {
        if (next[i] === undefined) continue;
        if (best < 0) best = i;
        else {
          const c = Buffer.compare(tail(i), tail(best));
          if (reverse ? c > 0 : c < 0) best = i;
        }
      }
      if (best < 0) return;
      const key = next[best]!;
      next[best] = rows[best]!.next().value?.key as Buffer | undefined;
      const d = read(Number(key.readBigUInt64BE(key.length - 8)), undefined);
      if (d) yield d;
    }
  }

  /** The documents whose `_id` keys lie in `range` (all of them: [prefix, successor(prefix)]), in `_id` order. */
  private *idScan<T>(read: Reader<T>, reverse: boolean, [lo, hi]: Range): Generator<T> {
    for (const r of rangeRows(this.t.ids, lo, hi, reverse, false)) {
      const d = read(Number(r.value!.readBigUInt64BE(0)), undefined);
      if (d) yield d;
    }
  }

  /** True when `filter` is exactly `{_id: <scalar>}`, so a primary-key hit needs no further test. */
  static isPureIdFilter(filter: Doc | undefined): boolean {
    if (!filter) return false;
    const keys = Object.keys(filter);
    return keys.length === 1 && keys[0] === "_id" && isIndexableScalar(filter._id);
  }

  /** Matching documents in natural (or index) order. */
  match(filter: Doc | undefined, limit = Infinity): Doc[] {
    const cands = this.candidates(filter);
    const out: Doc[] = [];
    if (Collection.isPureIdFilter(filter)) {
      for (const d of cands) out.push(d);
      return out;
    }
    const m = compileFilter(filter);
    for (const d of cands) {
      if (m.test(d)) {
        out.push(d);
        if (out.length >= limit) break;
      }
    }
    return out;
  }

  /**
   * Number of matching documents: from index keys alone when an index holds exactly the matching
   * documents (index-ranges.ts `exactRanges`; no document is read), else by testing candidates on
   * their stored bytes, decoding only the fields the filter reads.
   */
  countMatching(filter: Doc | undefined): number {
    if (!filter || Object.keys(filter).length === 0) return this.size;
    if (!Collection.isPureIdFilter(filter)) {
      for (const ix of this.indexes.values()) {
        const ranges = exactRanges(ix, filter);
        if (ranges) return this.countEntries(ix, ranges);
      }
    }
    let n = 0;
    for (const _ of matchingParts(this.storedCandidates(filter), filter, [])) n++;
    return n;
  }

  /**
   * The distinct values at `key` among documents matching `filter`, read by skipping through an
   * index instead of reading every match: `key` must be the index field right after the fields the
   * filter pins by equality, and the index must hold exactly the matching documents
   * (`exactRanges`). One document is read per distinct value (the key bytes are not decoded back
   * into values). Undefined when no index serves it, or for values whose keys do not allow the
   * skip (null or missing, which share a key; keys long enough to be cut short).
   */
  distinctFromIndex(key: string, filter: Doc): unknown[] | undefined {
    for (const ix of this.indexes.values()) {
      const pinned = ix.fields.indexOf(key);
      if (pinned < 0) continue;
      const pins = ix.fields.slice(0, pinned).map((f) => scalarEquality(filter[f]));
      if (pins.some((v) => v === undefined)) continue;
      const ranges = exactRanges(ix, filter);
      if (!ranges) continue;
      const prefix = compoundKeyOf(pins);
      const head = u32(ix.id);
      const values: unknown[] = [];
      for (const [lo, hi] of ranges) {
        let from = lo;
        for (;;) {
          const first = this.t.keys.getKeys({ start: Buffer.concat([head, from]), end: Buffer.concat([head, hi]), limit: 1 });
          const entry = Array.from(first)[0];
          if (!entry) break;
          const doc = this.readDoc(Number(entry.readBigUInt64BE(entry.length - 8)), undefined);
          const v = doc === undefined ? undefined : valuesAtPath(doc, key)[0];
          if (v === undefined || v === null || Array.isArray(v)) return undefined;
          values.push(v);
          const at = Buffer.concat([prefix, keyOf(v)]);
          if (at.length > EXACT_BOUND_MAX) return undefined;
          from = successor(at);
        }
      }
      return values;
    }
    return undefined;
  }

  /** Entries of `ix` in `ranges`, counted by the engine from the keys. */
  private countEntries(ix: Index, ranges: Range[]): number {
    const head = u32(ix.id);
    let n = 0;
    for (const [lo, hi] of ranges) n += this.t.keys.getKeysCount({ start: Buffer.concat([head, lo]), end: Buffer.concat([head, hi]) });
    return n;
  }

  /** Creates an index in one go (small collections, `$out`): the steps of a build in a row. */
  createIndex(spec: IndexSpec): "created" | "exists" {
    const build = this.startIndexBuild(spec);
    if (build === "exists") return "exists";
    while (!this.stepIndexBuild(build, Infinity));
    return "created";
  }

  /**
   * Starts building an index over the stored documents, or says it exists. The build is then
   * driven by `stepIndexBuild`, a few thousand documents per call, so that a server can commit
   * other clients' work between the steps instead of holding its thread for the whole collection.
   * Writes meanwhile keep the new index's entries for every document, scanned or not: a document
   * the scan reaches later gets the same keys again (an LMDB put of an existing key changes
   * nothing), one it never reaches (deleted) has none left. A build already in the catalog (cut
   * short by a restart or a failed commit) is taken up again from the first document.
   */
  startIndexBuild(spec: IndexSpec): IndexBuild | "exists" {
    const keyStr = canonicalKey(spec.key);
    if (spec.name === "_id_" || keyStr === canonicalKey({ _id: 1 })) {
      if (spec.unique === false) throw new CommandError("InvalidOptions", "The field 'unique' is not valid for an _id index specification");
      return "exists";
    }
    const byName = this.indexes.get(spec.name);
    if (byName) {
      if (canonicalKey(byName.spec.key) !== keyStr) {
        throw new CommandError("IndexKeySpecsConflict", `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(byName.spec)}`);
      }
      if (sameOptions(byName.spec, spec)) return "exists";
      throw new CommandError("IndexOptionsConflict", `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(byName.spec)}`);
    }
    // the same index under another name, in use or still being built
    for (const ix of this.maintainedIndexes()) {
      if (ix.spec.name !== spec.name && canonicalKey(ix.spec.key) === keyStr && sameOptions(ix.spec, spec)) {
        throw new CommandError("IndexOptionsConflict", `Index already exists with a different name: ${ix.spec.name}`);
      }
    }
    const earlier = this.building.get(spec.name);
    if (earlier && canonicalKey(earlier.spec.key) === keyStr && sameOptions(earlier.spec, spec)) return { ix: earlier, nextRid: 0 };
    if (earlier) this.dropIndexObject(earlier);
    const ix = new Index(this.store.newIndexId(), spec, false, true);
    this.store.saveIndex(this, ix);
    this.building.set(spec.name, ix);
    return { ix, nextRid: 0 };
  }

  /**
   * Adds the entries of up to `maxDocs` more documents to a build; true when the collection has
   * been read to its end and the index is in use. A duplicate on a unique index ends the build
   * (its entries are removed) with E11000; so does the index or its collection being dropped.
   */
  stepIndexBuild(build: IndexBuild, maxDocs: number): boolean {
    const { ix } = build;
    if (this.indexes.get(ix.spec.name) === ix) return true; // finished by another createIndexes of the same index
    if (this.building.get(ix.spec.name) !== ix) {
      throw new CommandError("IndexBuildAborted", `Index build of ${ix.spec.name} on ${this.ns} was aborted: the index or its collection was dropped`);
    }
    // Each document's entries from just the top-level fields the index (and its partial filter)
    // reads, decoded from the stored bytes: a build over a large collection must not decode
    // every document whole.
    const readFields = ix.topFields ? topFieldsReader(ix.topFields) : undefined;
    let n = 0;
    try {
      for (const r of rangeRows(this.t.docs, this.docKey(build.nextRid), u32(this.id + 1), false, false)) {
        const rid = Number(r.key.readBigUInt64BE(4));
        if (n++ === maxDocs) {
          build.nextRid = rid;
          return false;
        }
        const bson = this.verified(rid, r.value!);
        let doc = readFields ? readFields(bson) : DECODE;
        if (doc === DECODE) doc = BSON.deserialize(bson, DESERIALIZE);
        const entries = ix.entriesOf(doc);
        this.check(ix, entries, rid);
        this.addEntries(ix, entries, rid);
      }
    } catch (err) {
      this.dropIndexObject(ix);
      throw err;
    }
    this.building.delete(ix.spec.name);
    ix.building = false;
    this.store.saveIndex(this, ix);
    this.indexes.set(ix.spec.name, ix);
    return true;
  }

  listIndexes(): Doc[] {
    const out: Doc[] = [{ v: 2, key: { _id: 1 }, name: "_id_" }];
    for (const ix of this.indexes.values()) {
      const { name, key, ...rest } = ix.spec;
      out.push({ v: 2, key, name, ...rest });
    }
    return out;
  }

  /** Ends a build that will not be finished, removing what it added. */
  abandonIndexBuild(build: IndexBuild): void {
    if (this.building.get(build.ix.spec.name) === build.ix) this.dropIndexObject(build.ix);
  }

  private dropIndexObject(ix: Index): void {
    this.store.deleteIndex(ix);
    if (this.indexes.get(ix.spec.name) === ix) this.indexes.delete(ix.spec.name);
    if (this.building.get(ix.spec.name) === ix) this.building.delete(ix.spec.name);
  }

  /** Drops by name, by key pattern, or every secondary index for `"*"`. */
  dropIndex(which: string | Doc): void {
    if (which === "*") {
      for (const ix of this.maintainedIndexes()) this.dropIndexObject(ix);
      return;
    }
    if (which === "_id_" || (typeof which === "object" && canonicalKey(which) === canonicalKey({ _id: 1 }))) {
      throw new CommandError("InvalidOptions", "cannot drop _id index");
    }
    if (typeof which === "string") {
      const ix = this.indexes.get(which) ?? this.building.get(which);
      if (!ix) throw new CommandError("IndexNotFound", `index not found with name [${which}]`);
      this.dropIndexObject(ix);
      return;
    }
    const k = canonicalKey(which);
    for (const ix of this.indexes.values()) {
      if (canonicalKey(ix.spec.key) === k) {
        this.dropIndexObject(ix);
        return;
      }
    }
    throw new CommandError("IndexNotFound", `can't find index with key: ${JSON.stringify(which)}`);
  }

  /** @internal used by the catalog when it loads */
  attachIndex(id: number, spec: IndexSpec, multikey: boolean, building: boolean): void {
    (building ? this.building : this.indexes).set(spec.name, new Index(id, spec, multikey, building));
  }
}

/** The distinct values of an `$in` an index can look up (scalars, no regular expressions), else undefined. */
function sameOptions(a: IndexSpec, b: IndexSpec): boolean {
  return (
    !!a.unique === !!b.unique &&
    !!a.sparse === !!b.sparse &&
    canonicalKey(a.partialFilterExpression ?? null) === canonicalKey(b.partialFilterExpression ?? null)
  );
}

export class Database {
  readonly collections = new Map<string, Collection>();
  constructor(
    private readonly store: Store,
    readonly name: string,
  ) {}

  get(name: string): Collection | undefined {
    return this.collections.get(name);
  }

  /** The collection, created implicitly as MongoDB does on first write. */
  ensure(name: string, options?: Doc): Collection {
    let c = this.collections.get(name);
    if (!c) {
      validateCollectionName(name);
      c = this.store.createCollection(this.name, name, options ?? {});
      this.collections.set(name, c);
    }
    return c;
  }

  /** Drops a collection with its documents and indexes; false when it does not exist. */
  drop(name: string): boolean {
    const c = this.collections.get(name);
    if (!c) return false;
    this.store.dropCollection(c);
    this.collections.delete(name);
    return true;
  }
}

function validateCollectionName(name: string): void {
  if (!name || name.includes("$") || name.includes("\0") || name.startsWith(".") || name.startsWith("system.")) {
    throw new CommandError("InvalidNamespace", `Invalid collection name: ${name}`);
  }
}


export interface StoreOptions extends EngineOptions {
  /** decoded-document cache, in BSON bytes (default 32 MiB) */
  docCacheBytes?: number;
}

/** All data of one stand-in process, kept in the engine's file; the catalog is also kept in memory. */
export class Store {
  readonly dbs = new Map<string, Database>();
  /** documents read by queries since start (serverStatus `metrics.queryExecutor.scannedObjects`) */
  scannedObjects = 0;
  /** @internal */
  readonly cache: DocCache;
  private readonly counts = new Map<number, number>();
  private nextCollId = 1;
  private nextIxId = 1;

  private constructor(
    readonly engine: Engine,
    opts: StoreOptions,
  ) {
    this.cache = new DocCache(opts.docCacheBytes ?? 32 * 1024 * 1024);
    this.loadCatalog();
  }

  static async open(opts: StoreOptions = {}): Promise<Store> {
    const engine = await Engine.open(opts);
    try {
      return new Store(engine, opts);
    } catch (err) {
      await engine.close();
      throw err;
    }
  }

  get dir(): string {
    return this.engine.dir;
  }

  private loadCatalog(): void {
    this.dbs.clear();
    this.counts.clear();
    this.cache.clear();
    const t = this.engine.db;
    const byId = new Map<number, Collection>();
    for (const { key, value } of Array.from(t.colls.getRange({}))) {
      const id = key.readUInt32BE(0);
      const row = BSON.deserialize(value) as { db: string; name: string; options: Doc };
      const c = new Collection(this, id, row.db, row.name, row.options);
      this.db(row.db).collections.set(row.name, c);
      byId.set(id, c);
      this.nextCollId = Math.max(this.nextCollId, id + 1);
    }
    for (const { key, value } of Array.from(t.idxs.getRange({}))) {
      const id = key.readUInt32BE(0);
      const row = BSON.deserialize(value) as { coll: number; spec: IndexSpec; multikey: boolean; building?: boolean };
      const c = byId.get(row.coll);
      if (!c) throw new Error(`catalog: index ${id} (${row.spec.name}) belongs to a missing collection ${row.coll}`);
      c.attachIndex(id, row.spec, row.multikey, row.building === true);
      this.nextIxId = Math.max(this.nextIxId, id + 1);
    }
  }

  db(name: string): Database {
    let d = this.dbs.get(name);
    if (!d) {
      if (!name || /[/\\. "$\0]/.test(name)) throw new CommandError("InvalidNamespace", `Invalid database name: '${name}'`);
      d = new Database(this, name);
      this.dbs.set(name, d);
    }
    return d;
  }

  dropDatabase(name: string): void {
    const d = this.dbs.get(name);
    if (d) for (const c of [...d.collections.keys()]) d.drop(c);
    this.dbs.delete(name);
  }

  /** Moves a collection (documents and indexes stay where they are: only its name changes). */
  renameCollection(src: Collection, toDb: string, toName: string): void {
    validateCollectionName(toName);
    const from = this.db(src.db);
    const to = this.db(toDb);
    this.engine.db.colls.putSync(u32(src.id), serialize({ db: toDb, name: toName, options: src.options }));
    from.collections.delete(src.name);
    src.db = toDb;
    src.name = toName;
    to.collections.set(toName, src);
  }

  /** @internal */
  createCollection(db: string, name: string, options: Doc): Collection {
    const id = this.nextCollId++;
    this.engine.db.colls.putSync(u32(id), serialize({ db, name, options }));
    this.counts.set(id, 0);
    return new Collection(this, id, db, name, options);
  }

  /** @internal */
  dropCollection(c: Collection): void {
    for (const ix of c.maintainedIndexes()) this.deleteIndex(ix);
    c.building.clear();
    const t = this.engine.db;
    removeRange(t.docs, u32(c.id), u32(c.id + 1));
    removeRange(t.ids, u32(c.id), u32(c.id + 1));
    t.colls.removeSync(u32(c.id));
    this.counts.delete(c.id);
    this.cache.clear();
  }

  /** @internal */
  newIndexId(): number {
    return this.nextIxId++;
  }

  /** @internal writes an index's catalog entry */
  saveIndex(c: Collection, ix: Index): void {
    this.engine.db.idxs.putSync(u32(ix.id), serialize({ coll: c.id, spec: ix.spec, multikey: ix.multikey, ...(ix.building ? { building: true } : {}) }));
  }

  /** @internal removes an index's entries and catalog entry */
  deleteIndex(ix: Index): void {
    removeRange(this.engine.db.keys, u32(ix.id), u32(ix.id + 1));
    this.engine.db.idxs.removeSync(u32(ix.id));
  }

  /** @internal */
  countOf(c: Collection): number {
    let n = this.counts.get(c.id);
    if (n === undefined) {
      n = this.engine.db.docs.getKeysCount({ start: u32(c.id), end: u32(c.id + 1) });
      this.counts.set(c.id, n);
    }
    return n;
  }

  /** @internal */
  adjustCount(c: Collection, by: number): void {
    const n = this.counts.get(c.id);
    if (n !== undefined) this.counts.set(c.id, n + by);
  }

  /**
   * Runs `fn` (the commands of one event-loop turn) in one write transaction and commits it.
   * When the commit fails nothing of it is kept: the catalog and the caches are reloaded from the
   * file so memory agrees with it again, and the error is thrown.
   */
  transaction<T>(fn: () => T): T {
    try {
      return this.engine.transaction(fn);
    } catch (err) {
      for (const d of this.dbs.values()) for (const c of d.collections.values()) c.reset();
      this.loadCatalog();
      throw err;
    }
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}

/** Removes every key in [lo, hi) (a dropped collection or index). */
function removeRange(db: Subdbs["keys"], lo: Buffer, hi: Buffer): void {
  for (;;) {
    const keys = Array.from(db.getKeys({ start: lo, end: hi, limit: 10_000 }));
    for (const k of keys) db.removeSync(k);
    if (keys.length < 10_000) return;
  }
}
