/**
 * The stand-in keeps its data: a restart on the same directory finds documents, indexes and
 * unique constraints; a process killed with SIGKILL in the middle of a stream of acknowledged
 * inserts loses none of them and leaves no half batch; a torn last commit is rolled back; a
 * damaged file stops the start with a message that says how to restore; a busy directory is
 * refused; the backup command copies a consistent snapshot while writes go on.
 */
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, truncateSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { open as openLmdb } from "lmdb";
import { MongoClient, MongoServerError, type Document } from "mongodb";
import { afterAll, describe, expect, it } from "vitest";

/** Documents with a numeric or string `_id` (the driver's default type says ObjectId). */
type AnyDoc = Document & { _id: number | string };
import { startMongoStandin, type MongoStandin } from "../../../shared/db/standin";
import { exitWithin, killAllChildren, spawnTs, waitFor, waitForOutput } from "../../support/procs-children";

const dirs: string[] = [];
function tempDir(prefix = "uc-durable-"): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

afterAll(async () => {
  await killAllChildren();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function open(dataDir: string): Promise<{ standin: MongoStandin; client: MongoClient; close(): Promise<void> }> {
  const standin = await startMongoStandin({ dataDir, onLog: () => {} });
  const client = new MongoClient(standin.uri, { serverSelectionTimeoutMS: 3_000 });
  await client.connect();
  return {
    standin,
    client,
    async close() {
      await client.close();
      await standin.close();
    },
  };
}

async function filledDir(): Promise<string> {
  const dir = tempDir();
  const s = await open(dir);
  const coll = s.client.db("d").collection("c");
  await coll.createIndex({ k: 1 });
  for (let b = 0; b < 10; b++) {
    await coll.insertMany(Array.from({ length: 200 }, (_, i) => ({ k: `key-${b}-${i}`, n: i, text: "z".repeat(400) })));
  }
  await s.close(); 
  return dir;
}

describe("embedded stand-in: data survives", () => {
  it("a restart: documents, natural order, indexes, multikey ranges and unique constraints are all there", async () => {
    const dir = tempDir();
    const a = await open(dir);
    const coll = a.client.db("shop").collection<AnyDoc>("users");
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.createIndex({ ws: 1, n: 1 });
    await coll.createIndex({ tags: 1 });
    await coll.createIndex({ dirty: 1 }, { partialFilterExpression: { dirty: { $exists: true } }, name: "dirty_partial" });
    const docs = Array.from({ length: 500 }, (_, i) => ({
      _id: 10_000 - i,
      email: `u${i}@example.com`,
      ws: i % 3 === 0 ? "w1" : "w2",
      n: i,
      at: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
      tags: i % 2 ? ["a", "b"] : ["c"],
      ...(i % 50 === 0 ? { dirty: `t${i}` } : {}),
    }));
    await coll.insertMany(docs);
    await coll.updateOne({ _id: 10_000 }, { $set: { n: -1 } });
    await coll.deleteOne({ _id: 9_999 });
    const indexesBefore = await coll.listIndexes().toArray();
    await a.close();
    expect(existsSync(join(dir, "data.mdb"))).toBe(true);

    const b = await open(dir);
    const again = b.client.db("shop").collection<AnyDoc>("users");
    expect(await again.countDocuments()).toBe(499);
    expect(await again.estimatedDocumentCount()).toBe(499);
    expect(await again.listIndexes().toArray()).toEqual(indexesBefore);
    expect(await again.findOne({ _id: 10_000 })).toMatchObject({ n: -1, email: "u0@example.com", at: new Date(Date.UTC(2026, 0, 1)) });
    expect(await again.findOne({ _id: 9_999 })).toBeNull();
    // natural order is insertion order, as before the restart
    expect((await again.find({}).limit(3).toArray()).map((d) => d._id)).toEqual([10_000, 9_998, 9_997]);
    // index-served equality, prefix + range, multikey and partial lookups
    expect(await again.countDocuments({ ws: "w1", n: { $gte: 100, $lt: 200 } })).toBe(docs.filter((d) => d.ws === "w1" && d.n >= 100 && d.n < 200).length);
    expect(await again.countDocuments({ tags: "a" })).toBe(250 - 1); // _id 9_999 (i = 1) was deleted
    expect((await again.find({ dirty: { $exists: true } }).toArray()).length).toBe(10);
    expect(await again.distinct("ws")).toEqual(expect.arrayContaining(["w1", "w2"]));
    const dup = await again.insertOne({ _id: 1, email: "u7@example.com" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(dup).toBeInstanceOf(MongoServerError);
    expect((dup as MongoServerError).code).toBe(11000);
    expect((dup as MongoServerError).message).toContain("index: email_1 dup key: { email: \"u7@example.com\" }");
    // and it keeps writing after the restart
    await again.insertOne({ _id: 1, email: "new@example.com", ws: "w3", n: 0 });
    expect(await again.findOne({ email: "new@example.com" })).toMatchObject({ _id: 1 });
    await b.close();
  });

  it("refuses a data directory another live process has open", async () => {
    const dir = tempDir();
    const a = await open(dir);
    await expect(startMongoStandin({ dataDir: dir, onLog: () => {} })).rejects.toThrow(/already open in this process/);
    await a.close();
    const b = await open(dir); // released on close
    await b.close();
  });

  it("SIGKILL during a stream of acknowledged inserts: every acknowledged document is there, and no batch is half there", { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const child = spawnTs("test/fixtures/procs/standin-writer.ts", [dir], {});
    await waitForOutput(child, /ready/, 20_000);
    await waitFor("60 acknowledged batches", async () => (child.output().match(/^ack /gm)?.length ?? 0) >= 60, { timeoutMs: 30_000, child });
    child.kill("SIGKILL");
    await exitWithin(child, 10_000);
    const acked = [...child.output().matchAll(/^ack (\S+) (\S+)$/gm)].map((m) => ({ batch: m[1]!, ids: m[2]!.split(",") }));
    expect(acked.length).toBeGreaterThanOrEqual(60);

    const s = await open(dir);
    const coll = s.client.db("crash").collection<{ _id: string; batch: string }>("items");
    const stored = new Set((await coll.find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id));
    const missing = acked.flatMap((a) => a.ids).filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    // Each insertMany was one command in one commit: a batch cut by the kill is absent, never partial.
    const perBatch = await coll.aggregate<{ _id: string; n: number }>([{ $group: { _id: "$batch", n: { $sum: 1 } } }]).toArray();
    expect(perBatch.filter((b) => b.n !== 25)).toEqual([]);
    expect(stored.size).toBe(perBatch.length * 25);
    await s.close();
  });

  it("a torn last commit (its header page never written) is rolled back cleanly on the next start", { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const child = spawnTs("test/fixtures/procs/standin-writer.ts", [dir, "two-batches"], {});
    await waitForOutput(child, /acked-both/, 20_000);
    // while that process lives, nobody else may open its directory
    await expect(startMongoStandin({ dataDir: dir, onLog: () => {} })).rejects.toThrow(new RegExp(`in use by process ${child.pid}`));
    child.kill("SIGKILL");
    await exitWithin(child, 10_000);
    // LMDB commits by writing the new pages, syncing them, then writing one header (meta) page.
    // Putting back the header pages as they were after batch A is the state of a machine that
    // lost power while batch B's header write was on its way: B's pages are there, unreferenced.
    const file = join(dir, "data.mdb");
    const afterA = readFileSync(`${dir}.meta-after-A`);
    const now = Buffer.alloc(afterA.length);
    const fd = openSync(file, "r+");
    readSync(fd, now, 0, now.length, 0);
    expect(now.readUInt32LE(48)).toBe(4096); // page size: the fixture saved two 4 KiB pages
    expect(now.equals(afterA)).toBe(false); // batch B's commit changed a header page
    writeSync(fd, afterA, 0, afterA.length, 0);
    closeSync(fd);
    rmSync(`${dir}.meta-after-A`);

    const s = await open(dir);
    const coll = s.client.db("crash").collection("items");
    expect(await coll.countDocuments({ batch: "A" })).toBe(20);
    expect(await coll.countDocuments({ batch: "B" })).toBe(0);
    expect(await coll.countDocuments({})).toBe(20);
    expect(await coll.find({ batch: "A" }).toArray()).toHaveLength(20); // the index agrees
    await coll.insertOne({ _id: "after" as never, batch: "C" });
    await coll.insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: `B-${i}` as never, batch: "B" })));
    await s.close();
    const again = await open(dir);
    expect(await again.client.db("crash").collection("items").countDocuments({})).toBe(41);
    await again.close();
  });

  it("a data file cut short (pages missing at its end) is refused, not mapped", async () => {
    const dir = await filledDir();
    const file = join(dir, "data.mdb");
    truncateSync(file, statSync(file).size - 8 * 4096);
    const err = await startMongoStandin({ dataDir: dir, onLog: () => {} }).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(err?.code).toBe("STORE_DAMAGED");
    expect(err?.message).toMatch(/it was truncated/);
    expect(err?.message).toContain("npm run cli -- backup");
  });
});

