/**
 * Rough throughput of the in-memory stand-in through the official driver (client and server share
 * one process, so numbers include both sides). Not a test; run by hand:
 *   N=100000 npx tsx bench/standin.ts
 */
import { MongoClient, type AnyBulkWriteOperation } from "mongodb";
import { startMongoStandin } from "../shared/db/standin";
const s = await startMongoStandin({ onLog: () => {} });
const c = new MongoClient(s.uri);
await c.connect();
const col = c.db("b").collection("a");
const N = Number(process.env.N ?? 100_000);
const docs = Array.from({ length: N }, (_, i) => ({ i, ws: "w" + (i % 10), t: new Date(), s: "hello " + i }));
let t = performance.now();
await col.insertMany(docs);
let ms = performance.now() - t; console.log("insertMany", N, Math.round(N / ms * 1000), "/s");
const ops = Array.from({ length: N }, (_, i) => ({ updateOne: { filter: { _id: "k" + i }, update: { $set: { v: i, at: new Date() }, $setOnInsert: { c: 1 } }, upsert: true } })) as unknown as AnyBulkWriteOperation[];
t = performance.now();
await col.bulkWrite(ops, { ordered: false });
ms = performance.now() - t; console.log("upsert new", N, Math.round(N / ms * 1000), "/s");
t = performance.now();
await col.bulkWrite(ops, { ordered: false });
ms = performance.now() - t; console.log("upsert existing", N, Math.round(N / ms * 1000), "/s");
await col.deleteMany({ i: { $exists: false } }); await col.createIndex({ ws: 1, i: 1 }, { unique: true });
t = performance.now();
for (let k = 0; k < 1000; k++) await col.findOne({ ws: "w3", i: k * 10 + 3 });
ms = performance.now() - t; console.log("findOne via index", Math.round(1000 / ms * 1000), "/s");
t = performance.now();
const all = await col.find({}).toArray();
ms = performance.now() - t; console.log("find all", all.length, Math.round(ms), "ms");
t = performance.now();
console.log(await col.aggregate([{ $group: { _id: "$ws", n: { $sum: 1 } } }, { $sort: { _id: 1 } }, { $limit: 2 }]).toArray());
ms = performance.now() - t; console.log("agg", Math.round(ms), "ms");
// Rollup-drain-like loop: N clean items then N/5 dirty ones; find({rollupDirty: {$exists: true}})
// .limit(1000) over a partial index, bulk rollup upserts, then stamp + token-guarded $unset per item.
const items = c.db("b").collection<{ _id: string } & Record<string, unknown>>("items");
const rollups = c.db("b").collection("rollups");
await items.createIndex({ rollupDirty: 1 }, { partialFilterExpression: { rollupDirty: { $exists: true } } });
await items.createIndex({ pendingSince: 1 }, { partialFilterExpression: { pending: true } });
await items.createIndex({ workspace: 1, receivedAt: -1 });
await rollups.createIndex({ workspace: 1, scope: 1, family: 1, day: 1 });
const day = (k: number) => new Date(Date.UTC(2025, 0, 1 + k)).toISOString().slice(0, 10);
for (let w = 0; w < 10; w++) await rollups.insertMany(Array.from({ length: 10_000 }, (_, k) => ({ workspace: "w" + w, scope: k % 5 ? "s" + (k % 5) : "all", family: "f" + (Math.floor(k / 5) % 5), day: day(Math.floor(k / 25)), dims: null, tag: null, n: 1 })));
const D = Math.floor(N / 5);
const item = (i: number) => ({ _id: "it" + i, workspace: "w" + (i % 10), receivedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000), ...(i >= N ? { rollupDirty: "tok" + i } : {}), ...(i % 50 === 0 ? { pending: true, pendingSince: new Date(Date.UTC(2026, 0, 1) + i * 1000) } : {}) });
for (let i = 0; i < N + D; i += 10_000) await items.insertMany(Array.from({ length: Math.min(10_000, N + D - i) }, (_, k) => item(i + k)));
t = performance.now();
let batches = 0;
for (;;) {
  const dirty = await items.find({ rollupDirty: { $exists: true } }).limit(1000).toArray();
  if (dirty.length === 0) break;
  batches++;
  await rollups.bulkWrite(dirty.map((d, k) => ({ updateOne: { filter: { workspace: d.workspace, scope: "all", family: "f" + (k % 5), day: day(365 + (k % 28)), dims: null, tag: null }, update: { $inc: { n: 1 }, $setOnInsert: { x: 1 } }, upsert: true } })), { ordered: false });
  await items.bulkWrite(dirty.flatMap((d) => [
    { updateOne: { filter: { _id: d._id }, update: { $set: { rollupApplied: [{ scope: "all", n: 1 }] } } } },
    { updateOne: { filter: { _id: d._id, rollupDirty: d.rollupDirty }, update: { $unset: { rollupDirty: "" } } } },
  ]));
}
ms = performance.now() - t; console.log("rollup drain", D, "dirty of", N + D, batches, "batches", Math.round(ms), "ms", (ms / batches).toFixed(1), "ms/batch");
t = performance.now();
for (let k = 0; k < 100; k++) await items.find({ pending: true, pendingSince: { $lt: new Date(Date.UTC(2026, 0, 1) + N * 1000) } }, { projection: { _id: 1, workspace: 1 } }).toArray();
ms = performance.now() - t; console.log("pending sweep find (partial + range)", (ms / 100).toFixed(2), "ms");
t = performance.now();
for (let k = 0; k < 100; k++) await rollups.find({ workspace: "w3", scope: "all", family: "f3", day: { $gte: "2025-06-01", $lte: "2025-06-30" }, tag: null }).toArray();
ms = performance.now() - t; console.log("rollup load (equality prefix + range)", (ms / 100).toFixed(2), "ms");
await c.close(); await s.close();
