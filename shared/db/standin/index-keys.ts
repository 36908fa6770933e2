/**
 * Pure helpers for identity and index keys: a canonical string per BSON value (so Maps can stand
 * in for B-trees on equality), the keys a document contributes to an index, and MongoDB's text for
 * a duplicate key. No I/O here.
 */
import type { Document } from "bson";

type BsonLike = { _bsontype?: string; toHexString?: () => string; toString(): string };

/**
 * Canonical key of a value under MongoDB equality: numbers of any BSON width compare equal
 * (1, 1.0 and Long(1) are one key), embedded documents compare field by field in order.
 * `undefined` and `null` share a key because indexes store a missing field as null.
 */
export function canonicalKey(v: unknown): string {
  if (v === null || v === undefined) return "N";
  switch (typeof v) {
    case "number":
      return "n" + (Object.is(v, -0) ? 0 : v);
    case "bigint":
      return "n" + v.toString();
    case "string":
      return "s" + JSON.stringify(v);
    case "boolean":
      return v ? "b1" : "b0";
  }
  if (v instanceof Date) return "d" + v.getTime();
  if (v instanceof RegExp) return "r" + String(v);
  if (Array.isArray(v)) return "[" + v.map(canonicalKey).join(",") + "]";
  const tagged = v as BsonLike;
  switch (tagged._bsontype) {
    case "ObjectId":
      return "o" + tagged.toHexString!();
    case "Long":
    case "Int32":
    case "Double":
      return "n" + Number(tagged.toString());
    case "Decimal128":
      return "n" + tagged.toString();
    case "Binary": {
      const b = v as { sub_type: number; buffer: Uint8Array };
      return "x" + b.sub_type + ":" + Buffer.from(b.buffer).toString("base64");
    }
    case "Timestamp":
    case "UUID":
      return "t" + tagged._bsontype + tagged.toString();
  }
  const obj = v as Document;
  return "{" + Object.keys(obj).map((k) => JSON.stringify(k) + ":" + canonicalKey(obj[k])).join(",") + "}";
}

/**
 * Values at a dotted path, descending into arrays as a multikey index does. An array at the end
 * of the path contributes each element (an empty array contributes `undefined`).
 * Returns `[]` when the path is missing.
 */
export function valuesAtPath(doc: unknown, path: string): unknown[] {
  if (!path.includes(".") && doc !== null && typeof doc === "object" && !Array.isArray(doc)) {
    const obj = doc as Document;
    if (!Object.prototype.hasOwnProperty.call(obj, path)) return path in obj ? valuesAtPathSlow(doc, path) : [];
    const v = obj[path];
    if (!Array.isArray(v)) return [v];
    return v.length === 0 ? [undefined] : [...v];
  }
  return valuesAtPathSlow(doc, path);
}

function valuesAtPathSlow(doc: unknown, path: string): unknown[] {
  const parts = path.split(".");
  const out: unknown[] = [];
  const walk = (cur: unknown, i: number): void => {
    if (i === parts.length) {
      if (Array.isArray(cur)) {
        if (cur.length === 0) out.push(undefined);
        else out.push(...cur);
      } else out.push(cur);
      return;
    }
    if (cur === null || typeof cur !== "object") return;
    const part = parts[i]!;
    if (Array.isArray(cur)) {
      if (/^\d+$/.test(part) && Number(part) < cur.length) walk(cur[Number(part)], i + 1);
      else for (const el of cur) walk(el, i);
      return;
    }
    const obj = cur as Document;
    if (!(part in obj)) return;
    walk(obj[part], i + 1);
  };
  walk(doc, 0);
  return out;
}

export interface IndexKeyEntry {
  /** canonical string of the whole compound key */
  key: string;
  /** canonical string of the first field's value, for equality lookups on the first field */
  first: string;
  /** canonical strings of the leading 1..n-1 fields (compound indexes), for equality-prefix lookups */
  prefixes: string[];
  /** field -> value, as MongoDB reports it in `keyValue` */
  keyValue: Document;
}

/** Upper bound on the cartesian product of multikey values, mirroring MongoDB's refusal to index parallel arrays. */
const MAX_KEYS_PER_DOC = 1_000;

/**
 * The index keys one document contributes to an index over `fields`. Missing fields index as null;
 * with `sparse`, a document missing every field contributes nothing.
 */
export function indexKeysOf(doc: Document, fields: string[], sparse: boolean): IndexKeyEntry[] {
  const perField: unknown[][] = [];
  let anyPresent = false;
  for (const f of fields) {
    const vals = valuesAtPath(doc, f);
    if (vals.length === 0) perField.push([null]);
    else {
      anyPresent = true;
      perField.push(dedupe(vals));
    }
  }
  if (sparse && !anyPresent) return [];
  let combos: unknown[][] = [[]];
  for (const vals of perField) {
    const next: unknown[][] = [];
    for (const c of combos) for (const v of vals) next.push([...c, v]);
    combos = next;
    if (combos.length > MAX_KEYS_PER_DOC) break;
  }
  return combos.map((c) => {
    const keyValue: Document = {};
    fields.forEach((f, i) => (keyValue[f] = c[i] === undefined ? null : c[i]));
    const prefixes: string[] = [];
    let key = canonicalKey(c[0]);
    const first = key;
    for (let i = 1; i < fields.length; i++) {
      prefixes.push(key);
      key += "|" + canonicalKey(c[i]);
    }
    return { key, first, prefixes, keyValue };
  });
}

function dedupe(vals: unknown[]): unknown[] {
  if (vals.length < 2) return vals;
  const seen = new Map<string, unknown>();
  for (const v of vals) {
    const k = canonicalKey(v);
    if (!seen.has(k)) seen.set(k, v);
  }
  return [...seen.values()];
}

/** A value rendered as the server renders it inside `dup key: { ... }`. */
export function formatKeyValue(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (Array.isArray(v)) return "[ " + v.map(formatKeyValue).join(", ") + " ]";
  const tagged = v as BsonLike;
  if (tagged._bsontype === "ObjectId") return `ObjectId('${tagged.toHexString!()}')`;
  if (tagged._bsontype) return tagged.toString();
  const obj = v as Document;
  const inner = Object.keys(obj).map((k) => `${k}: ${formatKeyValue(obj[k])}`).join(", ");
  return inner ? `{ ${inner} }` : "{}";
}

/** `E11000 duplicate key error collection: db.coll index: name dup key: { f: v }` */
export function duplicateKeyMessage(ns: string, indexName: string, keyValue: Document): string {
  const inner = Object.keys(keyValue).map((k) => `${k}: ${formatKeyValue(keyValue[k])}`).join(", ");
  return `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: { ${inner} }`;
}
