/**
 * The engine's index keys: byte order must be MongoDB's order within a type bracket (numbers by
 * value across int/long/double, strings by UTF-8 bytes, dates by time), values MongoDB calls equal
 * must get the same bytes, and compound keys must order field by field (prefix-free encoding).
 */
import fc from "fast-check";
import { Decimal128, Double, Int32, Long, ObjectId } from "bson";
import { describe, expect, it } from "vitest";
import { compoundKeyOf, keyOf, rangeTag, successor, valueKeyLength } from "../../../shared/db/standin/key-bytes";

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
const cmpBytes = (a: unknown, b: unknown) => sign(Buffer.compare(keyOf(a), keyOf(b)));

/** MongoDB's order of two numbers (NaN first), as exact values. */
function cmpNumbers(a: number | bigint, b: number | bigint): number {
  const nan = (x: number | bigint) => typeof x === "number" && Number.isNaN(x);
  if (nan(a) || nan(b)) return nan(a) && nan(b) ? 0 : nan(a) ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

const asKeyValue = (x: number | bigint) => (typeof x === "bigint" ? Long.fromBigInt(x) : x);

describe("key bytes", () => {
  it("order numbers by value across doubles, integers and Longs (beyond 2^53 too)", () => {
    const num = fc.oneof(
      fc.double(),
      fc.integer({ min: -1000, max: 1000 }),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      fc.bigInt({ min: 2n ** 53n - 5n, max: 2n ** 53n + 5n }),
    );
    fc.assert(
      fc.property(num, num, (a, b) => {
        expect(cmpBytes(asKeyValue(a), asKeyValue(b))).toBe(cmpNumbers(a, b));
      }),
      { numRuns: 2_000 },
    );
  });

  it("order strings by their UTF-8 bytes (MongoDB's binary comparison), and dates by time", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }), (a, b) => {
        expect(cmpBytes(a, b)).toBe(sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
      }),
    );
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), fc.date({ noInvalidDate: true }), (a, b) => {
        expect(cmpBytes(a, b)).toBe(sign(a.getTime() - b.getTime()));
      }),
    );
  });

  it("give values MongoDB calls equal the same bytes", () => {
    const one = keyOf(1);
    for (const v of [1.0, new Int32(1), new Double(1), Long.fromNumber(1), 1n, Decimal128.fromString("1")]) expect(keyOf(v)).toEqual(one);
    expect(keyOf(-0)).toEqual(keyOf(0));
    expect(keyOf(undefined)).toEqual(keyOf(null));
    const id = new ObjectId();
    expect(keyOf(new ObjectId(id.toHexString()))).toEqual(keyOf(id));
    expect(keyOf({ a: 1, b: [1, "x"] })).toEqual(keyOf({ a: 1.0, b: [Long.fromNumber(1), "x"] }));
    expect(keyOf({ a: 1, b: 2 })).not.toEqual(keyOf({ b: 2, a: 1 }));
  });

  it("keep MongoDB's order of type brackets and order compound keys field by field", () => {
    const byType = [null, -Infinity, 5, "", "a", { a: 1 }, [1], new ObjectId(), false, true, new Date(0)];
    for (let i = 1; i < byType.length; i++) expect([byType[i - 1], cmpBytes(byType[i - 1], byType[i])]).toEqual([byType[i - 1], -1]);
    const tuple = fc.tuple(fc.oneof(fc.string(), fc.integer()), fc.oneof(fc.string(), fc.integer()));
    fc.assert(
      fc.property(tuple, tuple, ([a1, a2], [b1, b2]) => {
        const first = cmpBytes(a1, b1);
        const expected = first !== 0 ? first : cmpBytes(a2, b2);
        expect(sign(Buffer.compare(compoundKeyOf([a1, a2]), compoundKeyOf([b1, b2])))).toBe(expected);
        // every key with the prefix a1 lies in [key(a1), successor(key(a1)))
        const k = compoundKeyOf([a1, a2]);
        expect(Buffer.compare(k, keyOf(a1))).toBeGreaterThanOrEqual(0);
        expect(Buffer.compare(k, successor(keyOf(a1)))).toBe(-1);
      }),
    );
  });

  it("plan ranges only over numbers, strings and dates", () => {
    expect([rangeTag(1), rangeTag("a"), rangeTag(new Date())].every((t) => t !== undefined)).toBe(true);
    expect([rangeTag(NaN), rangeTag(null), rangeTag(true), rangeTag(new ObjectId()), rangeTag({})]).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it("tell where a null or string value's key ends inside a compound key (for skip scans), and nothing of other types", () => {
    fc.assert(
      fc.property(fc.string(), fc.oneof(fc.constant(null), fc.string({ unit: "binary" }), fc.constantFrom("\0", "a\0\u0001b", "\0\0")), fc.oneof(fc.string(), fc.integer()), (lead, v, after) => {
        const head = keyOf(lead);
        const key = compoundKeyOf([lead, v, after]);
        expect(valueKeyLength(key, head.length)).toBe(keyOf(v).length);
      }),
    );
    expect(valueKeyLength(keyOf(5), 0)).toBeUndefined();
    expect(valueKeyLength(keyOf(new Date(0)), 0)).toBeUndefined();
    expect(valueKeyLength(keyOf("abc").subarray(0, 3), 0)).toBeUndefined(); // cut short
  });
});
