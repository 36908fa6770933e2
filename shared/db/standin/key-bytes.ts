/**
 * Order-preserving binary keys for BSON values, so the storage engine's byte-ordered indexes
 * (SQLite compares BLOBs with memcmp) can answer equality, prefix and range lookups. Pure.
 *
 * Each value encodes as a type tag followed by a self-delimiting body, so a compound key is the
 * plain concatenation of its fields and the keys of the leading fields are a byte prefix of the
 * whole key. Tags follow MongoDB's comparison order of types (MinKey < null < numbers < strings <
 * objects < arrays < binary < ObjectId < boolean < date < timestamp < regex < MaxKey), so a range
 * within one type bracket (`$gt: 5` matches numbers only) is one contiguous byte range.
 *
 * Values equal under MongoDB's comparison encode to the same bytes: 1, 1.0 and Long(1) are one
 * key, -0 is 0, a missing field is null. Numbers are exact up to int64 (a Long beyond 2^53 keeps
 * its low digits in a suffix); Decimal128 is compared as its nearest double. Embedded documents
 * and arrays encode field by field so equality is exact; their order among themselves is only
 * approximately MongoDB's (ranges are never planned over them).
 */
import zlib from "node:zlib";

export const TAG = {
  minKey: 0x01,
  null: 0x05,
  number: 0x10,
  string: 0x20,
  object: 0x30,
  array: 0x40,
  binary: 0x50,
  objectId: 0x60,
  boolean: 0x70,
  date: 0x80,
  timestamp: 0x90,
  regex: 0xa0,
  other: 0xb0,
  maxKey: 0xfe,
} as const;

/** Every key starts with a tag below 0xff, so a lone 0xff sorts after every key. */
export const KEY_MAX = Buffer.from([0xff]);

class Bytes {
  buf = Buffer.allocUnsafe(64);
  len = 0;
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }
  bytes(src: Uint8Array): void {
    this.ensure(src.length);
    this.buf.set(src, this.len);
    this.len += src.length;
  }
  /** UTF-8 with 0x00 escaped as 0x00 0xff and terminated by 0x00 0x01: prefix-free, order-preserving. */
  escaped(s: string): void {
    const raw = Buffer.from(s, "utf8");
    this.ensure(raw.length * 2 + 2);
    for (let i = 0; i < raw.length; i++) {
      const b = raw[i]!;
      this.buf[this.len++] = b;
      if (b === 0) this.buf[this.len++] = 0xff;
    }
    this.buf[this.len++] = 0;
    this.buf[this.len++] = 1;
  }
  done(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}

const f64 = new Float64Array(1);
const f64bytes = new Uint8Array(f64.buffer);

/** A double as 8 bytes whose unsigned order is the numeric order (NaN below everything). */
function orderedDouble(out: Bytes, d: number): void {
  out.ensure(8);
  if (Number.isNaN(d)) {
    out.buf.fill(0, out.len, out.len + 8);
    out.len += 8;
    return;
  }
  f64[0] = d === 0 ? 0 : d; // -0 is 0
  // little-endian host: reverse into big-endian, then flip (negative: all bits; positive: sign bit)
  const neg = (f64bytes[7]! & 0x80) !== 0;
  for (let i = 0; i < 8; i++) {
    const b = f64bytes[7 - i]!;
    out.buf[out.len + i] = neg ? ~b & 0xff : i === 0 ? b ^ 0x80 : b;
  }
  out.len += 8;
}

const TWO_63 = 1n << 63n;

function int64(out: Bytes, v: bigint): void {
  out.ensure(8);
  out.buf.writeBigUInt64BE(BigInt.asUintN(64, v + TWO_63), out.len);
  out.len += 8;
}

/** A number: its double, then 0x01 when exact, or 0x00 / 0x02 and the int64 remainder below / above it. */
function numberKey(out: Bytes, d: number, exact?: bigint): void {
  out.byte(TAG.number);
  orderedDouble(out, d);
  const rem = exact === undefined || !Number.isFinite(d) ? 0n : exact - BigInt(d);
  if (rem === 0n) out.byte(1);
  else {
    out.byte(rem < 0n ? 0 : 2);
    int64(out, rem);
  }
}

type Tagged = { _bsontype?: string };

