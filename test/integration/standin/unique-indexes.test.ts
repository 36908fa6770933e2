import { MongoBulkWriteError, MongoServerError } from "mongodb";
import { describe, expect, it } from "vitest";
import { randomName, useStandin } from "./harness";

const h = useStandin();

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected the operation to fail");
}

describe("mongo stand-in: unique indexes and duplicate keys", () => {
  it("rejects a duplicate _id on insertOne with MongoDB's E11000 shape", async () => {
    const dbName = randomName("db");
    const collName = randomName("c");
    const coll = h.client().db(dbName).collection<{ _id: string; v?: number }>(collName);
    await coll.insertOne({ _id: "k1", v: 1 });
    const err = await caught(coll.insertOne({ _id: "k1", v: 2 }));
    expect(err).toBeInstanceOf(MongoServerError);
    const e = err as MongoServerError;
    expect(e.code).toBe(11000);
    expect(e.message).toBe(`E11000 duplicate key error collection: ${dbName}.${collName} index: _id_ dup key: { _id: "k1" }`);
    expect(e.keyValue).toEqual({ _id: "k1" });
    expect(e.errorResponse.keyPattern).toEqual({ _id: 1 });
    expect(await coll.findOne({ _id: "k1" })).toEqual({ _id: "k1", v: 1 });
  });

  it("enforces a unique secondary index on insert, on update and on upsert", async () => {
    const coll = h.freshDb().collection(randomName("c"));
    expect(await coll.createIndex({ email: 1 }, { unique: true, name: "email_unique" })).toBe("email_unique");
    await coll.insertMany([{ email: "a@x" }, { email: "b@x" }]);

    const onInsert = (await caught(coll.insertOne({ email: "a@x" }))) as MongoServerError;
    expect(onInsert.code).toBe(11000);
    expect(onInsert.keyValue).toEqual({ email: "a@x" });
    expect(onInsert.message).toContain("index: email_unique dup key: { email: \"a@x\" }");

    const onUpdate = (await caught(coll.updateOne({ email: "b@x" }, { $set: { email: "a@x" } }))) as MongoServerError;
    expect(onUpdate.code).toBe(11000);
    expect(await coll.countDocuments({ email: "b@x" })).toBe(1);

    const onUpsert = (await caught(coll.updateOne({ email: "c@x" }, { $set: { email: "a@x" } }, { upsert: true }))) as MongoServerError;
    expect(onUpsert.code).toBe(11000);
    expect(onUpsert.keyValue).toEqual({ email: "a@x" });
    expect(await coll.countDocuments()).toBe(2);

    // Freed keys can be reused.
    await coll.deleteOne({ email: "a@x" });
    await coll.insertOne({ email: "a@x", again: true });
    expect(await coll.countDocuments({ email: "a@x" })).toBe(1);
  });

  it("stops an ordered bulkWrite at the first duplicate and reports what succeeded", async () => {
    const coll = h.freshDb().collection<{ _id: string; v?: number }>(randomName("c"));
    await coll.insertOne({ _id: "dup" });
    const err = await caught(
      coll.bulkWrite(
        [
          { insertOne: { document: { _id: "a" } } },
          { updateOne: { filter: { _id: "u1" }, update: { $set: { v: 1 } }, upsert: true } },
          { insertOne: { document: { _id: "dup" } } },
          { insertOne: { document: { _id: "after" } } },
          { deleteOne: { filter: { _id: "a" } } },
        ],
        { ordered: true },
      ),
    );
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    const e = err as MongoBulkWriteError;
    expect(e.code).toBe(11000);
    expect(e.writeErrors).toHaveLength(1);
    const we = Array.isArray(e.writeErrors) ? e.writeErrors[0]! : e.writeErrors;
    expect(we.index).toBe(2);
    expect(we.code).toBe(11000);
    // The driver keeps code/errmsg/op of a bulk write error (keyValue is only surfaced for single-op errors).
    expect(we.errmsg).toContain('dup key: { _id: "dup" }');
    expect(we.getOperation()).toEqual({ _id: "dup" });
    expect(e.result.insertedCount).toBe(1);
    expect(e.result.upsertedCount).toBe(1);
    expect(e.result.deletedCount).toBe(0);
    expect((await coll.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual(["a", "dup", "u1"]);
  });

  it("continues an unordered bulkWrite past duplicates", async () => {
    const coll = h.freshDb().collection<{ _id: string; v?: number }>(randomName("c"));
    await coll.insertOne({ _id: "dup" });
    const err = await caught(
      coll.bulkWrite(
        [
          { insertOne: { document: { _id: "a" } } },
          { insertOne: { document: { _id: "dup" } } },
          { insertOne: { document: { _id: "b" } } },
          { insertOne: { document: { _id: "a" } } },
          { updateMany: { filter: {}, update: { $set: { v: 7 } } } },
          { replaceOne: { filter: { _id: "b" }, replacement: { v: 8 } } },
          { deleteMany: { filter: { _id: "zzz" } } },
        ],
        { ordered: false },
      ),
    );
    const e = err as MongoBulkWriteError;
    expect(e).toBeInstanceOf(MongoBulkWriteError);
    expect(e.code).toBe(11000);
    const indexes = (Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors]).map((w) => w.index).sort();
    expect(indexes).toEqual([1, 3]);
    expect(e.result.insertedCount).toBe(2);
    expect(e.result.matchedCount).toBe(4);
    expect(e.result.modifiedCount).toBe(4);
    expect(await coll.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: "a", v: 7 },
      { _id: "b", v: 8 },
      { _id: "dup", v: 7 },
    ]);
  });

  it("enforces compound unique indexes on the whole key", async () => {
    const dbName = randomName("db");
    const collName = randomName("c");
    const coll = h.client().db(dbName).collection(collName);
    await coll.createIndex({ workspace: 1, source: 1, externalId: 1 }, { unique: true });
    await coll.insertMany([
      { workspace: "w1", source: "zendesk", externalId: "1" },
      { workspace: "w2", source: "zendesk", externalId: "1" },
      { workspace: "w1", source: "intercom", externalId: "1" },
    ]);
    const e = (await caught(coll.insertOne({ workspace: "w1", source: "zendesk", externalId: "1", extra: 1 }))) as MongoServerError;
    expect(e.code).toBe(11000);
    expect(e.keyValue).toEqual({ workspace: "w1", source: "zendesk", externalId: "1" });
    expect(e.message).toBe(
      `E11000 duplicate key error collection: ${dbName}.${collName} index: workspace_1_source_1_externalId_1 dup key: { workspace: "w1", source: "zendesk", externalId: "1" }`,
    );
    // A compound-key equality uses the index and still finds the right document.
    const found = await coll.findOne({ workspace: "w2", source: "zendesk", externalId: "1" });
    expect(found?.workspace).toBe("w2");
  });

  it("treats missing fields as null unless the index is sparse or partial", async () => {
    const db = h.freshDb();
    const plain = db.collection(randomName("plain"));
    await plain.createIndex({ code: 1 }, { unique: true });
    await plain.insertOne({ x: 1 });
    const e = (await caught(plain.insertOne({ x: 2 }))) as MongoServerError;
    expect(e.code).toBe(11000);
    expect(e.keyValue).toEqual({ code: null });

    const sparse = db.collection(randomName("sparse"));
    await sparse.createIndex({ code: 1 }, { unique: true, sparse: true });
    await sparse.insertMany([{ x: 1 }, { x: 2 }, { code: "a" }]);
    expect(((await caught(sparse.insertOne({ code: "a" }))) as MongoServerError).code).toBe(11000);

    const partial = db.collection(randomName("partial"));
    await partial.createIndex({ code: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await partial.insertMany([{ code: "a", active: false }, { code: "a", active: false }, { code: "a", active: true }]);
    expect(((await caught(partial.insertOne({ code: "a", active: true }))) as MongoServerError).code).toBe(11000);
    expect(await partial.countDocuments({ code: "a" })).toBe(3);
  });

  it("refuses to build a unique index over existing duplicates", async () => {
    const coll = h.freshDb().collection(randomName("c"));
    await coll.insertMany([{ k: 1 }, { k: 1 }]);
    const e = (await caught(coll.createIndex({ k: 1 }, { unique: true }))) as MongoServerError;
    expect(e.code).toBe(11000);
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(["_id_"]);
  });

  it("lists and drops indexes", async () => {
    const db = h.freshDb();
    const name = randomName("c");
    const coll = db.collection(name);
    await coll.createIndexes([
      { key: { a: 1 }, name: "a_1" },
      { key: { b: -1, c: 1 }, name: "b_c", unique: true },
    ]);
    // Creating the same index again is a no-op.
    await coll.createIndex({ a: 1 }, { name: "a_1" });
    const listed = await coll.listIndexes().toArray();
    expect(listed).toEqual([
      { v: 2, key: { _id: 1 }, name: "_id_" },
      { v: 2, key: { a: 1 }, name: "a_1" },
      { v: 2, key: { b: -1, c: 1 }, name: "b_c", unique: true },
    ]);
    expect(await coll.indexExists("b_c")).toBe(true);
    await coll.dropIndex("b_c");
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(["_id_", "a_1"]);
    // The dropped unique index no longer constrains writes.
    await coll.insertMany([{ b: 1, c: 1 }, { b: 1, c: 1 }]);
    const e = (await caught(coll.dropIndex("nope"))) as MongoServerError;
    expect(e.code).toBe(27);
    expect(e.codeName).toBe("IndexNotFound");
    await coll.dropIndexes();
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(["_id_"]);
    const missing = (await caught(db.collection(randomName("none")).listIndexes().toArray())) as MongoServerError;
    expect(missing.code).toBe(26);
  });
});
