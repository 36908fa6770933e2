/**
 * The find path over stored bytes (raw-bson.ts) against its definition, `iterateFind` over the
 * decoded documents (matching.ts): for random documents (nested documents, arrays, mixed BSON
 * types), filters, inclusion/exclusion projections, skip and limit, the bytes it answers must be
 * exactly the bytes the decoded path's results encode to — field order and number types included.
 */
import fc from "fast-check";
import { Binary, BSON, Decimal128, Long, ObjectId, Timestamp, type Document } from "bson";
import { Query } from "mingo";
import { describe, expect, it } from "vitest";
import { iterateFind } from "../../../shared/db/standin/matching";
import { DECODE, filterTopFields, iterateFindStored, rawProjection, topFieldsReader, type FoundDoc } from "../../../shared/db/standin/raw-bson";

const OPTS = { validation: { utf8: false } } as const;
const enc = (d: Document) => Buffer.from(BSON.serialize(d, { ignoreUndefined: true }));
/** What the store holds: the driver encodes, the server decodes, the store encodes that again. */
const storedForm = (d: Document) => enc(BSON.deserialize(enc(d), OPTS));
const bytesOf = (s: FoundDoc) => (Buffer.isBuffer(s) ? s : enc(s));

// No key named like an Object.prototype member here: mingo's array projection (the fallback of
// both paths) writes into Object.prototype.toString for such a key; see the test further down.
const KEYS = ["a", "b", "c", "h", "0", "1", "12", "n", "é"];
const scalar = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 4 }),
  fc.constantFrom("x", "y", "ü"),
  fc.boolean(),
  fc.constant(null),
  fc.date({ min: new Date("1960-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }),
  fc.constant(new ObjectId("64b7f0c2a1b2c3d4e5f60718")),
  fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }).map((n) => Long.fromBigInt(n)),
  fc.constant(Decimal128.fromString("1.5")),
  fc.constant(new Binary(Buffer.from([1, 2, 3]))),
  fc.constant(new Timestamp({ t: 5, i: 1 })),
  fc.constant(/ab+c/i),
);
const { value } = fc.letrec<{ value: unknown; doc: Document }>((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("doc"), fc.array(tie("value"), { maxLength: 3 })),
  doc: fc.dictionary(fc.constantFrom(...KEYS), tie("value"), { maxKeys: 5 }),
}));
const storedDoc = fc
  .tuple(fc.integer({ min: 0, max: 1000 }), fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 6 }))
  .map(([id, d]) => storedForm({ _id: id, ...d }));

const PATHS = ["a", "b", "c", "h", "0", "12", "a.b", "a.0", "h.0.n", "h.1", "h.0", "c.a.b", "é.n", "n.h.a", "_id"];
const projection = fc.oneof(
  fc.constant(undefined),
  fc.constant({}),
  fc.record({ inc: fc.uniqueArray(fc.constantFrom(...PATHS), { minLength: 1, maxLength: 5 }), noId: fc.boolean() }).map(({ inc, noId }) => {
    const p: Document = {};
    for (const f of inc) if (!inc.some((g) => g !== f && (f.startsWith(g + ".") || g.startsWith(f + ".")))) p[f] = 1;
    if (noId) p._id = 0;
    return p;
  }),
  fc.uniqueArray(fc.constantFrom("a", "b", "h", "0", "_id"), { minLength: 1, maxLength: 3 }).map((ex) => Object.fromEntries(ex.map((f) => [f, 0]))),
);
const cond = fc.oneof(
  scalar,
  scalar.map((v) => ({ $gt: v })),
  scalar.map((v) => ({ $lte: v })),
  scalar.map((v) => ({ $ne: v })),
  fc.boolean().map((b) => ({ $exists: b })),
  fc.array(scalar, { maxLength: 3 }).map((vs) => ({ $in: vs })),
  fc.constant({ $type: "object" }),
  fc.constant({ b: 1 }),
);
const fieldFilter = fc.dictionary(fc.constantFrom("a", "b", "h", "0", "a.b", "h.0.n", "_id"), cond, { maxKeys: 2 });
const filter = fc.oneof(
  fc.constant(undefined),
  fc.constant({}),
  fieldFilter,
  fc.array(fieldFilter, { minLength: 1, maxLength: 2 }).map((fs) => ({ $or: fs })),
  fc.constant({ $expr: { $gt: ["$a", 1] } }),
  fc.constant({ $comment: "x" }),
);

/** Both paths; each may throw, and then both must throw. */
function run<T>(f: () => T): T | { threw: true; message: string } {
  try {
    return f();
  } catch (err) {
    return { threw: true, message: (err as Error).message };
  }
}

