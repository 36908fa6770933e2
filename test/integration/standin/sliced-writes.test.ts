/**
 * Write commands longer than SLICE_STATEMENTS run in slices, one per group commit (write-slices.ts),
 * with one reply equal to what one run would have answered: counts, upserted ids and write errors
 * at their indexes in the whole command, ordered writes stopping at their first error. And a small
 * write from another connection is answered before a long one has finished.
 */
import { MongoBulkWriteError, MongoClient } from "mongodb";
import { describe, expect, it } from "vitest";
import { SLICE_STATEMENTS } from "../../../shared/db/standin/write-slices";
import { useStandin } from "./harness";

const h = useStandin();
const N = SLICE_STATEMENTS * 4 + 37;

describe("sliced write commands", () => {
  it("an ordered insert stops at its first duplicate, wherever the slice boundary falls", async () => {
    const c = h.freshDb().collection<{ _id: number }>("c");
    await c.insertOne({ _id: 1_234 });
    const err = await c.insertMany(Array.from({ length: N }, (_, i) => ({ _id: i })), { ordered: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    const e = err as MongoBulkWriteError;
    expect(e.result.insertedCount).toBe(1_234);
    const errors = Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors];
    expect(errors.map((w) => [w.index, w.code])).toEqual([[1_234, 11000]]);
    expect(await c.countDocuments()).toBe(1_235);
  });

  it("an unordered insert reports every duplicate at its index and stores the rest", async () => {
    const c = h.freshDb().collection<{ _id: number }>("c");
    await c.insertMany([{ _id: 7 }, { _id: SLICE_STATEMENTS + 3 }, { _id: N - 1 }]);
    const err = (await c.insertMany(Array.from({ length: N }, (_, i) => ({ _id: i })), { ordered: false }).catch((e: unknown) => e)) as MongoBulkWriteError;
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
    expect(errors.map((w) => w.index)).toEqual([7, SLICE_STATEMENTS + 3, N - 1]);
    expect(err.result.insertedCount).toBe(N - 3);
    expect(await c.countDocuments()).toBe(N);
  });

  it("upserts and updates across slices: counts and upserted indexes as one command", async () => {
    const c = h.freshDb().collection<{ _id: number; n?: number }>("c");
    await c.insertMany(Array.from({ length: N }, (_, i) => ({ _id: i * 2 }))); // the even ids exist
    const res = await c.bulkWrite(
      Array.from({ length: N }, (_, i) => ({ updateOne: { filter: { _id: i }, update: { $inc: { n: 1 } }, upsert: true } })),
      { ordered: true },
    );
    const evens = Math.ceil(N / 2);
    expect(res.matchedCount).toBe(evens);
    expect(res.modifiedCount).toBe(evens);
    expect(res.upsertedCount).toBe(N - evens);
    expect(Object.keys(res.upsertedIds).map(Number)).toEqual(Array.from({ length: N }, (_, i) => i).filter((i) => i % 2 === 1));
    expect(await c.countDocuments({ n: 1 })).toBe(N);
  });

  it("deletes across slices", async () => {
    const c = h.freshDb().collection<{ _id: number }>("c");
    await c.insertMany(Array.from({ length: N }, (_, i) => ({ _id: i })));
    const res = await c.bulkWrite(Array.from({ length: N }, (_, i) => ({ deleteOne: { filter: { _id: i } } })));
    expect(res.deletedCount).toBe(N);
    expect(await c.countDocuments()).toBe(0);
  });

  it("a small write on another connection is answered while a long one is still running", async () => {
    const db = h.freshDb();
    const other = new MongoClient(h.standin().uri);
    try {
      const small = other.db(db.databaseName).collection("small");
      await small.insertOne({ warm: true }); // connected before the long write starts
      const big = db.collection<{ _id: number; n?: number }>("big");
      const statements = SLICE_STATEMENTS * 40;
      h.clearEvents();
      let bigDone = false;
      const long = big
        .bulkWrite(Array.from({ length: statements }, (_, i) => ({ updateOne: { filter: { _id: i }, update: { $inc: { n: 1 } }, upsert: true } })))
        .then(() => (bigDone = true));
      // the long command is on its way (a 1.5 MB message over loopback): give it time to arrive
      while (!h.started.some((e) => e.commandName === "update")) await new Promise((r) => setTimeout(r, 1));
      await new Promise((r) => setTimeout(r, 100));
      expect(bigDone).toBe(false);
      await small.insertOne({ during: true });
      const answeredFirst = !bigDone;
      await long;
      expect(answeredFirst).toBe(true);
      expect(await big.countDocuments({ n: 1 })).toBe(statements);
    } finally {
      await other.close();
    }
  });
});

describe("reads answered outside the group's transaction", () => {
  it("a read right behind an unacknowledged (w:0) write of its own connection sees that write", async () => {
    const one = new MongoClient(h.standin().uri, { maxPoolSize: 1 });
    try {
      const c = one.db(h.freshDb().databaseName).collection<{ _id: number }>("c");
      await c.findOne({}); // connected
      for (let i = 0; i < 20; i++) {
        await c.insertOne({ _id: i }, { writeConcern: { w: 0 } });
        expect(await c.findOne({ _id: i })).toEqual({ _id: i });
      }
    } finally {
      await one.close();
    }
  });
});
