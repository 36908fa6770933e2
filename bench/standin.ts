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
await c.close(); await s.close();
