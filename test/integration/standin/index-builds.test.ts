/**
 * Index builds over stored documents run in steps of BUILD_STEP_DOCS documents, one per group
 * commit, so other clients are served meanwhile (a build over millions of documents in one piece
 * held the store's thread long enough for the driver's monitor to give up on the server). What
 * is written during a build is in the index when it is done; a duplicate or a dropped index ends
 * it cleanly; a build cut short by a restart is taken up again by the next createIndexes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MongoServerError, type Collection, type Document } from "mongodb";
import { afterAll, describe, expect, it } from "vitest";
import { BUILD_STEP_DOCS, Store } from "../../../shared/db/standin/store";
import { randomName, useStandin } from "./harness";

const h = useStandin();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

type Item = { _id: number; ws: string; n: number };
const N = BUILD_STEP_DOCS * 6 + 123;

async function filled(): Promise<Collection<Item>> {
  const coll = h.freshDb().collection<Item>(randomName("items"));
  for (let i = 0; i < N; i += 10_000) {
    await coll.insertMany(Array.from({ length: Math.min(10_000, N - i) }, (_, k) => ({ _id: i + k, ws: `w${(i + k) % 7}`, n: i + k })));
  }
  return coll;
}

/** The ids matching `filter` through the index (hinted) and by a collection scan. */
async function viaIndexAndScan(coll: Collection<Item>, filter: Document, hint: string): Promise<[number[], number[]]> {
  const sorted = (docs: Item[]) => docs.map((d) => d._id).sort((a, b) => a - b);
  return [sorted(await coll.find(filter).hint(hint).toArray()), sorted(await coll.find({ $and: [filter] }).toArray())];
}

