/**
 * In-memory databases and collections. Documents live in a Map keyed by the canonical `_id`
 * (O(1) primary-key lookups, insertion order as natural order); every secondary index keeps a Map
 * from the canonical value of its first field to the `_id` keys (equality lookups), and unique
 * indexes also a Map from the whole key to the owning `_id` key (constraint checks).
 */
import { ObjectId } from "bson";
import { CommandError } from "./errors";
import { canonicalKey, duplicateKeyMessage, indexKeysOf, type IndexKeyEntry } from "./index-keys";
import {
  compileFilter,
  equalityFields,
  idInValues,
  isIndexableScalar,
  isOperatorObject,
  isPlainObject,
  type Doc,
  type Matcher,
} from "./matching";
import { idFirst } from "./updating";

export interface IndexSpec {
  name: string;
  key: Doc;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  expireAfterSeconds?: number;
}

class Index {
  readonly fields: string[];
  /** canonical whole key -> `_id` keys; for a unique index each set holds at most one */
  readonly byKey = new Map<string, Set<string>>();
  /**
   * Compound indexes only: `byPrefix[i]` maps the canonical key of the leading `i + 1` fields to
   * the `_id` keys (equality-prefix lookups); the whole key is `byKey`.
   */
  readonly byPrefix: Map<string, Set<string>>[];
  /** `_id` keys of every document with at least one entry in this index */
  readonly members = new Set<string>();
  readonly partial: Matcher | undefined;

  constructor(
    readonly spec: IndexSpec,
    private readonly ns: string,
  ) {
    this.fields = Object.keys(spec.key);
    this.byPrefix = this.fields.slice(1).map(() => new Map());
    this.partial = spec.partialFilterExpression ? compileFilter(spec.partialFilterExpression) : undefined;
    const pfeFields = spec.partialFilterExpression ? Object.keys(spec.partialFilterExpression) : [];
    const tops = [...this.fields, ...pfeFields].map((f) => f.split(".")[0]!);
    this.topFields = tops.some((f) => f.startsWith("$")) ? undefined : [...new Set(tops)];
  }

  /** Top-level fields the entries of a document depend on; undefined when not known. */
  private readonly topFields: string[] | undefined;

  /**
   * True when `b`'s entries are certainly `a`'s: every top-level field the index (and its partial
   * filter) reads is the very same value. Updates share unchanged values with the old version.
   */
  unchangedBetween(a: Doc, b: Doc): boolean {
    if (!this.topFields) return false;
    for (const f of this.topFields) if (a[f] !== b[f] || (a[f] === undefined && (f in a) !== (f in b))) return false;
    return true;
  }

  keysOf(doc: Doc): IndexKeyEntry[] {
    if (this.partial && !this.partial.test(doc)) return [];
    return indexKeysOf(doc, this.fields, this.spec.sparse === true);
  }

  /** Throws the server's E11000 error when `doc` collides with another document. */
  check(keys: IndexKeyEntry[], idKey: string): void {
    if (!this.spec.unique) return;
    for (const k of keys) {
      const owners = this.byKey.get(k.key);
      if (!owners) continue;
      for (const owner of owners) if (owner !== idKey) throw duplicateKeyError(this.ns, this.spec, k.keyValue);
    }
  }

  add(keys: IndexKeyEntry[], idKey: string): void {
    if (keys.length > 0) this.members.add(idKey);
    for (const k of keys) {
      addTo(this.byKey, k.key, idKey);
      for (let i = 0; i < this.byPrefix.length; i++) addTo(this.byPrefix[i]!, k.prefixes[i]!, idKey);
    }
  }

  remove(keys: IndexKeyEntry[], idKey: string): void {
    if (keys.length > 0) this.members.delete(idKey);
    for (const k of keys) {
      removeFrom(this.byKey, k.key, idKey);
      for (let i = 0; i < this.byPrefix.length; i++) removeFrom(this.byPrefix[i]!, k.prefixes[i]!, idKey);
    }
  }

  /** `_id` keys of documents whose leading `n` fields equal the values with canonical key `prefix`. */
  lookupPrefix(n: number, prefix: string): Set<string> {
    const m = n >= this.fields.length ? this.byKey : this.byPrefix[n - 1]!;
    return m.get(prefix) ?? EMPTY;
  }
}

/** Same index entries (so an update that leaves them alone need not touch the index). */
function sameKeys(a: IndexKeyEntry[], b: IndexKeyEntry[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.key !== b[i]!.key) return false;
  return true;
}

function addTo(m: Map<string, Set<string>>, k: string, id: string): void {
  let set = m.get(k);
  if (!set) m.set(k, (set = new Set()));
  set.add(id);
}