function encode(out: Bytes, v: unknown): void {
  if (v === null || v === undefined) return out.byte(TAG.null);
  switch (typeof v) {
    case "number":
      return numberKey(out, v);
    case "bigint":
      return numberKey(out, Number(v), v);
    case "string":
      out.byte(TAG.string);
      return out.escaped(v);
    case "boolean":
      out.byte(TAG.boolean);
      return out.byte(v ? 1 : 0);
  }
  if (v instanceof Date) {
    out.byte(TAG.date);
    return int64(out, BigInt(Number.isNaN(v.getTime()) ? 0 : v.getTime()));
  }
  if (v instanceof RegExp) {
    out.byte(TAG.regex);
    out.escaped(v.source);
    return out.escaped(v.flags);
  }
  if (Array.isArray(v)) {
    out.byte(TAG.array);
    for (const el of v) encode(out, el);
    return out.byte(0);
  }
  const t = (v as Tagged)._bsontype;
  switch (t) {
    case "ObjectId":
      out.byte(TAG.objectId);
      return out.bytes((v as { id: Uint8Array }).id);
    case "Long": {
      const big = BigInt((v as { toString(): string }).toString());
      return numberKey(out, Number(big), big);
    }
    case "Int32":
    case "Double":
      return numberKey(out, (v as { valueOf(): number }).valueOf());
    case "Decimal128":
      return numberKey(out, Number((v as { toString(): string }).toString()));
    case "Binary":
    case "UUID": {
      const b = v as { sub_type: number; buffer: Uint8Array };
      out.byte(TAG.binary);
      out.ensure(5);
      out.buf.writeUInt32BE(b.buffer.length, out.len);
      out.len += 4;
      out.byte(b.sub_type);
      return out.bytes(b.buffer);
    }
    case "Timestamp": {
      const ts = v as { high: number; low: number };
      out.byte(TAG.timestamp);
      out.ensure(8);
      out.buf.writeUInt32BE(ts.high >>> 0, out.len);
      out.buf.writeUInt32BE(ts.low >>> 0, out.len + 4);
      out.len += 8;
      return;
    }
    case "MinKey":
      return out.byte(TAG.minKey);
    case "MaxKey":
      return out.byte(TAG.maxKey);
    case "BSONSymbol":
      out.byte(TAG.string);
      return out.escaped(String((v as { value: string }).value));
    case "BSONRegExp": {
      const r = v as { pattern: string; options: string };
      out.byte(TAG.regex);
      out.escaped(r.pattern);
      return out.escaped(r.options);
    }
  }
  if (t !== undefined) {
    out.byte(TAG.other);
    out.escaped(t);
    return out.escaped(String(v));
  }
  out.byte(TAG.object);
  const obj = v as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (obj[k] === undefined) continue; // not stored (ignoreUndefined), so not part of equality
    out.escaped(k);
    encode(out, obj[k]);
  }
  out.byte(0);
}

/** The key of one value. */
export function keyOf(v: unknown): Buffer {
  const out = new Bytes();
  encode(out, v);
  return out.done();
}

/** The key of a compound value: the concatenation of each field's key. */
export function compoundKeyOf(values: readonly unknown[]): Buffer {
  const out = new Bytes();
  for (const v of values) encode(out, v);
  return out.done();
}

/**
 * The length of the one value key that starts at `at` in `key`, for the types whose keys a skip
 * scan steps over (null and strings); undefined for any other type or a key cut short.
 */
export function valueKeyLength(key: Uint8Array, at: number): number | undefined {
  const tag = key[at];
  if (tag === TAG.null) return 1;
  if (tag !== TAG.string) return undefined;
  // escaped UTF-8: a 0x00 is followed by 0xff inside the string and by 0x01 at its end
  for (let i = at + 1; i + 1 < key.length; i++) {
    if (key[i] !== 0) continue;
    if (key[i + 1] === 1) return i + 2 - at;
    i++;
  }
  return undefined;
}

/** The first byte string after every key that starts with `prefix` (for `k < successor(prefix)`). */
export function successor(prefix: Buffer): Buffer {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return Buffer.concat([prefix, KEY_MAX]);
  const out = Buffer.from(prefix.subarray(0, end));
  out[end - 1]!++;
  return out;
}

/** The tag a range condition on `v` is confined to, when ranges over its type are planned. */
export function rangeTag(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isNaN(v) ? undefined : TAG.number;
  if (typeof v === "string") return TAG.string;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : TAG.date;
  return undefined;
}

/** CRC-32 of a stored document, checked on every read. */
export function checksum(bytes: Uint8Array): number {
  return zlib.crc32(bytes);
}

/**
 * True when a stored value (CRC-32 big-endian, then the BSON) is whole; `size` reads a value held
 * at the start of a longer, reused buffer.
 */
export function checksumHolds(value: Uint8Array, size = value.length): boolean {
  if (size < 9) return false;
  const stored = ((value[0]! << 24) | (value[1]! << 16) | (value[2]! << 8) | value[3]!) >>> 0;
  return stored === checksum(value.subarray(4, size));
}
