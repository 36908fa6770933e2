import { describe, expect, it } from "vitest";
import { randomName, useStandin } from "./harness";

const h = useStandin();

const TICKETS = [
  { ws: "w1", status: "open", tags: ["billing", "bug"], mins: 10, at: new Date("2024-01-01T00:00:00Z") },
  { ws: "w1", status: "closed", tags: ["bug"], mins: 30, at: new Date("2024-01-02T00:00:00Z") },
  { ws: "w2", status: "open", tags: [], mins: 5, at: new Date("2024-01-02T00:00:00Z") },
  { ws: "w2", status: "open", tags: ["billing"], mins: 15, at: new Date("2024-01-03T00:00:00Z") },
  { ws: "w3", status: "closed", tags: ["ux"], mins: 50, at: new Date("2024-01-03T00:00:00Z") },
];

describe("mongo stand-in: aggregation, count and distinct", () => {
  it("groups, sorts, limits and projects", async () => {
    const coll = h.freshDb().collection(randomName("t"));
    await coll.insertMany(TICKETS.map((t) => ({ ...t })));
    const out = await coll
      .aggregate([
        { $match: { status: "open" } },
        { $group: { _id: "$ws", n: { $sum: 1 }, mins: { $avg: "$mins" }, last: { $max: "$at" } } },
        { $sort: { n: -1, _id: 1 } },
        { $limit: 5 },
        { $project: { _id: 0, ws: "$_id", n: 1, mins: 1, last: 1 } },
      ])
      .toArray();
    expect(out).toEqual([
      { ws: "w2", n: 2, mins: 10, last: new Date("2024-01-03T00:00:00Z") },
      { ws: "w1", n: 1, mins: 10, last: new Date("2024-01-01T00:00:00Z") },
    ]);
  });

  it("unwinds, counts, facets and adds fields without touching stored documents", async () => {
    const coll = h.freshDb().collection(randomName("t"));
    await coll.insertMany(TICKETS.map((t) => ({ ...t })));
    const [facets] = await coll
      .aggregate([
        { $addFields: { slow: { $gt: ["$mins", 20] } } },
        {
          $facet: {
            byTag: [{ $unwind: "$tags" }, { $group: { _id: "$tags", n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
            slow: [{ $match: { slow: true } }, { $count: "n" }],
            page: [{ $sort: { mins: -1 } }, { $skip: 1 }, { $limit: 2 }, { $project: { _id: 0, mins: 1 } }],
          },
        },
      ])
      .toArray();
    expect(facets).toEqual({
      byTag: [
        { _id: "billing", n: 2 },
        { _id: "bug", n: 2 },
        { _id: "ux", n: 1 },
      ],
      slow: [{ n: 2 }],
      page: [{ mins: 30 }, { mins: 15 }],
    });
    expect(await coll.countDocuments({ slow: { $exists: true } })).toBe(0);
  });

  it("writes results into another collection with $merge, updating matches and inserting the rest", async () => {
    const db = h.freshDb();
    const src = db.collection(randomName("t"));
    const rollup = db.collection<{ _id: string; n: number; note?: string }>(randomName("rollup"));
    await src.insertMany(TICKETS.map((t) => ({ ...t })));
    await rollup.insertOne({ _id: "w1", n: 99, note: "kept" });

    const res = await src
      .aggregate([{ $group: { _id: "$ws", n: { $sum: 1 } } }, { $merge: { into: rollup.collectionName, whenMatched: "merge", whenNotMatched: "insert" } }])
      .toArray();
    expect(res).toEqual([]);
    expect(await rollup.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: "w1", n: 2, note: "kept" },
      { _id: "w2", n: 2 },
      { _id: "w3", n: 1 },
    ]);
  });

  it("replaces a collection with $out", async () => {
    const db = h.freshDb();
    const src = db.collection(randomName("t"));
    const target = randomName("out");
    await src.insertMany(TICKETS.map((t) => ({ ...t })));
    await db.collection(target).insertOne({ _id: "old" as never });
    await src.aggregate([{ $match: { ws: "w1" } }, { $project: { _id: 0, status: 1 } }, { $out: target }]).toArray();
    const docs = await db.collection(target).find({}, { projection: { _id: 0 } }).sort({ status: 1 }).toArray();
    expect(docs).toEqual([{ status: "closed" }, { status: "open" }]);
  });

  it("joins with $lookup", async () => {
    const db = h.freshDb();
    const items = db.collection(randomName("items"));
    const users = db.collection(randomName("users"));
    await users.insertMany([{ _id: "u1" as never, name: "Ann" }, { _id: "u2" as never, name: "Bo" }]);
    await items.insertMany([{ k: 1, user: "u2" }, { k: 2, user: "u1" }]);
    const out = await items
      .aggregate([
        { $lookup: { from: users.collectionName, localField: "user", foreignField: "_id", as: "u" } },
        { $project: { _id: 0, k: 1, name: { $first: "$u.name" } } },
        { $sort: { k: 1 } },
      ])
      .toArray();
    expect(out).toEqual([{ k: 1, name: "Bo" }, { k: 2, name: "Ann" }]);
  });

  it("serves aggregate results over several batches", async () => {
    const coll = h.freshDb().collection(randomName("t"));
    await coll.insertMany(Array.from({ length: 450 }, (_, i) => ({ i })));
    h.clearEvents();
    const out = await coll.aggregate([{ $sort: { i: -1 } }, { $project: { _id: 0, i: 1 } }], { batchSize: 200 }).toArray();
    expect(out).toHaveLength(450);
    expect(out[0]).toEqual({ i: 449 });
    expect(h.started.filter((e) => e.commandName === "getMore")).toHaveLength(2);
  });

  it("counts (countDocuments, estimatedDocumentCount) and lists distinct values", async () => {
    const coll = h.freshDb().collection(randomName("t"));
    await coll.insertMany(TICKETS.map((t) => ({ ...t })));
    expect(await coll.countDocuments()).toBe(5);
    expect(await coll.countDocuments({ status: "open" })).toBe(3);
    expect(await coll.countDocuments({ status: "open" }, { skip: 1, limit: 1 })).toBe(1);
    expect(await coll.estimatedDocumentCount()).toBe(5);
    expect((await coll.distinct("ws")).sort()).toEqual(["w1", "w2", "w3"]);
    expect((await coll.distinct("tags", { status: "open" })).sort()).toEqual(["billing", "bug"]);
    expect(await h.freshDb().collection("nothing").countDocuments()).toBe(0);
  });
});
