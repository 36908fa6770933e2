import { Binary, Decimal128, Double, Int32, Long, ObjectId } from "mongodb";
import { describe, expect, it } from "vitest";
import { randomName, useStandin } from "./harness";

const h = useStandin();

describe("mongo stand-in: CRUD through the official driver", () => {
  it("says loudly at start that a stand-in without a data directory keeps nothing", () => {
    expect(h.logs.join("\n")).toMatch(/TEMPORARY data directory/);
    expect(h.logs.join("\n")).toMatch(/deleted when it stops/);
  });

  it("inserts, generates ObjectId _ids and finds with filter, projection, sort, skip and limit", async () => {
    const coll = h.freshDb().collection(randomName("c"));
    const res = await coll.insertMany([
      { name: "a", n: 3, tags: ["x", "y"] },
      { name: "b", n: 1, tags: ["y"] },
      { name: "c", n: 2, tags: [] },
      { name: "d", n: 5 },
    ]);
    expect(res.insertedCount).toBe(4);
    for (const id of Object.values(res.insertedIds)) expect(id).toBeInstanceOf(ObjectId);

    const stored = await coll.findOne({ name: "a" });
    expect(stored?._id).toBeInstanceOf(ObjectId);
    expect(stored?._id.equals(res.insertedIds[0]!)).toBe(true);

    const sorted = await coll
      .find({ n: { $gte: 2 } }, { projection: { _id: 0, name: 1 } })
      .sort({ n: -1 })
      .skip(1)
      .limit(2)
      .toArray();
    expect(sorted).toEqual([{ name: "a" }, { name: "c" }]);

    expect(await coll.find({ tags: "y" }).sort({ name: 1 }).map((d) => d.name).toArray()).toEqual(["a", "b"]);
    expect(await coll.countDocuments({ tags: { $size: 0 } })).toBe(1);
  });

  it("round-trips BSON types: ObjectId, Date, Long, Int32, Double, Decimal128, Binary, null, nested", async () => {
    const coll = h.freshDb().collection(randomName("c"));
    const oid = new ObjectId();
    const when = new Date("2024-02-29T12:34:56.789Z");
    const doc = {
      _id: oid,
      when,
      big: Long.fromString("9007199254740993"),
      i32: new Int32(7),
      dbl: new Double(2.5),
      dec: Decimal128.fromString("1.10"),
      bin: new Binary(Buffer.from([1, 2, 3, 250])),
      nothing: null,
      nested: { arr: [1, { deep: "x" }, [2, 3]], at: when },
    };
    await coll.insertOne(doc);
    const back = await coll.findOne({ _id: oid });
    expect(back?._id).toBeInstanceOf(ObjectId);
    expect(back?._id.toHexString()).toBe(oid.toHexString());
    expect(back?.when).toBeInstanceOf(Date);
    expect(back?.when.getTime()).toBe(when.getTime());
    expect(Long.isLong(back?.big)).toBe(true);
    expect(back?.big.toString()).toBe("9007199254740993");
    expect(back?.i32).toBe(7);
    expect(back?.dbl).toBe(2.5);
    expect(back?.dec.toString()).toBe("1.10");
    expect(Buffer.from((back?.bin as Binary).buffer)).toEqual(Buffer.from([1, 2, 3, 250]));
    expect(back?.nothing).toBeNull();
    expect(back?.nested).toEqual({ arr: [1, { deep: "x" }, [2, 3]], at: when });
  });

  it("matches and sorts ObjectIds and Dates by value", async () => {
    const coll = h.freshDb().collection(randomName("c"));
    const ids = [new ObjectId(), new ObjectId(), new ObjectId()];
    const t0 = Date.UTC(2024, 0, 1);
    await coll.insertMany([
      { _id: ids[2], at: new Date(t0 + 2000) },
      { _id: ids[0], at: new Date(t0) },
      { _id: ids[1], at: new Date(t0 + 1000) },
    ]);
    const byId = await coll.find().sort({ _id: 1 }).toArray();
    expect(byId.map((d) => d._id.toHexString())).toEqual(ids.map((i) => i.toHexString()));
    const byDate = await coll.find({ at: { $gte: new Date(t0 + 500) } }).sort({ at: -1 }).toArray();
    expect(byDate.map((d) => d._id.toHexString())).toEqual([ids[2]!.toHexString(), ids[1]!.toHexString()]);
    expect((await coll.findOne({ _id: new ObjectId(ids[1]!.toHexString()) }))?.at).toEqual(new Date(t0 + 1000));
    expect(await coll.countDocuments({ _id: { $in: [ids[0]!, ids[2]!] } })).toBe(2);
    expect(await coll.countDocuments({ at: new Date(t0) })).toBe(1);
  });

  it("updates with operators, counts matched vs modified, and multi-updates", async () => {
    const coll = h.freshDb().collection(randomName("c"));
    await coll.insertMany([
      { k: 1, team: "a", n: 0 },
      { k: 2, team: "a", n: 0 },
      { k: 3, team: "b", n: 0 },
    ]);
    const one = await coll.updateOne({ team: "a" }, { $inc: { n: 1 }, $set: { "meta.touched": true } });
    expect(one).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });

    const many = await coll.updateMany({ team: "a" }, { $set: { flag: "x" }, $push: { log: "m" } as never });
    expect(many).toMatchObject({ matchedCount: 2, modifiedCount: 2 });

    const noop = await coll.updateMany({ team: "a" }, { $set: { flag: "x" } });
    expect(noop).toMatchObject({ matchedCount: 2, modifiedCount: 0 });

    const docs = await coll.find({ team: "a" }, { projection: { _id: 0 } }).sort({ k: 1 }).toArray();
    expect(docs).toEqual([
      { k: 1, team: "a", n: 1, meta: { touched: true }, flag: "x", log: ["m"] },
      { k: 2, team: "a", n: 0, flag: "x", log: ["m"] },
    ]);
    expect(await coll.findOne({ team: "b" }, { projection: { _id: 0 } })).toEqual({ k: 3, team: "b", n: 0 });
  });

  it("upserts with $setOnInsert only on insert and reports the upserted _id", async () => {
    const coll = h.freshDb().collection<{ _id: string; seen?: number; first?: string; last?: string }>(randomName("c"));
    const first = await coll.updateOne(
      { _id: "item-1" },
      { $inc: { seen: 1 }, $set: { last: "one" }, $setOnInsert: { first: "one" } },
      { upsert: true },
    );
    expect(first).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 1, upsertedId: "item-1" });
    const second = await coll.updateOne(
      { _id: "item-1" },
      { $inc: { seen: 1 }, $set: { last: "two" }, $setOnInsert: { first: "two" } },
      { upsert: true },
    );
    expect(second).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0, upsertedId: null });
    expect(await coll.findOne({ _id: "item-1" })).toEqual({ _id: "item-1", seen: 2, last: "two", first: "one" });

    const byField = await coll.updateOne({ last: "three" } as never, { $setOnInsert: { first: "x" } }, { upsert: true });
    expect(byField.upsertedId).toBeInstanceOf(ObjectId);
    const created = await coll.findOne({ _id: byField.upsertedId as never });
    expect(created).toMatchObject({ last: "three", first: "x" });
  });

  it("replaces documents, keeps _id, and refuses to change _id", async () => {
    const coll = h.freshDb().collection(randomName("c"));
    const { insertedId } = await coll.insertOne({ a: 1, b: 2 });
    const r = await coll.replaceOne({ _id: insertedId }, { c: 3 });
    expect(r).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await coll.findOne({ _id: insertedId })).toEqual({ _id: insertedId, c: 3 });
    await expect(coll.updateOne({ _id: insertedId }, { $set: { _id: new ObjectId() } })).rejects.toMatchObject({ code: 66 });
  });

  it("findOneAndUpdate returns the after-image, upserts, and findOneAndDelete removes", async () => {
    const coll = h.freshDb().collection(randomName("c"));
    await coll.insertMany([
      { q: "job", prio: 1, state: "ready" },
      { q: "job", prio: 5, state: "ready" },
    ]);
    const taken = await coll.findOneAndUpdate(
      { q: "job", state: "ready" },
      { $set: { state: "taken" } },
      { sort: { prio: -1 }, returnDocument: "after", projection: { _id: 0 } },
    );
    expect(taken).toEqual({ q: "job", prio: 5, state: "taken" });

    const before = await coll.findOneAndUpdate({ q: "job", state: "ready" }, { $set: { state: "taken" } }, { returnDocument: "before" });
    expect(before?.state).toBe("ready");

    const up = await coll.findOneAndUpdate(
      { q: "other", key: "k1" },
      { $set: { state: "new" }, $setOnInsert: { created: true } },
      { upsert: true, returnDocument: "after" },
    );
    expect(up).toMatchObject({ q: "other", key: "k1", state: "new", created: true });
    expect(up?._id).toBeInstanceOf(ObjectId);

    const none = await coll.findOneAndUpdate({ q: "missing" }, { $set: { x: 1 } });
    expect(none).toBeNull();

    const removed = await coll.findOneAndDelete({ key: "k1" });
    expect(removed?.key).toBe("k1");
    expect(await coll.countDocuments({ key: "k1" })).toBe(0);
  });

  it("deletes one or many", async () => {
    const coll = h.freshDb().collection(randomName("c"));
    await coll.insertMany([{ g: 1 }, { g: 1 }, { g: 1 }, { g: 2 }]);
    expect((await coll.deleteOne({ g: 1 })).deletedCount).toBe(1);
    expect((await coll.deleteMany({ g: 1 })).deletedCount).toBe(2);
    expect((await coll.deleteMany({ g: 9 })).deletedCount).toBe(0);
    expect(await coll.find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ g: 2 }]);
  });

  it("does not let one write's document be changed by a later update of another", async () => {
    const coll = h.freshDb().collection(randomName("c"));
    const shared = { tags: ["a"], meta: { v: 1 } };
    await coll.insertOne({ _id: 1 as never, ...shared });
    await coll.insertOne({ _id: 2 as never, ...shared });
    await coll.updateOne({ _id: 1 as never }, { $push: { tags: "b" } as never, $set: { "meta.v": 2 } });
    expect(await coll.findOne({ _id: 2 as never })).toEqual({ _id: 2, tags: ["a"], meta: { v: 1 } });
    const got = await coll.findOne({ _id: 1 as never });
    got!.tags.push("mutated-locally");
    expect((await coll.findOne({ _id: 1 as never }))?.tags).toEqual(["a", "b"]);
  });
});