describe("embedded stand-in: damage is detected", () => {

  it("a page of live documents overwritten with junk stops the start with what is wrong and how to restore", async () => {
    const dir = await filledDir();
    const file = join(dir, "data.mdb");
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(1024 * 1024);
    // Every page holding the text of one stored document (an older copy may sit in a free page;
    // the current one is among them) is overwritten, as a failing disk might.
    const bytes = readFileSync(file);
    const needle = Buffer.from("key-4-123");
    const fd = openSync(file, "r+");
    let hits = 0;
    for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) {
      writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, Math.floor(at / 4096) * 4096);
      hits++;
    }
    closeSync(fd);
    expect(hits).toBeGreaterThan(0);
    const err = await startMongoStandin({ dataDir: dir, onLog: () => {} }).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(err?.code).toBe("STORE_DAMAGED");
    expect(err?.message).toContain(`data file is damaged: ${file}`);
    expect(err?.message).toMatch(/LMDB reports|integrity check|checksum/);
    expect(err?.message).toContain("npm run cli -- backup");
    expect(err?.message).toMatch(/restore a backup/i);
    // the refused start released the directory
    expect(readdirSync(dir)).not.toContain("LOCK");
  });

  it("a file that is not a store at all is refused the same way", async () => {
    const dir = await filledDir();
    const file = join(dir, "data.mdb");
    const fd = openSync(file, "r+");
    writeSync(fd, Buffer.from("this is not a database".padEnd(100, "!")), 0, 100, 0);
    closeSync(fd);
    await expect(startMongoStandin({ dataDir: dir, onLog: () => {} })).rejects.toMatchObject({ code: "STORE_DAMAGED" });
  });

  it("a document changed on disk behind the store's back is refused on read (checksum), not served", async () => {
    const dir = await filledDir();
    // change one stored document's bytes through LMDB itself, so only our checksum can tell
    const env = openLmdb({ path: dir, maxDbs: 8, encoding: "binary", keyEncoding: "binary" });
    const docs = env.openDB({ name: "docs", encoding: "binary", keyEncoding: "binary" });
    const { key, value } = [...docs.getRange({ limit: 8 })][7]!;
    const changed = Buffer.from(value);
    changed[changed.length - 20] = changed[changed.length - 20]! ^ 0x01; // inside the padding text: still valid BSON
    docs.transactionSync(() => docs.putSync(key, changed));
    await env.close();
    // the start refuses it ...
    await expect(startMongoStandin({ dataDir: dir, onLog: () => {} })).rejects.toThrow(/integrity check: document [0-9a-f]+ fails its checksum/);
    // ... and a store started without that check refuses to serve it
    const standin = await startMongoStandin({ dataDir: dir, onLog: () => {}, verifyOnOpen: false });
    const client = await new MongoClient(standin.uri).connect();
    const s = { client, close: async () => (await client.close(), await standin.close()) };
    const err = await s.client.db("d").collection("c").find({}).toArray().then(
      () => undefined,
      (e: unknown) => e as MongoServerError,
    );
    expect(err?.code).toBe(12);
    expect(err?.message).toMatch(/damaged \(record \d+: checksum mismatch\)/);
    expect(await s.client.db("d").collection("c").countDocuments({ k: "key-0-16" })).toBe(1); // the rest is served
    await s.close();
  });

  it("npm start on a damaged DATA_DIR exits 1 with the message instead of a stack trace", { timeout: 60_000 }, async () => {
    const dir = await filledDir();
    const file = join(dir, "data.mdb");
    const size = statSync(file).size;
    const fd = openSync(file, "r+");
    writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    const child = spawnTs("start.ts", [], { DATA_DIR: dir, PORT: "0", LOG_LEVEL: "warn" });
    const exit = await exitWithin(child, 45_000);
    expect(exit.code, child.output()).toBe(1);
    expect(child.output()).toContain("Undercurrent cannot start: The embedded MongoDB store's data file is damaged");
    expect(child.output()).not.toMatch(/^\s+at /m);
  });
});

