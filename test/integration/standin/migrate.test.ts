/**
 * `cli migrate --to`: every collection and index of the embedded store copied into another
 * MongoDB through the driver. No real MongoDB exists here, so a second (temporary) stand-in plays
 * the target; the copy goes through the same driver calls a real server gets.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MongoClient } from "mongodb";
import { afterAll, describe, expect, it } from "vitest";
import { CHECKPOINTS, migrate } from "../../../cli/migrate";
import { startMongoStandin, type MongoStandin } from "../../../shared/db/standin";
import { exitWithin, spawnTs } from "../../support/procs-children";

const opened: Array<{ close(): Promise<void> }> = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const o of opened.reverse()) await o.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function standin(dataDir?: string): Promise<{ s: MongoStandin; client: MongoClient }> {
  const s = await startMongoStandin({ dataDir, onLog: () => {} });
  const client = await new MongoClient(s.uri).connect();
  opened.push({ close: async () => (await client.close(), await s.close()) });
  return { s, client };
}

const quiet = { progress: false, log: () => {} };

describe("cli migrate", () => {
  it("copies every database, collection, document and index; a second run copies nothing again; an interrupted run resumes", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "uc-migrate-"));
    dirs.push(dir);
    const { client: src } = await standin(dir);
    const items = src.db("undercurrent").collection<{ _id: string; ws: string; n: number; at: Date }>("items");
    await items.createIndex({ ws: 1, n: -1 }, { name: "ws_n" });
    await items.createIndex({ key: 1 }, { unique: true, partialFilterExpression: { key: { $exists: true } }, name: "key_partial" });
    await items.insertMany(Array.from({ length: 2_500 }, (_, i) => ({ _id: `i${i}`, ws: `w${i % 3}`, n: i, at: new Date(Date.UTC(2026, 0, 1) + i * 1000), ...(i % 10 === 0 ? { key: `k${i}` } : {}) })));
    await src.db("undercurrent").collection("settings").insertOne({ _id: "s" as never, v: 1 });
    await src.db("other").collection("x").insertMany([{ a: 1 }, { a: 2 }]);

    const { client: dst } = await standin();
    const first = await migrate(src, dst, quiet);
    expect(first).toMatchObject({ databases: 2, collections: 3, documents: 2_503, resumed: 0, indexes: 2 });
    const copied = dst.db("undercurrent").collection("items");
    expect(await copied.countDocuments()).toBe(2_500);
    expect(await copied.findOne({ _id: "i42" as never })).toEqual(await items.findOne({ _id: "i42" }));
    const names = (await copied.listIndexes().toArray()).map((ix) => ix.name).sort();
    expect(names).toEqual(["_id_", "key_partial", "ws_n"]);
    const partial = (await copied.listIndexes().toArray()).find((ix) => ix.name === "key_partial");
    expect(partial).toMatchObject({ unique: true, partialFilterExpression: { key: { $exists: true } } });
    await expect(copied.insertOne({ _id: "dup", key: "k10" } as never)).rejects.toMatchObject({ code: 11000 });
    expect(await dst.db("other").collection("x").countDocuments()).toBe(2);

    // again: nothing is copied twice
    const second = await migrate(src, dst, quiet);
    expect(second).toMatchObject({ documents: 0, resumed: 2_503 });
    expect(await copied.countDocuments()).toBe(2_500);

    // a run cut after its first batch of items: the checkpoint says 1,000 were copied
    await copied.deleteMany({ n: { $gte: 1_000 } });
    await dst.db("undercurrent").collection(CHECKPOINTS).updateOne({ _id: "items" as never }, { $set: { copied: 1_000, done: false } });
    const third = await migrate(src, dst, quiet);
    expect(third.documents).toBe(1_500);
    expect(await copied.countDocuments()).toBe(2_500);
    expect(await copied.countDocuments({ ws: "w1", n: { $gte: 2_000 } })).toBe(await items.countDocuments({ ws: "w1", n: { $gte: 2_000 } }));
  });

  it("says how to use it when --to is missing", { timeout: 60_000 }, async () => {
    const child = spawnTs("cli/main.ts", ["migrate"], {});
    expect((await exitWithin(child, 45_000)).code).toBe(2);
    expect(child.output()).toMatch(/--to: give the MongoDB connection string/);
  });
});
