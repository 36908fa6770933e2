/**
 * Queries served from the engine's ordered index keys: equality, `$in` and range conditions and
 * sorted scans read only the documents they return (serverStatus's `scannedObjects`, counted as
 * MongoDB counts documents examined), and give exactly the answer of a collection scan.
 */
import fc from "fast-check";
import { Long, type Collection, type Document } from "mongodb";
import { describe, expect, it } from "vitest";
import { randomName, useStandin } from "./harness";

const h = useStandin();

async function scanned(): Promise<number> {
  const s = await h.client().db("admin").command({ serverStatus: 1 });
  return Number(s.metrics.queryExecutor.scannedObjects);
}

/** Documents a query had to read. */
async function cost(run: () => Promise<unknown>): Promise<number> {
  const before = await scanned();
  await run();
  return (await scanned()) - before;
}

describe("mongo stand-in: queries served from index keys", () => {
  const day = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 3_600_000);

  it("equality + range, $in + range, and sorted scans with a limit read only what they return", async () => {
    const coll = h.freshDb().collection<{ _id: number; ws: string; at: Date; n: number; plain: number }>(randomName("items"));
    await coll.createIndex({ ws: 1, at: 1 });
    await coll.insertMany(Array.from({ length: 10_000 }, (_, i) => ({ _id: i, ws: `w${i % 4}`, at: day(i), n: i, plain: i })));

    const range = { ws: "w1", at: { $gte: day(4_000), $lt: day(4_200) } };
    let got: unknown[] = [];
    expect(await cost(async () => (got = await coll.find(range).toArray()))).toBe(50);
    expect(got).toHaveLength(50);

    const inRange = { ws: { $in: ["w1", "w2"] }, at: { $gte: day(4_000), $lt: day(4_200) } };
    expect(await cost(async () => (got = await coll.find(inRange).toArray()))).toBe(100);
    expect(got).toHaveLength(100);

    // newest ten of one workspace: read backwards from the index, stopping at the limit
    let newest: Array<{ _id: number }> = [];
    expect(await cost(async () => (newest = await coll.find({ ws: "w3" }).sort({ at: -1 }).limit(10).toArray()))).toBeLessThanOrEqual(11);
    expect(newest.map((d) => d._id)).toEqual(Array.from({ length: 10 }, (_, i) => 9_999 - 4 * i));
    // oldest five after a point in time, ascending
    let oldest: Array<{ _id: number }> = [];
    expect(await cost(async () => (oldest = await coll.find({ ws: "w0", at: { $gt: day(5_000) } }).sort({ at: 1 }).limit(5).toArray()))).toBeLessThanOrEqual(6);
    expect(oldest.map((d) => d._id)).toEqual([5_004, 5_008, 5_012, 5_016, 5_020]);
    // _id order comes from the _id index
    expect(await cost(async () => (oldest = await coll.find({}).sort({ _id: -1 }).limit(3).toArray()))).toBeLessThanOrEqual(4);
    expect(oldest.map((d) => d._id)).toEqual([9_999, 9_998, 9_997]);
    // a walk in batches resumes after the last _id: it starts there, not at the first _id
    expect(await cost(async () => (oldest = await coll.find({ _id: { $gt: 8_000 }, n: { $gte: 0 } }).sort({ _id: 1 }).limit(3).toArray()))).toBeLessThanOrEqual(4);
    expect(oldest.map((d) => d._id)).toEqual([8_001, 8_002, 8_003]);
    expect(await cost(async () => (oldest = await coll.find({ _id: { $lt: 2_000 } }).sort({ _id: -1 }).limit(2).toArray()))).toBeLessThanOrEqual(3);
    expect(oldest.map((d) => d._id)).toEqual([1_999, 1_998]);

    // the same questions on an unindexed field read everything (so the counts above mean something)
    expect(await cost(() => coll.find({ plain: { $gte: 4_000, $lt: 4_050 } }).toArray())).toBe(10_000);
    expect(await cost(() => coll.find({}).sort({ plain: -1 }).limit(10).toArray())).toBe(10_000);
  });

  it("leading fields pinned by $in and null, or a field stepped over, then a range: only the range's documents are read", async () => {
    // the shape of a trend's rollup read: {cut: {$in: [c, ""]}, tag: null, day: range}
    const coll = h.freshDb().collection<{ _id: number; cut: string; tag?: string | null; day: number }>(randomName("rollups"));
    await coll.createIndex({ cut: 1, tag: 1, day: 1 });
    const tags = [undefined, null, "billing", "refund", "login"];
    await coll.insertMany(
      Array.from({ length: 6_000 }, (_, i) => {
        const tag = tags[i % 5];
        return { _id: i, cut: ["", "channel", "team"][Math.floor(i / 5) % 3]!, ...(tag === undefined ? {} : { tag }), day: Math.floor(i / 15) };
      }),
    );
    const filter = { cut: { $in: ["channel", ""] }, tag: null, day: { $gte: 100, $lt: 200 } };
    let got: Array<{ _id: number }> = [];
    expect(await cost(async () => (got = await coll.find(filter).toArray()))).toBe(400);
    // 100 days x 2 cuts x (no tag, tag null) = 400, as a scan finds them
    expect(got.map((d) => d._id).sort((a, b) => a - b)).toEqual((await coll.find({ $and: [filter] }).toArray()).map((d) => d._id).sort((a, b) => a - b));
    expect(got).toHaveLength(400);
    const tagged = { cut: "channel", tag: { $in: ["refund", "login"] }, day: { $gte: 100, $lt: 110 } };
    expect(await cost(async () => (got = await coll.find(tagged).toArray()))).toBe(20);

    // any tag, or no condition on the tag: the tag's values are stepped over in the keys, and
    // only each one's days are read (a skip scan), not every day of the cut
    const scan = async (f: Document) => (await coll.find({ $and: [f] }).toArray()).map((d) => d._id).sort((a, b) => a - b);
    const anyTag = { cut: "channel", tag: { $ne: null }, day: { $gte: 100, $lt: 110 } };
    expect(await cost(async () => (got = await coll.find(anyTag).toArray()))).toBe(30);
    expect(got.map((d) => d._id).sort((a, b) => a - b)).toEqual(await scan(anyTag));
    const noTag = { cut: { $in: ["channel", "team"] }, day: { $gte: 100, $lt: 110 } };
    expect(await cost(async () => (got = await coll.find(noTag).toArray()))).toBe(100);
    expect(got.map((d) => d._id).sort((a, b) => a - b)).toEqual(await scan(noTag));
  });

  it("sorted index scans give exactly the answer of a scan, over mixed types, missing fields and duplicates", async () => {
    const value = fc.oneof(
      fc.integer({ min: -5, max: 5 }),
      fc.double({ min: -5, max: 5, noNaN: true }),
      fc.constantFrom("a", "b", "ab", "B", ""),
      fc.constant(null),
      fc.constant(undefined),
      fc.date({ min: new Date(0), max: new Date(10_000), noInvalidDate: true }),
      fc.boolean(),
      fc.integer({ min: -5, max: 5 }).map((n) => Long.fromNumber(n)),
    );
    const docsArb = fc.array(fc.record({ g: fc.constantFrom("x", "y"), v: value }), { minLength: 1, maxLength: 60 });
    const db = h.freshDb();
    await fc.assert(
      fc.asyncProperty(docsArb, fc.constantFrom(1, -1), fc.nat({ max: 3 }), async (raw, dir, skip) => {
        const docs = raw.map((d, i) => ({ _id: i, g: d.g, ...(d.v === undefined ? {} : { v: d.v }) }));
        const plain = db.collection<Document & { _id: number }>(randomName("plain"));
        const indexed = db.collection<Document & { _id: number }>(randomName("indexed"));
        await indexed.createIndex({ g: 1, v: 1 });
        await plain.insertMany(docs.map((d) => ({ ...d })));
        await indexed.insertMany(docs.map((d) => ({ ...d })));
        for (const filter of [{ g: "x" }, { g: "y", v: { $gte: 0 } }, { g: "x", v: { $lt: "b" } }]) {
          const a = await indexed.find(filter).sort({ v: dir }).skip(skip).toArray();
          const b = await plain.find(filter).sort({ v: dir }).skip(skip).toArray();
          // ties may come in either order: compare the sequence of sort values and the members
          const sortValues = (r: Document[]) => r.map((d) => JSON.stringify(d.v ?? null));
          expect(sortValues(a)).toEqual(sortValues(b));
          if (skip === 0) expect(a.map((d) => d._id).sort()).toEqual(b.map((d) => d._id).sort());
        }
        await plain.drop();
        await indexed.drop();
      }),
      { numRuns: 40 },
    );
  });

  it("$in on the field before the sort field merges one range per value in sort order (MongoDB's SORT_MERGE)", async () => {
    const coll = h.freshDb().collection<{ _id: number; ws: string; kind: string; at: Date }>(randomName("kinds"));
    await coll.createIndex({ ws: 1, kind: 1, at: -1 });
    const kinds = ["ticket", "mention", "survey"];
    await coll.insertMany(Array.from({ length: 9_000 }, (_, i) => ({ _id: i, ws: `w${i % 2}`, kind: kinds[(i * 7) % 3]!, at: day(i) })));
    const filter = { ws: "w1", kind: { $in: kinds }, at: { $gte: day(2_000), $lt: day(6_000) } };

    let newest: Array<{ _id: number }> = [];
    // one read ahead per value at most: the merge never reads a document it does not return
    expect(await cost(async () => (newest = await coll.find(filter).sort({ at: -1 }).limit(10).toArray()))).toBeLessThanOrEqual(10 + kinds.length);
    expect(newest.map((d) => d._id)).toEqual(Array.from({ length: 10 }, (_, i) => 5_999 - 2 * i));
    let oldest: Array<{ _id: number }> = [];
    expect(await cost(async () => (oldest = await coll.find({ ...filter, kind: { $in: ["survey", "ticket"] } }).sort({ at: 1 }).limit(4).toArray()))).toBeLessThanOrEqual(4 + 2);
    const reference = (await coll.find({ ws: "w1", at: { $gte: day(2_000), $lt: day(6_000) } }).toArray())
      .filter((d) => d.kind !== "mention")
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .slice(0, 4);
    expect(oldest.map((d) => d._id)).toEqual(reference.map((d) => d._id));
    // every matching document, in order, when no limit stops the merge
    const all = await coll.find(filter).sort({ at: -1 }).toArray();
    expect(all).toHaveLength(2_000);
    expect(all.every((d, i) => i === 0 || d.at.getTime() < all[i - 1]!.at.getTime())).toBe(true);
  });

  it("a multikey index is not used for sorting (MongoDB sorts an array by its smallest element)", async () => {
    const coll: Collection<Document & { _id: number }> = h.freshDb().collection(randomName("tags"));
    await coll.createIndex({ t: 1 });
    await coll.insertMany([{ _id: 1, t: [5, 1] }, { _id: 2, t: 3 }, { _id: 3, t: [4] }]);
    expect((await coll.find({}).sort({ t: 1 }).toArray()).map((d) => d._id)).toEqual([1, 2, 3]);
  });

  it("counts are read from index keys when an index holds exactly the matching documents, and equal a scan's", async () => {
    const value = fc.oneof(fc.constantFrom("a", "b", "c"), fc.integer({ min: 0, max: 2 }), fc.constant(null), fc.constant(undefined));
    const docsArb = fc.array(
      fc.record({ g: value, at: fc.integer({ min: 0, max: 50 }), flag: fc.boolean(), other: fc.integer({ min: 0, max: 1 }) }),
      { minLength: 1, maxLength: 80 },
    );
    const db = h.freshDb();
    await fc.assert(
      fc.asyncProperty(docsArb, fc.integer({ min: 0, max: 50 }), async (raw, cut) => {
        const docs = raw.map((d, i) => ({
          _id: i, at: day(d.at), other: d.other, ...(d.g === undefined ? {} : { g: d.g }), ...(d.flag ? { flag: i } : {}),
        }));
        const plain = db.collection<Document & { _id: number }>(randomName("plain"));
        const indexed = db.collection<Document & { _id: number }>(randomName("indexed"));
        await indexed.createIndex({ g: 1, at: 1 });
        await indexed.createIndex({ at: -1 }, { partialFilterExpression: { flag: { $exists: true } } });
        await plain.insertMany(docs.map((d) => ({ ...d })));
        await indexed.insertMany(docs.map((d) => ({ ...d })));
        // the same indexes built over documents already stored (from their stored bytes)
        const late = db.collection<Document & { _id: number }>(randomName("late"));
        await late.insertMany(docs.map((d) => ({ ...d })));
        await late.createIndex({ g: 1, at: 1 });
        await late.createIndex({ at: -1 }, { partialFilterExpression: { flag: { $exists: true } } });
        const fromKeys: Document[] = [
          { g: "a" },
          { g: { $eq: 1 } },
          { g: { $in: ["a", 2, "c"] } },
          { g: "b", at: { $gte: day(cut), $lt: day(cut + 10) } },
          { flag: { $exists: true } },
          { flag: { $exists: true }, at: { $lt: day(cut) } },
        ];
        // conditions no index holds exactly: read documents, same answers
        const fromDocs: Document[] = [{ g: "a", other: 1 }, { g: null }, { g: { $in: ["a", null] } }, { at: { $gte: day(cut) } }, { flag: { $exists: false } }, { $or: [{ g: "a" }, { other: 1 }] }];
        for (const filter of [...fromKeys, ...fromDocs]) {
          const expected = await plain.countDocuments(filter);
          let n = -1;
          const readDocs = await cost(async () => (n = await indexed.countDocuments(filter)));
          expect(n, JSON.stringify(filter)).toBe(expected);
          expect(await cost(async () => (n = await late.countDocuments(filter))), JSON.stringify(filter)).toBe(readDocs);
          expect(n, JSON.stringify(filter)).toBe(expected);
          expect((await db.command({ count: indexed.collectionName, query: filter })).n).toBe(expected);
          expect(await indexed.countDocuments(filter, { skip: 2, limit: 3 })).toBe(Math.min(3, Math.max(0, expected - 2)));
          if (fromKeys.includes(filter)) expect(readDocs, JSON.stringify(filter)).toBe(0);
          expect(new Set(await indexed.distinct("g", filter))).toEqual(new Set(await plain.distinct("g", filter)));
        }
        // the documents-read figure can tell the two apart: a field no index holds reads every document
        expect(await cost(() => indexed.countDocuments({ other: 1 }))).toBe(docs.length);
        await plain.drop();
        await indexed.drop();
        await late.drop();
      }),
      { numRuns: 30 },
    );
  });

  it("distinct skips through an index that holds exactly the matching documents: one document read per value", async () => {
    const coll = h.freshDb().collection<{ _id: number; ws: string; at: Date; dirty?: number }>(randomName("dirty"));
    await coll.createIndex({ ws: 1 }, { partialFilterExpression: { dirty: { $exists: true } } });
    await coll.createIndex({ ws: 1, at: 1 });
    await coll.insertMany(Array.from({ length: 5_000 }, (_, i) => ({ _id: i, ws: `w${i % 7}`, at: day(i), ...(i % 7 !== 3 && i % 2 === 0 ? { dirty: i } : {}) })));
    let values: unknown[] = [];
    expect(await cost(async () => (values = await coll.distinct("ws", { dirty: { $exists: true } })))).toBe(6);
    expect(values.sort()).toEqual(["w0", "w1", "w2", "w4", "w5", "w6"]);
    // the field after the pinned ones, within a range of them
    expect(await cost(async () => (values = await coll.distinct("at", { ws: "w2", at: { $lt: day(100) } })))).toBe(14);
    expect(values).toEqual(Array.from({ length: 14 }, (_, k) => day(2 + 7 * k)));
    // a condition no index holds: every candidate is read, same answer
    expect(await cost(async () => (values = await coll.distinct("ws", { dirty: { $exists: true }, at: { $gte: day(0) } })))).toBe(2_143);
    expect(values.sort()).toEqual(["w0", "w1", "w2", "w4", "w5", "w6"]);
  });
});
