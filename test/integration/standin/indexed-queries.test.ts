/**
 * Index use must only narrow, never change, results: partial indexes are used only when the query
 * implies their filter, equality-prefix and range lookups return exactly MongoDB's answer (mixed
 * types, missing fields, arrays), and limit without sort stops early in a deterministic order.
 */
import { Long, type Collection, type Document } from "mongodb";
import { describe, expect, it } from "vitest";
import { randomName, useStandin } from "./harness";

const h = useStandin();

/** Documents with any `_id` type (the tests mix numbers and strings). */
type AnyDoc = Document & { _id: number | string };

async function ids(coll: Collection<AnyDoc>, filter: Document, limit = 0): Promise<unknown[]> {
  return (await coll.find(filter).limit(limit).toArray()).map((d) => d._id).sort((a, b) => String(a).localeCompare(String(b)));
}

/** The same query on an unindexed copy: the reference answer (a collection scan). */
async function withAndWithoutIndexes(docs: AnyDoc[], indexes: Array<[Document, Document]>, filters: Document[]): Promise<void> {
  const db = h.freshDb();
  const plain = db.collection<AnyDoc>(randomName("plain"));
  const indexed = db.collection<AnyDoc>(randomName("indexed"));
  await plain.insertMany(docs.map((d) => ({ ...d })));
  for (const [key, opts] of indexes) await indexed.createIndex(key, opts);
  await indexed.insertMany(docs.map((d) => ({ ...d })));
  for (const f of filters) expect([f, await ids(indexed, f)]).toEqual([f, await ids(plain, f)]);
}