describe("embedded stand-in: backup", () => {
  it("npm run cli -- backup copies a consistent snapshot while writes go on, and the copy starts as a store", { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const dest = join(tempDir("uc-backup-"), "copy");
    const s = await open(dir);
    const coll = s.client.db("undercurrent").collection<{ _id: string; batch: number; email: string }>("items");
    await coll.createIndex({ email: 1 }, { unique: true });
    let stop = false;
    let batches = 0;
    const writer = (async () => {
      while (!stop) {
        const b = batches;
        await coll.insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: `${b}-${i}`, batch: b, email: `${b}-${i}@x` })));
        batches++;
      }
    })();
    await waitFor("some batches", async () => batches >= 20, { timeoutMs: 20_000 });
    const cli = spawnTs("cli/main.ts", ["backup", dest], { DATA_DIR: dir });
    const exit = await exitWithin(cli, 45_000);
    stop = true;
    await writer;
    expect(exit.code, cli.output()).toBe(0);
    expect(cli.output()).toMatch(/Backed up .* MiB in [\d.]+ s \(opened and checked\)/);
    await s.close();

    const copy = await open(dest);
    const c = copy.client.db("undercurrent").collection<{ _id: string; batch: number; email: string }>("items");
    const n = await c.countDocuments();
    expect(n).toBeGreaterThanOrEqual(200);
    expect(n % 10).toBe(0); // whole batches only: one snapshot
    expect(n).toBeLessThanOrEqual(batches * 10);
    const dup = await c.insertOne({ _id: "x", batch: -1, email: "0-0@x" }).then(() => undefined, (e: MongoServerError) => e);
    expect(dup?.code).toBe(11000);
    await copy.close();
  });

  it("refuses a non-empty target directory and a DATA_DIR without a store", { timeout: 60_000 }, async () => {
    const notEmpty = tempDir("uc-backup-");
    closeSync(openSync(join(notEmpty, "something"), "w"));
    const dir = tempDir();
    const s = await open(dir);
    await s.close();
    const refused = spawnTs("cli/main.ts", ["backup", notEmpty], { DATA_DIR: dir });
    expect((await exitWithin(refused, 45_000)).code).toBe(1);
    expect(refused.output()).toMatch(/is not empty/);
    const none = spawnTs("cli/main.ts", ["backup", join(notEmpty, "x")], { DATA_DIR: join(dir, "nothing-here") });
    expect((await exitWithin(none, 45_000)).code).toBe(1);
    expect(none.output()).toMatch(/No embedded store at/);
  });
});
