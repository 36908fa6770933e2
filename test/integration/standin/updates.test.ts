import { describe, expect, it } from "vitest";
import { randomName, useStandin } from "./harness";

const h = useStandin();

describe("mongo stand-in: update semantics", () => {
  it("supports positional, arrayFilters, $addToSet, $pull, $unset and nested $set", async () => {
    const coll = h.freshDb().collection<Record<string, unknown>>(randomName("c"));
    await coll.insertOne({ _id: "d" as never, arr: [{ k: 1, v: 1 }, { k: 2, v: 2 }], tags: ["a", "b"], meta: { keep: 1, drop: 2 } });
    await coll.updateOne({ _id: "d" as never, "arr.k": 2 }, { $set: { "arr.$.v": 20 } });
    await coll.updateOne({ _id: "d" as never }, { $set: { "arr.$[e].v": 10 } }, { arrayFilters: [{ "e.k": 1 }] });
    await coll.updateOne({ _id: "d" as never }, { $addToSet: { tags: { $each: ["a", "c"] } } } as never);
    await coll.updateOne({ _id: "d" as never }, { $pull: { tags: "b" } } as never);
    await coll.updateOne({ _id: "d" as never }, { $unset: { "meta.drop": "" }, $set: { "meta.deep.x": true }, $inc: { hits: 2 } as never });
    expect(await coll.findOne({ _id: "d" as never })).toEqual({
      _id: "d",
      arr: [{ k: 1, v: 10 }, { k: 2, v: 20 }],
      tags: ["a", "c"],
      meta: { keep: 1, deep: { x: true } },
      hits: 2,
    });
  });

  it("applies pipeline updates and pipeline upserts", async () => {
    const coll = h.freshDb().collection<Record<string, unknown>>(randomName("c"));
    await coll.insertOne({ _id: 1 as never, a: 2, b: 3 });
    await coll.updateOne({ _id: 1 as never }, [{ $set: { sum: { $add: ["$a", "$b"] } } }, { $unset: "b" }]);
    expect(await coll.findOne({ _id: 1 as never })).toEqual({ _id: 1, a: 2, sum: 5 });
    const up = await coll.updateOne({ _id: 2 as never }, [{ $set: { made: true } }], { upsert: true });
    expect(up.upsertedId).toBe(2);
    expect(await coll.findOne({ _id: 2 as never })).toEqual({ _id: 2, made: true });
  });

  it("rejects unknown update operators with FailedToParse and conflicting paths with code 40", async () => {
    const coll = h.freshDb().collection<Record<string, unknown>>(randomName("c"));
    await coll.insertOne({ _id: 1 as never, tags: ["a"] });
    const unknownOp = await coll.updateOne({ _id: 1 as never }, { $frobnicate: { a: 1 } } as never).then(() => undefined, (e: { code?: number }) => e);
    expect(unknownOp?.code).toBe(9);
    const conflict = await coll
      .updateOne({ _id: 1 as never }, { $addToSet: { tags: "b" }, $pull: { tags: "a" } } as never)
      .then(() => undefined, (e: { code?: number }) => e);
    expect(conflict?.code).toBe(40);
    expect(await coll.findOne({ _id: 1 as never })).toEqual({ _id: 1, tags: ["a"] });
  });

  it("applies unacknowledged (w: 0) writes", async () => {
    const coll = h.freshDb().collection<Record<string, unknown>>(randomName("c"));
    const r = await coll.insertOne({ _id: "w0" as never }, { writeConcern: { w: 0 } });
    expect(r.acknowledged).toBe(false);
    // The next command on the same connection is processed after it.
    expect(await coll.countDocuments({ _id: "w0" as never })).toBe(1);
  });

  it("serves results larger than one 16 MiB reply over several getMores", async () => {
    const coll = h.freshDb().collection<{ _id: number; pad: string }>(randomName("c"));
    const pad = "x".repeat(10_000);
    for (let i = 0; i < 3; i++) await coll.insertMany(Array.from({ length: 1000 }, (_, j) => ({ _id: i * 1000 + j, pad })));
    h.clearEvents();
    const all = await coll.find().toArray();
    expect(all).toHaveLength(3000);
    expect(all[2999]!._id).toBe(2999);
    expect(h.started.filter((e) => e.commandName === "getMore").length).toBeGreaterThanOrEqual(2);
  });
});