describe("mongo stand-in: index selection never changes results", () => {
  it("a {$exists: true} partial index serves the drain query and follows sets and unsets", async () => {
    const coll = h.freshDb().collection<AnyDoc>(randomName("items"));
    await coll.createIndex({ rollupDirty: 1 }, { partialFilterExpression: { rollupDirty: { $exists: true } } });
    await coll.insertMany(Array.from({ length: 30 }, (_, i) => ({ _id: i, ...(i % 3 === 0 ? { rollupDirty: "t" + i } : {}), ...(i === 1 ? { rollupDirty: null } : {}) })));
    // null counts as existing, and the doc matches the partial filter
    expect(await ids(coll, { rollupDirty: { $exists: true } })).toEqual(await ids(coll, { $or: [{ rollupDirty: { $type: "string" } }, { rollupDirty: null, _id: 1 }] }));
    expect((await coll.find({ rollupDirty: { $exists: true } }).limit(4).toArray()).length).toBe(4);

    await coll.updateOne({ _id: 3, rollupDirty: "t3" }, { $unset: { rollupDirty: "" } });
    await coll.updateOne({ _id: 6, rollupDirty: "stale" }, { $unset: { rollupDirty: "" } }); // token mismatch: no-op
    await coll.updateOne({ _id: 4 }, { $set: { rollupDirty: "t4" } });
    await coll.updateOne({ _id: 9 }, { $set: { other: 1 } }); // unrelated field: stays in the index
    const dirty = (await coll.find({ rollupDirty: { $exists: true } }).toArray()).map((d) => d._id as number).sort((a, b) => a - b);
    expect(dirty).toEqual([0, 1, 4, 6, 9, 12, 15, 18, 21, 24, 27]);
    expect(await ids(coll, { rollupDirty: { $exists: false } })).toHaveLength(19);

    // draining in batches terminates and sees every document exactly once
    const seen: number[] = [];
    for (;;) {
      const batch = await coll.find({ rollupDirty: { $exists: true } }).limit(4).toArray();
      if (batch.length === 0) break;
      for (const d of batch) {
        seen.push(d._id as number);
        await coll.updateOne({ _id: d._id, rollupDirty: d.rollupDirty }, { $unset: { rollupDirty: "" } });
      }
    }
    expect(seen.sort((a, b) => a - b)).toEqual(dirty);
  });

  it("a partial index never hides documents outside its filter that match the query", async () => {
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    const docs: AnyDoc[] = [
      { _id: "a", pending: true, pendingSince: t(1) },
      { _id: "b", pending: true, pendingSince: t(50) },
      { _id: "c", pending: false, pendingSince: t(2) },
      { _id: "d", pendingSince: t(3) },
      { _id: "e", pending: 1, pendingSince: t(4) },
      { _id: "f", pending: [false, true], pendingSince: t(5) },
      { _id: "g", pending: true },
      { _id: "h", pending: true, pendingSince: "2026" },
      { _id: "i", n: 5 },
      { _id: "j", n: 50, m: 1 },
      { _id: "k", m: null },
    ];
    const filters = [
      { pending: true, pendingSince: { $lt: t(10) } },
      { pendingSince: { $lt: t(10) } },
      { pending: { $ne: false }, pendingSince: { $lt: t(10) } },
      { pending: 1, pendingSince: { $lt: t(10) } },
      { pending: true },
      { pendingSince: { $exists: true } },
      { n: { $gt: 1 } },
      { n: { $gt: 10 } },
      { m: { $exists: true } },
      { m: { $exists: true }, n: 50 },
      { m: 1 },
    ];
    await withAndWithoutIndexes(
      docs,
      [
        [{ pendingSince: 1 }, { partialFilterExpression: { pending: true } }],
        [{ n: 1 }, { partialFilterExpression: { n: { $gt: 10 } } }],
        [{ n: 1, m: 1 }, { partialFilterExpression: { m: { $exists: true } }, sparse: true }],
        [{ m: 1 }, { partialFilterExpression: { m: { $exists: true } }, name: "m_partial" }],
        // sparse and keyed on a field no document has: holds nothing, yet must not answer {m: {$exists: true}}
        [{ z: 1 }, { partialFilterExpression: { m: { $exists: true } }, sparse: true }],
      ],
      filters,
    );
    const db = h.freshDb();
    const coll = db.collection<AnyDoc>(randomName("c"));
    await coll.createIndex({ pendingSince: 1 }, { partialFilterExpression: { pending: true } });
    await coll.insertMany(docs);
    expect(await ids(coll, { pending: true, pendingSince: { $lt: t(10) } })).toEqual(["a", "f"]);
    expect(await ids(coll, { pendingSince: { $lt: t(10) } })).toEqual(["a", "c", "d", "e", "f"]);
    await coll.updateOne({ _id: "a" }, { $set: { pending: false } });
    await coll.updateOne({ _id: "c" }, { $set: { pending: true } });
    expect(await ids(coll, { pending: true, pendingSince: { $lt: t(10) } })).toEqual(["c", "f"]);
  });

  it("equality prefixes and ranges on indexed fields return exactly the matching documents (mixed types, missing fields, arrays)", async () => {
    const d = (day: number) => new Date(Date.UTC(2026, 0, day));
    const values: unknown[] = [1, 2.5, -3, 10, Long.fromNumber(7), "3", "a", "b", "", d(1), d(5), null, true, false, [0, 10], [], ["a", 4], { x: 1 }, NaN];
    const docs: AnyDoc[] = [];
    values.forEach((v, i) => {
      docs.push({ _id: `v${i}`, ws: "w1", scope: "all", v });
      docs.push({ _id: `o${i}`, ws: i % 2 ? "w2" : ["w1", "w3"], scope: i % 3 ? "all" : "s", v });
    });
    docs.push({ _id: "missing", ws: "w1", scope: "all" });
    docs.push({ _id: "nows", scope: "all", v: 5 });
    const filters: Document[] = [];
    const ranges = [
      { $gt: 1 }, { $gte: 1, $lt: 10 }, { $lte: 2.5 }, { $lt: "b" }, { $gte: "" }, { $gt: d(2) }, { $lte: d(5) },
      { $ne: 10 }, { $ne: null }, { $eq: null }, { $exists: false }, { $gt: -Infinity }, { $in: [1, "a"] },
    ];
    for (const r of ranges) {
      filters.push({ v: r });
      filters.push({ ws: "w1", v: r });
      filters.push({ ws: "w1", scope: "all", v: r });
      filters.push({ ws: "w3", scope: "s", v: r });
    }
    filters.push({ ws: "w1", scope: "all", v: 10 }, { ws: "w1", scope: "all", v: 7 }, { ws: "w1", v: null }, { ws: null }, { v: "a", ws: "w1" }, { ws: "w1", scope: "all" });
    // pinned by $in and null as well as equalities, then a range (one prefix per combination)
    filters.push(
      { ws: { $in: ["w1", "w2"] }, scope: { $in: ["all", "s"] }, v: { $gt: 1 } },
      { ws: { $in: ["w1", "w3"] }, scope: "all", v: { $in: [1, "a", null] } },
      { ws: "w1", scope: null },
      { ws: null, scope: "all", v: { $lt: 10 } },
      { ws: { $in: ["w1", "w2"] }, scope: null, v: null },
      { scope: { $in: ["all", "s"] }, ws: { $in: ["w1", "w3"] } },
      { v: null, ws: { $in: ["w1"] } },
    );
    await withAndWithoutIndexes(
      docs,
      [
        [{ ws: 1, scope: 1, v: 1 }, {}],
        [{ v: 1 }, {}],
        [{ scope: 1, ws: 1 }, { sparse: true }],
      ],
      filters,
    );
  });

  it("the mingo-free matcher agrees with the full one on flat filters", async () => {
    const docs: AnyDoc[] = [
      { _id: 1, a: 5 }, { _id: 2, a: [5, 6] }, { _id: 3, a: null }, { _id: 4 }, { _id: 5, a: [null, 1] }, { _id: 6, a: [[5]] },
      { _id: 7, a: Long.fromNumber(5) }, { _id: 8, a: "5" }, { _id: 9, a: { b: 5 } }, { _id: 10, a: NaN }, { _id: 11, a: [] },
      { _id: 12, a: 5.0, b: "x" }, { _id: 13, a: new Date(5) }, { _id: 14, a: true }, { _id: 15, a: [{ b: 1 }, 7] },
    ];
    const db = h.freshDb();
    const coll = db.collection<AnyDoc>(randomName("m"));
    await coll.insertMany(docs);
    // $and of the same conditions goes through the full matcher: the reference.
    const check = async (f: Document) =>
      expect([f, await ids(coll, f)]).toEqual([f, await ids(coll, { $and: [f] })]);
    for (const f of [
      { a: 5 }, { a: null }, { a: { $ne: 5 } }, { a: { $ne: null } }, { a: { $exists: true } }, { a: { $exists: false } },
      { a: { $gt: 4 } }, { a: { $lt: 6, $gt: 5.5 } }, { a: { $gte: "5" } }, { a: { $lt: new Date(6) } }, { a: NaN }, { a: { $eq: 6 } },
      { a: 5, b: "x" }, { _id: 12, a: { $lt: 6 } }, { _id: 12, a: { $ne: 5 } }, { a: true }, { a: { $gte: 7 } },
    ]) await check(f);
    expect(await ids(coll, { a: 5 })).toEqual([1, 12, 2, 7]);
    expect(await ids(coll, { a: null })).toEqual([3, 4, 5]);
    expect(await ids(coll, { a: { $ne: 5 } })).toEqual([10, 11, 13, 14, 15, 3, 4, 5, 6, 8, 9]);
  });

  it("limit without sort returns the first matching documents in natural order and stops there", async () => {
    const coll = h.freshDb().collection<AnyDoc>(randomName("n"));
    await coll.createIndex({ k: 1 });
    await coll.insertMany(Array.from({ length: 200 }, (_, i) => ({ _id: 1000 - i, k: i % 7, s: i })));
    const first = await coll.find({ s: { $gte: 10 } }).limit(5).toArray();
    expect(first.map((d) => d.s)).toEqual([10, 11, 12, 13, 14]);
    expect((await coll.find({}).limit(3).toArray()).map((d) => d._id)).toEqual([1000, 999, 998]);
    expect((await coll.find({ k: 3 }).limit(4).toArray()).map((d) => d.s)).toEqual([3, 10, 17, 24]);
    expect((await coll.find({ k: 3 }, { projection: { _id: 0, s: 1 } }).skip(1).limit(2).toArray())).toEqual([{ s: 10 }, { s: 17 }]);
    const one = { _id: 1000 - 3, k: 3, s: 3 };
    for (const [projection, expected] of [
      [{ s: 1 }, { _id: one._id, s: 3 }],
      [{ s: true, _id: false, nope: 1 }, { s: 3 }],
      [{ k: 0 }, { _id: one._id, s: 3 }],
      [{ _id: 0, k: 0 }, { s: 3 }],
      [{ _id: 1 }, { _id: one._id }],
      [{ _id: 0 }, { k: 3, s: 3 }],
    ] as const) {
      const got = await coll.findOne({ s: 3 }, { projection });
      expect([projection, got, Object.keys(got!)]).toEqual([projection, expected, Object.keys(expected)]);
    }
    // an update leaves the natural order alone
    await coll.updateOne({ s: 10 }, { $set: { k: 3, s: 10 } });
    await coll.updateOne({ s: 3 }, { $set: { k: 4 } });
    await coll.updateOne({ s: 3 }, { $set: { k: 3 } });
    expect((await coll.find({ s: { $gte: 0 } }).limit(4).toArray()).map((d) => d.s)).toEqual([0, 1, 2, 3]);
    expect((await coll.find({ k: 3 }).toArray()).map((d) => d.s).sort((a, b) => a - b).slice(0, 3)).toEqual([3, 10, 17]);
  });
});
