import { describe, expect, it } from "vitest";
import { randomName, useStandin } from "./harness";

const h = useStandin();

describe("mongo stand-in: cursors", () => {
  it("serves 1,000 documents in batches of 100 through getMore, each exactly once, in sort order", async () => {
    const coll = h.freshDb().collection<{ _id: number; g: number }>(randomName("c"));
    // Insert in scrambled order so the sort is doing real work.
    const ids = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    await coll.insertMany(ids.map((i) => ({ _id: i, g: i % 3 })));
    h.clearEvents();

    const seen: number[] = [];
    for await (const d of coll.find({}, { batchSize: 100 }).sort({ _id: 1 })) seen.push(d._id);

    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const names = h.started.map((e) => e.commandName);
    expect(names.filter((n) => n === "find")).toHaveLength(1);
    expect(names.filter((n) => n === "getMore")).toHaveLength(9);
    const getMore = h.started.find((e) => e.commandName === "getMore")!;
    expect(getMore.command.batchSize).toBe(100);
    expect(getMore.command.collection).toBe(coll.collectionName);
    // Exhausted cursors are closed by the server, so the driver sends no killCursors.
    expect(names).not.toContain("killCursors");
  });

  it("keeps filters, skip and limit across batches", async () => {
    const coll = h.freshDb().collection<{ _id: number; g: number }>(randomName("c"));
    await coll.insertMany(Array.from({ length: 500 }, (_, i) => ({ _id: i, g: i % 2 })));
    const odd = await coll.find({ g: 1 }, { batchSize: 37 }).sort({ _id: -1 }).skip(10).limit(200).toArray();
    expect(odd).toHaveLength(200);
    expect(odd[0]!._id).toBe(479);
    expect(odd[199]!._id).toBe(81);
    expect(new Set(odd.map((d) => d._id)).size).toBe(200);
  });

  it("kills the server cursor when the caller closes early, and getMore on it then fails", async () => {
    const coll = h.freshDb().collection<{ _id: number }>(randomName("c"));
    await coll.insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: i })));
    h.clearEvents();
    const cursor = coll.find({}, { batchSize: 50 });
    const first = await cursor.next();
    expect(first?._id).toBe(0);
    await cursor.close();

    const find = h.started.find((e) => e.commandName === "find");
    const kill = h.started.find((e) => e.commandName === "killCursors");
    expect(find).toBeDefined();
    expect(kill).toBeDefined();
    const killedId = kill!.command.cursors[0];
    expect(String(killedId)).not.toBe("0");

    // The cursor is gone on the server side.
    const err = await h
      .client()
      .db(coll.dbName)
      .command({ getMore: killedId, collection: coll.collectionName })
      .then(() => undefined, (e: { code?: number; codeName?: string }) => e);
    expect(err?.code).toBe(43);
    expect(err?.codeName).toBe("CursorNotFound");
  });

  it("returns a single batch without a cursor for findOne and negative limits", async () => {
    const coll = h.freshDb().collection<{ _id: number }>(randomName("c"));
    await coll.insertMany(Array.from({ length: 250 }, (_, i) => ({ _id: i })));
    h.clearEvents();
    expect((await coll.findOne({ _id: { $gt: 100 } }))?._id).toBe(101);
    expect(h.started.map((e) => e.commandName)).toEqual(["find"]);

    const r = await h.client().db(coll.dbName).command({ find: coll.collectionName, batchSize: 10, limit: 30, singleBatch: true });
    expect(r.cursor.firstBatch).toHaveLength(10);
    expect(String(r.cursor.id)).toBe("0");
  });

  it("uses a default first batch of 101 like the server", async () => {
    const coll = h.freshDb().collection<{ _id: number }>(randomName("c"));
    await coll.insertMany(Array.from({ length: 150 }, (_, i) => ({ _id: i })));
    const r = await h.client().db(coll.dbName).command({ find: coll.collectionName });
    expect(r.cursor.firstBatch).toHaveLength(101);
    expect(String(r.cursor.id)).not.toBe("0");
    const more = await h.client().db(coll.dbName).command({ getMore: r.cursor.id, collection: coll.collectionName });
    expect(more.cursor.nextBatch).toHaveLength(49);
    expect(String(more.cursor.id)).toBe("0");
  });
});