describe("find over stored bytes agrees with find over decoded documents", () => {
  it("for random documents, filters, projections, skip and limit, byte for byte", () => {
    fc.assert(
      fc.property(
        fc.array(storedDoc, { maxLength: 8 }),
        filter,
        projection,
        fc.nat(3),
        fc.nat(4),
        (rows, f, proj, skip, limit) => {
          const decoded = rows.map((b) => BSON.deserialize(b, OPTS));
          const opts = { projection: proj, skip, limit };
          const want = run(() => [...iterateFind(decoded, f, opts)].map(enc));
          const got = run(() => [...iterateFindStored(rows, f, opts)].map(bytesOf));
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 1_500 },
    );
  });

  it("answers stored documents with no projection as the very bytes stored (a fixed point of decode and encode)", () => {
    fc.assert(
      fc.property(storedDoc, (b) => {
        const [out] = [...iterateFindStored([b], {}, {})];
        expect(out).toBe(b);
        expect(enc(BSON.deserialize(b, OPTS))).toEqual(b);
      }),
      { numRuns: 1_000 },
    );
  });

  it("matches mingo's own find for projections through sub-documents only", () => {
    const plain = fc.letrec<{ v: unknown; d: Document }>((tie) => ({
      v: fc.oneof({ depthSize: "small" }, fc.integer({ min: 0, max: 3 }), fc.constantFrom("x", "y"), tie("d")),
      d: fc.dictionary(fc.constantFrom("a", "b", "h", "0", "n"), tie("v"), { maxKeys: 4 }),
    })).d;
    fc.assert(
      fc.property(fc.array(plain, { maxLength: 5 }), fc.uniqueArray(fc.constantFrom("a", "b.a", "h.0.n", "h.0", "n"), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 3 }), (docs, inc, v) => {
        const proj: Document = Object.fromEntries(inc.filter((f) => !inc.some((g) => g !== f && (f.startsWith(g + ".") || g.startsWith(f + ".")))).map((f) => [f, 1]));
        const stored = docs.map((d, i) => storedForm({ _id: i, ...d }));
        const f = { a: { $gte: v } };
        const got = [...iterateFindStored(stored, f, { projection: proj })].map((s) => BSON.deserialize(bytesOf(s), OPTS));
        const want = new Query(f).find(stored.map((b) => BSON.deserialize(b, OPTS)), proj).all();
        expect(got).toEqual(want);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe("raw-bson pieces", () => {
  const rollup = storedForm({
    _id: new ObjectId(),
    workspace: "w",
    family: "volume",
    day: "2026-01-02",
    dims: { channel: "email" },
    tag: null,
    h: { "0": { n: 2, fcr: 1, sum: 9 }, "5": { n: 1, sum: 3 } },
    updatedAt: new Date(0),
  });

  it("decodes only the top-level fields a filter reads", () => {
    const fields = filterTopFields({ workspace: "w", "dims.channel": { $in: ["email"] }, $or: [{ tag: null }, { day: { $gte: "2026" } }] });
    expect([...fields!].sort()).toEqual(["day", "dims", "tag", "workspace"]);
    expect(topFieldsReader(fields!)(rollup)).toEqual({ workspace: "w", day: "2026-01-02", dims: { channel: "email" }, tag: null });
    expect(filterTopFields({ $expr: { $eq: ["$a", 1] } })).toBeUndefined();
    expect(filterTopFields({ $and: [{ a: 1 }, { $where: "true" }] })).toBeUndefined();
  });

  it("projects dotted paths by copying bytes, leaving a sub-document holding none of them as {}", () => {
    const project = rawProjection({ _id: 0, family: 1, "h.0.n": 1, "h.5.fcr": 1, "h.9.n": 1, "dims.x": 1 })!;
    const out = project(rollup);
    expect(Buffer.isBuffer(out)).toBe(true);
    expect(BSON.deserialize(out as Buffer)).toEqual({ family: "volume", dims: {}, h: { "0": { n: 2 }, "5": {} } });
  });

  it("does not take a stored field named like an Object.prototype member for a projected path", () => {
    const b = storedForm({ _id: 1, toString: { a: 1 }, constructor: { b: 2 }, a: { b: 3, c: 4 } });
    const proj = { "a.b": 1 };
    expect(BSON.deserialize(rawProjection(proj)!(b) as Buffer)).toEqual({ _id: 1, a: { b: 3 } });
    expect([...iterateFind([BSON.deserialize(b, OPTS)], {}, { projection: proj })]).toEqual([{ _id: 1, a: { b: 3 } }]);
  });

  it("projects a document larger than its scratch buffer", () => {
    const big = storedForm({ _id: 1, pad: "x".repeat(400_000), a: { b: 1, c: "y".repeat(300_000) }, z: 2 });
    const out = rawProjection({ "a.b": 1, z: 1 })!(big);
    expect(BSON.deserialize(out as Buffer)).toEqual({ _id: 1, a: { b: 1 }, z: 2 });
    // and the scratch buffer serves the next small one again
    expect(BSON.deserialize(rawProjection({ z: 1 })!(storedForm({ _id: 2, z: 3 })) as Buffer)).toEqual({ _id: 2, z: 3 });
  });

  it("leaves to the decoded path an array on a projected path and a sub-document that may be a DBRef", () => {
    expect(rawProjection({ "a.b": 1 })!(storedForm({ _id: 1, a: [{ b: 1 }] }))).toBe(DECODE);
    expect(rawProjection({ "a.b": 1 })!(enc({ _id: 1, a: { $ref: "c", $id: 1 } }))).toBe(DECODE);
    expect(rawProjection({ "a.$": 1 })).toBeUndefined();
  });
});