function removeFrom(m: Map<string, Set<string>>, k: string, id: string): void {
  const set = m.get(k);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) m.delete(k);
}

export function duplicateKeyError(ns: string, spec: IndexSpec, keyValue: Doc): CommandError {
  return new CommandError("DuplicateKey", duplicateKeyMessage(ns, spec.name, keyValue), {
    keyPattern: spec.key,
    keyValue,
  });
}

export class Collection {
  /** canonical _id -> document; Map iteration order is insertion order (natural order) */
  readonly docs = new Map<string, Doc>();
  readonly indexes = new Map<string, Index>();
  readonly options: Doc;

  constructor(
    readonly db: string,
    readonly name: string,
    options: Doc = {},
  ) {
    this.options = options;
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get size(): number {
    return this.docs.size;
  }

  private secondaryIndexes(): Index[] {
    return [...this.indexes.values()];
  }

  /** Stores `doc` (taking ownership of it). Generates an ObjectId `_id` when missing. */
  insert(doc: Doc): Doc {
    if (doc._id === undefined) doc = { _id: new ObjectId(), ...doc };
    else doc = idFirst(doc);
    if (Array.isArray(doc._id)) throw new CommandError("InvalidIdField", "can't use an array for _id");
    const idKey = canonicalKey(doc._id);
    if (this.docs.has(idKey)) throw duplicateKeyError(this.ns, ID_INDEX, { _id: doc._id });
    const indexes = this.secondaryIndexes();
    const keys = indexes.map((ix) => ix.keysOf(doc));
    indexes.forEach((ix, i) => ix.check(keys[i]!, idKey));
    indexes.forEach((ix, i) => ix.add(keys[i]!, idKey));
    this.docs.set(idKey, doc);
    return doc;
  }

  /** Swaps a stored document for its updated version (same `_id`), checking unique indexes first. */
  replace(oldDoc: Doc, newDoc: Doc): void {
    const idKey = canonicalKey(oldDoc._id);
    const indexes = this.secondaryIndexes().filter((ix) => !ix.unchangedBetween(oldDoc, newDoc));
    const oldKeys = indexes.map((ix) => ix.keysOf(oldDoc));
    const newKeys = indexes.map((ix) => ix.keysOf(newDoc));
    const same = indexes.map((_ix, i) => sameKeys(oldKeys[i]!, newKeys[i]!));
    indexes.forEach((ix, i) => {
      if (!same[i]) ix.check(newKeys[i]!, idKey);
    });
    indexes.forEach((ix, i) => {
      if (same[i]) return;
      ix.remove(oldKeys[i]!, idKey);
      ix.add(newKeys[i]!, idKey);
    });
    this.docs.set(idKey, newDoc);
  }

  remove(doc: Doc): void {
    const idKey = canonicalKey(doc._id);
    for (const ix of this.indexes.values()) ix.remove(ix.keysOf(doc), idKey);
    this.docs.delete(idKey);
  }

  getById(id: unknown): Doc | undefined {
    return this.docs.get(canonicalKey(id));
  }

  /**
   * Documents that may match `filter`: by `_id` (equality or `$in`), else by the smallest index
   * bucket the filter pins (equality on the leading fields of an index), else every member of a
   * partial index whose filter the query implies, else every document (natural order). An index
   * with a `partialFilterExpression` is only used when the query implies that expression, so it
   * cannot hide matching documents. Callers still test the filter; lazily iterable.
   */
  candidates(filter: Doc | undefined): Iterable<Doc> {
    if (!filter) return this.docs.values();
    const eq = equalityFields(filter);
    if (eq.has("_id") && isIndexableScalar(eq.get("_id"))) {
      const d = this.getById(eq.get("_id"));
      return d ? [d] : [];
    }
    const ins = idInValues(filter);
    if (ins) {
      const out: Doc[] = [];
      const seen = new Set<string>();
      for (const v of ins) {
        const k = canonicalKey(v);
        if (seen.has(k)) continue;
        seen.add(k);
        const d = this.docs.get(k);
        if (d) out.push(d);
      }
      return out;
    }
    let best: Set<string> | undefined;
    for (const ix of this.indexes.values()) {
      if (ix.partial && !impliesPartial(filter, eq, ix.spec.partialFilterExpression!)) continue;
      let prefix = "";
      let n = 0;
      for (const f of ix.fields) {
        const v = eq.get(f);
        if (!eq.has(f) || !isIndexableScalar(v)) break;
        prefix += (n === 0 ? "" : "|") + canonicalKey(v);
        n++;
      }
      let set: Set<string>;
      if (n > 0) set = ix.lookupPrefix(n, prefix);
      // A non-sparse partial index holds exactly the documents matching its filter.
      else if (ix.partial && ix.spec.sparse !== true) set = ix.members;
      else continue;
      if (!best || set.size < best.size) best = set;
      if (best.size === 0) break;
    }
    if (best) return idsToDocs(best, this.docs);
    return this.docs.values();
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

  createIndex(spec: IndexSpec): "created" | "exists" {
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
    for (const ix of this.indexes.values()) {
      if (canonicalKey(ix.spec.key) === keyStr && sameOptions(ix.spec, spec)) {
        throw new CommandError("IndexOptionsConflict", `Index already exists with a different name: ${ix.spec.name}`);
      }
    }
    const ix = new Index(spec, this.ns);
    for (const [idKey, doc] of this.docs) {
      const keys = ix.keysOf(doc);
      ix.check(keys, idKey);
      ix.add(keys, idKey);
    }
    this.indexes.set(spec.name, ix);
    return "created";
  }

  listIndexes(): Doc[] {
    const out: Doc[] = [{ v: 2, key: { _id: 1 }, name: "_id_" }];
    for (const ix of this.indexes.values()) {
      const { name, key, ...rest } = ix.spec;
      out.push({ v: 2, key, name, ...rest });
    }
    return out;
  }

  /** Drops by name, by key pattern, or every secondary index for `"*"`. */
  dropIndex(which: string | Doc): void {
    if (which === "*") {
      this.indexes.clear();
      return;
    }
    if (which === "_id_" || (typeof which === "object" && canonicalKey(which) === canonicalKey({ _id: 1 }))) {
      throw new CommandError("InvalidOptions", "cannot drop _id index");
    }
    if (typeof which === "string") {
      if (!this.indexes.delete(which)) throw new CommandError("IndexNotFound", `index not found with name [${which}]`);
      return;
    }
    const k = canonicalKey(which);
    for (const [name, ix] of this.indexes) {
      if (canonicalKey(ix.spec.key) === k) {
        this.indexes.delete(name);
        return;
      }
    }
    throw new CommandError("IndexNotFound", `can't find index with key: ${JSON.stringify(which)}`);
  }
}

const EMPTY: Set<string> = new Set();

function* idsToDocs(ids: Set<string>, docs: Map<string, Doc>): Generator<Doc> {
  for (const k of ids) {
    const d = docs.get(k);
    if (d) yield d;
  }
}

/**
 * Whether every document matching the query also matches an index's `partialFilterExpression`
 * (so the partial index holds all candidates). Conservative: only top-level conditions of the form
 * `{f: {$exists: true}}` (implied by the same condition or by an equality on a non-null scalar) and
 * `{f: <scalar>}` / `{f: {$eq: <scalar>}}` (implied by the same equality) are understood.
 */
function impliesPartial(filter: Doc, eq: Map<string, unknown>, pfe: Doc): boolean {
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
const ID_INDEX: IndexSpec = { name: "_id_", key: { _id: 1 } };

function sameOptions(a: IndexSpec, b: IndexSpec): boolean {
  return (
    !!a.unique === !!b.unique &&
    !!a.sparse === !!b.sparse &&
    canonicalKey(a.partialFilterExpression ?? null) === canonicalKey(b.partialFilterExpression ?? null)
  );
}

export class Database {
  readonly collections = new Map<string, Collection>();
  constructor(readonly name: string) {}

  get(name: string): Collection | undefined {
    return this.collections.get(name);
  }

  /** The collection, created implicitly as MongoDB does on first write. */
  ensure(name: string, options?: Doc): Collection {
    let c = this.collections.get(name);
    if (!c) {
      validateCollectionName(name);
      c = new Collection(this.name, name, options);
      this.collections.set(name, c);
    }
    return c;
  }
}

function validateCollectionName(name: string): void {
  if (!name || name.includes("$") || name.includes("\0") || name.startsWith(".") || name.startsWith("system.")) {
    throw new CommandError("InvalidNamespace", `Invalid collection name: ${name}`);
  }
}

/** All data of one stand-in process. */
export class Store {
  readonly dbs = new Map<string, Database>();

  db(name: string): Database {
    let d = this.dbs.get(name);
    if (!d) {
      if (!name || /[/\\. "$\0]/.test(name)) throw new CommandError("InvalidNamespace", `Invalid database name: '${name}'`);
      d = new Database(name);
      this.dbs.set(name, d);
    }
    return d;
  }

  dropDatabase(name: string): void {
    this.dbs.delete(name);
  }
}