describe("stand-in index builds in steps", () => {
  it("answers other clients between the steps of a build, and indexes what they wrote meanwhile", async () => {
    const coll = await filled();
    const done: string[] = [];
    const build = coll.createIndex({ ws: 1, n: 1 }, { name: "ws_n" }).then(() => done.push("build"));
    // sent after the createIndexes: answered after its first step, long before its last
    const writes = Promise.all([
      coll.insertOne({ _id: -1, ws: "w3", n: -1 }),
      coll.updateOne({ _id: N - 1 }, { $set: { ws: "w3" } }), // a document the scan has not reached
      coll.updateOne({ _id: 1 }, { $set: { ws: "moved" } }),
      coll.deleteOne({ _id: N - 2 }),
    ]).then(() => done.push("writes"));
    await Promise.all([build, writes]);
    expect(done).toEqual(["writes", "build"]);
    expect((await coll.listIndexes().toArray()).map((ix) => ix.name)).toContain("ws_n");
    for (const filter of [{ ws: "w3" }, { ws: "moved" }, { ws: "w5", n: { $gte: N - 100 } }]) {
      const [indexed, scanned] = await viaIndexAndScan(coll, filter, "ws_n");
      expect(indexed).toEqual(scanned);
      expect(indexed.length).toBeGreaterThan(0);
    }
    expect(await coll.countDocuments({ ws: "w3" })).toBe((await viaIndexAndScan(coll, { ws: "w3" }, "ws_n"))[1].length);
  });

  it("a duplicate found late in a unique build fails it with E11000 and leaves no index behind", async () => {
    const coll = await filled();
    await coll.insertOne({ _id: N + 1, ws: "x", n: N - 5 });
    const err = await coll.createIndex({ n: 1 }, { unique: true, name: "n_unique" }).then(
      () => undefined,
      (e: unknown) => e as MongoServerError,
    );
    expect(err?.code).toBe(11000);
    expect((await coll.listIndexes().toArray()).map((ix) => ix.name)).toEqual(["_id_"]);
    // nothing of it is enforced or kept
    await coll.insertOne({ _id: N + 2, ws: "x", n: 7 });
    expect(await coll.countDocuments({ n: 7 })).toBe(2);
  });

  it("indexes created by one command stand or fail together: a late duplicate in the second removes the first", async () => {
    const coll = await filled();
    await coll.insertOne({ _id: N + 1, ws: "x", n: N - 5 });
    const err = await coll
      .createIndexes([{ key: { ws: 1 }, name: "ws_1" }, { key: { n: 1 }, name: "n_unique", unique: true }])
      .then(() => undefined, (e: unknown) => e as MongoServerError);
    expect(err?.code).toBe(11000);
    expect((await coll.listIndexes().toArray()).map((ix) => ix.name)).toEqual(["_id_"]);
    // and a later command builds the good one as if nothing had happened
    await coll.createIndex({ ws: 1 }, { name: "ws_1" });
    const [indexed, scanned] = await viaIndexAndScan(coll, { ws: "w2" }, "ws_1");
    expect(indexed).toEqual(scanned);
  });

  it("dropping the index while it is being built ends the build with IndexBuildAborted", async () => {
    const coll = await filled();
    const build = coll.createIndex({ n: 1 }, { name: "n_1" }).then(
      () => undefined,
      (e: unknown) => e as MongoServerError,
    );
    await coll.dropIndex("n_1");
    const err = await build;
    expect(err?.code).toBe(276);
    expect(err?.message).toMatch(/aborted: the index or its collection was dropped/);
    expect((await coll.listIndexes().toArray()).map((ix) => ix.name)).toEqual(["_id_"]);
  });

  it("the same index under another name is refused while the first is still being built", async () => {
    const coll = await filled();
    const first = coll.createIndex({ ws: 1, n: 1 }, { name: "first" });
    const second = await coll.createIndex({ ws: 1, n: 1 }, { name: "second" }).then(
      () => undefined,
      (e: unknown) => e as MongoServerError,
    );
    await first;
    expect(second?.code).toBe(85);
    expect(second?.message).toMatch(/already exists with a different name: first/);
    expect((await coll.listIndexes().toArray()).map((ix) => ix.name).sort()).toEqual(["_id_", "first"]);
  });

  it("a build cut short by a restart is invisible to queries, kept up by writes, and finished by the next createIndexes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "uc-build-"));
    dirs.push(dir);
    let store = await Store.open({ dir });
    const coll = store.transaction(() => store.db("d").ensure("c"));
    store.transaction(() => {
      for (let i = 0; i < 3 * BUILD_STEP_DOCS; i++) coll.insert({ _id: i, k: i % 50 });
    });
    const spec = { name: "k_1", key: { k: 1 } };
    store.transaction(() => {
      const build = coll.startIndexBuild(spec);
      if (build === "exists") throw new Error("no such index yet");
      expect(coll.stepIndexBuild(build, BUILD_STEP_DOCS)).toBe(false);
    });
    await store.close(); // as a process stopped between two steps

    store = await Store.open({ dir });
    let again = store.db("d").get("c")!;
    expect(again.listIndexes().map((ix) => ix.name)).toEqual(["_id_"]);
    expect([...again.building.keys()]).toEqual(["k_1"]);
    // writes keep its entries meanwhile, on both sides of where the scan stopped
    store.transaction(() => {
      again.insert({ _id: "late", k: 7 });
      again.remove(again.byRid(2)!); // _id 1, already scanned
    });
    store.transaction(() => again.createIndex(spec));
    again = store.db("d").get("c")!;
    expect(again.listIndexes().map((ix) => ix.name)).toEqual(["_id_", "k_1"]);
    const viaIndex = [...again.candidates({ k: 1 })].map((d) => d._id);
    expect(viaIndex.filter((id) => id === 1)).toEqual([]);
    expect(viaIndex).toHaveLength(3 * BUILD_STEP_DOCS / 50 - 1);
    expect([...again.candidates({ k: 7 })].map((d) => d._id)).toContain("late");
    await store.close();
  });
});
