/**
 * Month rollup documents decoded straight from their BSON (the driver's `raw: true`): a month
 * document holds up to 744 hourly slots per measure, named "0".."743". A generic BSON decoder
 * makes a string of every slot name and then an object property of it; this reads the digits as
 * the slot number and the value as a number, into the same `MonthRollupDoc` shape, except that a
 * measure's slots are an array indexed by slot (holes where absent) instead of an object: the
 * same values at the same indexes. Anything it does not expect (another field, another value
 * type) is handed to the generic decoder. Pure.
 */
import { BSON } from "bson";
import { HOURS_PER_MONTH_DOC, type MonthRollupDoc } from "../domain/metrics";
import { BSON_TYPE } from "./bson-types";

const { double: T_DOUBLE, string: T_STRING, document: T_DOCUMENT, null: T_NULL, int32: T_INT32, int64: T_INT64 } = BSON_TYPE;

/** Thrown inside the walk when the bytes are not what the fast path handles. */
const GENERIC = Symbol("generic");

export function monthDocFromBson(bytes: Uint8Array): MonthRollupDoc {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    return walkTop(b);
  } catch (err) {
    if (err !== GENERIC) throw err;
    return BSON.deserialize(b) as MonthRollupDoc;
  }
}

function walkTop(b: Buffer): MonthRollupDoc {
  const out: Record<string, unknown> = {};
  const end = docEnd(b, 0);
  let p = 4;
  while (p < end) {
    const type = b[p]!;
    const nameEnd = b.indexOf(0, p + 1);
    if (nameEnd < 0 || nameEnd >= end) throw GENERIC;
    const name = b.toString("utf8", p + 1, nameEnd);
    p = nameEnd + 1;
    if (name === "m" && type === T_DOCUMENT) {
      const size = b.readInt32LE(p);
      out.m = walkMeasures(b, p, p + size - 1);
      p += size;
    } else if (type === T_STRING) {
      const size = b.readInt32LE(p);
      out[name] = b.toString("utf8", p + 4, p + 4 + size - 1);
      p += 4 + size;
    } else if (type === T_NULL) {
      out[name] = null;
    } else if (type === T_DOCUMENT) {
      // `dims` and the like: small, decoded the usual way
      const size = b.readInt32LE(p);
      out[name] = BSON.deserialize(b.subarray(p, p + size));
      p += size;
    } else throw GENERIC;
  }
  if (p !== end) throw GENERIC;
  return out as unknown as MonthRollupDoc;
}

/** `{ <measure>: { "<slot>": number } }`, each slot set by its number (see walkSlots). */
function walkMeasures(b: Buffer, start: number, end: number): Record<string, Record<number, number>> {
  const out: Record<string, Record<number, number>> = {};
  let p = start + 4;
  while (p < end) {
    if (b[p] !== T_DOCUMENT) throw GENERIC;
    const nameEnd = b.indexOf(0, p + 1);
    if (nameEnd < 0 || nameEnd >= end) throw GENERIC;
    const measure = b.toString("utf8", p + 1, nameEnd);
    p = nameEnd + 1;
    const size = b.readInt32LE(p);
    out[measure] = walkSlots(b, p, p + size - 1);
    p += size;
  }
  if (p !== end) throw GENERIC;
  return out;
}

function walkSlots(b: Buffer, start: number, end: number): Record<number, number> {
  // An array indexed by slot (absent slots are holes), made full length up front so that it stays
  // a fast one: the drain adds slots in the order hours first occur, and an object given integer
  // keys out of order turns into a slow dictionary.
  const slots: number[] = new Array<number>(HOURS_PER_MONTH_DOC);
  let p = start + 4;
  while (p < end) {
    const type = b[p++]!;
    // the name: decimal digits (no leading zero but "0" itself) up to the NUL
    let slot = 0;
    let digits = 0;
    for (let c = b[p]!; c !== 0; c = b[++p]!) {
      if (p >= end) throw GENERIC;
      if (c < 0x30 || c > 0x39 || (digits === 1 && slot === 0) || digits > 6) throw GENERIC;
      slot = slot * 10 + (c - 0x30);
      digits++;
    }
    if (digits === 0) throw GENERIC;
    p++;
    if (type === T_INT32) {
      slots[slot] = b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
      p += 4;
    } else if (type === T_DOUBLE) {
      slots[slot] = b.readDoubleLE(p);
      p += 8;
    } else if (type === T_INT64) {
      const v = b.readBigInt64LE(p);
      // beyond 2^53 the generic decoder keeps a Long: leave it to it
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw GENERIC;
      slots[slot] = Number(v);
      p += 8;
    } else throw GENERIC;
  }
  if (p !== end) throw GENERIC;
  return slots;
}

function docEnd(b: Buffer, at: number): number {
  if (b.length < at + 5) throw GENERIC;
  const size = b.readInt32LE(at);
  if (size < 5 || at + size > b.length || b[at + size - 1] !== 0) throw GENERIC;
  return at + size - 1;
}
