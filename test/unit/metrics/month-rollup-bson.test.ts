/**
 * Month rollup documents decoded from their BSON by slot number hold exactly the values the
 * generic decoder gives, at the same slots, for every value type the drain can leave (int32,
 * double, int64); anything else (a Long beyond 2^53, another field type, a slot name that is not
 * a number) falls back to the generic decoder.
 */
import { BSON, Double, Int32, Long, ObjectId } from "bson";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { monthDocFromBson } from "../../../shared/db/month-rollup-bson";

const slotValue = fc.oneof(
  fc.integer({ min: -1000, max: 100_000 }).map((n) => new Int32(n)),
  fc.double({ noNaN: true, min: -1e9, max: 1e9 }).map((d) => new Double(d)),
  fc.integer({ min: -1000, max: 100_000 }).map((n) => Long.fromNumber(n)),
  fc.constantFrom(Long.fromString("9007199254740993"), new Double(-0), new Double(0.5)),
);
const slots = fc.dictionary(fc.integer({ min: 0, max: 743 }).map(String), slotValue, { maxKeys: 60 });
const monthDoc = fc.record({
  family: fc.constantFrom("tickets_created", "tickets_resolved", "mentions"),
  month: fc.constantFrom("2025-01", "2026-02"),
  cut: fc.constantFrom("", "channel", "team"),
  dims: fc.oneof(fc.constant({}), fc.record({ channel: fc.constantFrom("email", "chat", "é 💬") })),
  tag: fc.constant(null),
  m: fc.dictionary(fc.constantFrom("n", "fcr", "promoters"), slots, { maxKeys: 3 }),
});

/** Slots as `{ "<slot>": value }` of the present ones, whether held in an array or an object. */
const slotsAsObject = (m: Record<string, object>) => Object.fromEntries(Object.entries(m).map(([k, slots]) => [k, Object.fromEntries(Object.entries(slots))]));

const decodedBoth = (doc: object) => {
  const bytes = BSON.serialize(doc);
  const fast = monthDocFromBson(bytes);
  const generic = BSON.deserialize(bytes);
  return { fast: { ...fast, m: slotsAsObject(fast.m) }, generic: { ...generic, m: slotsAsObject(generic.m) } };
};

describe("month rollup documents from BSON", () => {
  it("equal the generic decoder's answer, value types and all", () => {
    fc.assert(
      fc.property(monthDoc, (doc) => {
        const { fast, generic } = decodedBoth(doc);
        expect(fast).toEqual(generic);
        for (const [measure, s] of Object.entries(generic.m as Record<string, Record<string, unknown>>)) {
          // numbers exactly (toEqual does not tell -0 from 0); a Long beyond 2^53 stays a Long
          for (const [k, v] of Object.entries(s)) {
            if (typeof v === "number") expect(Object.is((fast.m[measure] as Record<string, unknown>)[k], v), `${measure}.${k}`).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("hold each measure's slots in an array indexed by slot, with holes where a slot is absent", () => {
    const doc = monthDocFromBson(BSON.serialize({ family: "mentions", month: "2026-01", cut: "", dims: {}, tag: null, m: { n: { 700: 2, 3: 1, 40: 0 } } }));
    const slots = doc.m.n as unknown as number[];
    expect(Array.isArray(slots)).toBe(true);
    expect([slots[3], slots[40], slots[700], slots[4]]).toEqual([1, 0, 2, undefined]);
    expect(Object.keys(slots)).toEqual(["3", "40", "700"]);
  });

  it("hand whatever they do not expect to the generic decoder", () => {
    for (const odd of [
      { _id: new ObjectId(), family: "mentions", month: "2026-01", cut: "", dims: {}, tag: null, m: { n: { 3: 1 } } },
      { family: "mentions", month: "2026-01", cut: "", dims: {}, tag: null, m: { n: { "03": 1, x: 2 } } },
      { family: "mentions", month: "2026-01", cut: "", dims: {}, tag: null, m: { n: [1, 2, 3] } },
      { family: "mentions", month: "2026-01", cut: "", dims: {}, tag: "billing", m: { n: { 5: "seven" } } },
    ]) {
      const { fast, generic } = decodedBoth(odd);
      expect(fast).toEqual(generic);
    }
  });
});
