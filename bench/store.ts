/**
 * `npm run bench:store [-- --items 100000 --json]`: the embedded stand-in's store alone, through
 * the official driver, with the server in its own process: inserts/s (batches of 1,000 from four
 * concurrent clients, and single inserts from 16), an indexed range read of 10,000 documents, a
 * count an index answers from its keys against the same count reading every document,
 * the time to start again on the data directory until the first query is answered, and the
 * server's resident memory after loading and after a restart.
 *
 * Baseline, in the same run: the in-memory stand-in this store replaced (the Map-based version of
 * shared/db/standin at commit BASELINE_COMMIT, extracted from git into .tmp/). It keeps nothing,
 * so it has no restart figure.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { MongoClient } from "mongodb";

/** The last commit whose shared/db/standin kept everything in JS Maps. */
const BASELINE_COMMIT = "c452445";

const { values } = parseArgs({
  options: { items: { type: "string", default: "100000" }, json: { type: "boolean", default: false } },
});
const N = Number(values.items);
const RANGE = 10_000;
const WORKSPACES = Math.max(1, Math.floor(N / (RANGE * 2))); // a range of one workspace can hold 10k
const log = (m: string) => process.stderr.write(`${m}\n`);

function baselineEntry(): string {
  const dir = resolve(".tmp/bench-store-baseline");
  const entry = join(dir, "shared/db/standin/index.ts");
  if (!existsSync(entry)) {
    mkdirSync(dir, { recursive: true });
    const tar = spawnSync("sh", ["-c", `git archive ${BASELINE_COMMIT} shared/db/standin | tar -x -C '${dir}'`], { encoding: "utf8" });
    if (tar.status !== 0) throw new Error(`cannot extract the baseline stand-in from git (${BASELINE_COMMIT}): ${tar.stderr}`);
  }
  return entry;
}

interface Server {
  proc: ChildProcess;
  uri: string;
  /** the stand-in's own start (opening and checking the store), without the process's */
  openMs: number;
}

function startServer(entry: string, dataDir?: string): Promise<Server> {
  const proc = spawn(process.execPath, ["--import", "tsx", "bench/support/store-server.ts", entry, ...(dataDir ? [dataDir] : [])], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((res, rej) => {
    let out = "";
    proc.stdout!.on("data", (b: Buffer) => {
      out += b.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) res({ proc, ...(JSON.parse(line) as { uri: string; openMs: number }) });
    });
    proc.once("exit", (code) => rej(new Error(`stand-in exited with ${code} before it was ready`)));
  });
}

function stop(s: Server): Promise<void> {
  return new Promise((res) => {
    s.proc.once("exit", () => res());
    s.proc.kill("SIGTERM");
  });
}

/** Resident memory of the server: total, and the part that is the process's own (heap, not file pages). */
function rssMiB(pid: number, kind: "VmRSS" | "RssAnon" = "VmRSS"): number {
  const m = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`${kind}:\\s+(\\d+) kB`));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

const T0 = Date.UTC(2026, 0, 1);
function doc(i: number) {
  return { _id: i, ws: `w${i % WORKSPACES}`, at: new Date(T0 + Math.floor(i / WORKSPACES) * 60_000), n: i, text: `ticket ${i} `.padEnd(200, "x") };
}

interface Figures {
  insertsPerSec: number;
  singleInsertsPerSec: number;
  rangeRead10kMs: number;
  /** countDocuments of one workspace: held exactly by the index {ws, at} */
  countFromIndexMs: number;
  /** the same count with a condition no index holds (`n >= 0`, true of every document): reads them */
  countReadingDocsMs: number;
  rssAfterLoadMiB: number;
  anonAfterLoadMiB: number;
  openEmptyMs: number;
  restartMs?: number;
  reopenMs?: number;
  rangeReadAfterRestartMs?: number;
  rssAfterRestartMiB?: number;
  anonAfterRestartMiB?: number;
}

async function rangeRead(client: MongoClient): Promise<number> {
  const coll = client.db("bench").collection("items");
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const ws = `w${(r * 7) % WORKSPACES}`;
    const from = new Date(T0 + 1_000 * 60_000);
    const t = performance.now();
    const got = await coll.find({ ws, at: { $gte: from, $lt: new Date(from.getTime() + RANGE * 60_000) } }).toArray();
    times.push(performance.now() - t);
    if (got.length !== Math.min(RANGE, Math.max(0, Math.floor(N / WORKSPACES) - 1_000))) throw new Error(`range read returned ${got.length}`);
  }
  return times.sort((a, b) => a - b)[2]!;
}

/** Median of five counts of one workspace's documents under `extra` conditions, checked. */
async function countWorkspace(client: MongoClient, extra: Record<string, unknown>): Promise<number> {
  const coll = client.db("bench").collection("items");
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const ws = `w${(r * 7) % WORKSPACES}`;
    const t = performance.now();
    const n = await coll.countDocuments({ ws, ...extra });
    times.push(performance.now() - t);
    const expected = Math.floor(N / WORKSPACES) + (Number(ws.slice(1)) < N % WORKSPACES ? 1 : 0);
    if (n !== expected) throw new Error(`count of ${ws} gave ${n}, expected ${expected}`);
  }
  return times.sort((a, b) => a - b)[2]!;
}

async function measure(name: string, entry: string, durable: boolean): Promise<Figures> {
  const dataDir = durable ? mkdtempSync(join(tmpdir(), "uc-bench-store-")) : undefined;
  try {
    let server = await startServer(entry, dataDir);
    let client = new MongoClient(server.uri, { maxPoolSize: 20 });
    await client.connect();
    const coll = client.db("bench").collection<ReturnType<typeof doc>>("items");
    await coll.createIndex({ ws: 1, at: 1 });
    log(`${name}: inserting ${N} documents`);
    let next = 0;
    let t = performance.now();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < N) {
          const from = next;
          next = Math.min(N, next + 1_000);
          await coll.insertMany(Array.from({ length: next - from }, (_, k) => doc(from + k)), { ordered: false });
        }
      }),
    );
    const insertsPerSec = N / ((performance.now() - t) / 1000);
    const SINGLES = 4_000;
    let s = 0;
    t = performance.now();
    const singles = client.db("bench").collection<{ _id: number }>("singles");
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (s < SINGLES) await singles.insertOne({ _id: s++ });
    }));
    const singleInsertsPerSec = SINGLES / ((performance.now() - t) / 1000);
    const rangeRead10kMs = await rangeRead(client);
    const countFromIndexMs = await countWorkspace(client, {});
    const countReadingDocsMs = await countWorkspace(client, { n: { $gte: 0 } });
    const rssAfterLoadMiB = rssMiB(server.proc.pid!);
    const anonAfterLoadMiB = rssMiB(server.proc.pid!, "RssAnon");
    const figures: Figures = { insertsPerSec, singleInsertsPerSec, rangeRead10kMs, countFromIndexMs, countReadingDocsMs, rssAfterLoadMiB, anonAfterLoadMiB, openEmptyMs: server.openMs };
    await client.close();
    await stop(server);
    if (durable) {
      log(`${name}: starting again on ${dataDir}`);
      t = performance.now();
      server = await startServer(entry, dataDir);
      client = new MongoClient(server.uri);
      await client.connect();
      const n = await client.db("bench").collection("items").countDocuments({ ws: "w0", at: { $gte: new Date(T0) } });
      figures.restartMs = performance.now() - t;
      figures.reopenMs = server.openMs;
      if (n !== Math.ceil(N / WORKSPACES)) throw new Error(`after the restart, ${n} documents of w0`);
      figures.rangeReadAfterRestartMs = await rangeRead(client);
      figures.rssAfterRestartMiB = rssMiB(server.proc.pid!);
      figures.anonAfterRestartMiB = rssMiB(server.proc.pid!, "RssAnon");
      await client.close();
      await stop(server);
    }
    return figures;
  } finally {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

const baseline = await measure("in-memory stand-in", baselineEntry(), false);
const embedded = await measure("embedded (LMDB, fsync per commit)", resolve("shared/db/standin/index.ts"), true);

if (values.json) {
  console.log(JSON.stringify({ items: N, embedded, baseline }, null, 2));
} else {
  const f = (v: number | undefined, unit = "") => (v === undefined ? "n/a" : `${v >= 100 ? Math.round(v).toLocaleString("en") : v.toFixed(1)}${unit}`);
  const ratio = (a?: number, b?: number) => (a === undefined || b === undefined ? "" : `${(a / b).toFixed(2)}×`);
  const rows: Array<[string, number | undefined, number | undefined, string]> = [
    ["inserts/s (insertMany of 1,000, 4 clients)", embedded.insertsPerSec, baseline.insertsPerSec, "/s"],
    ["single inserts/s (insertOne, 16 clients)", embedded.singleInsertsPerSec, baseline.singleInsertsPerSec, "/s"],
    ["indexed range read of 10,000 documents", embedded.rangeRead10kMs, baseline.rangeRead10kMs, " ms"],
    [`count one workspace's ${Math.floor(N / WORKSPACES).toLocaleString("en")} documents (index {ws, at} holds exactly them)`, embedded.countFromIndexMs, baseline.countFromIndexMs, " ms"],
    ["  the same count with a condition no index holds (reads each document)", embedded.countReadingDocsMs, baseline.countReadingDocsMs, " ms"],
    ["server resident memory after loading", embedded.rssAfterLoadMiB, baseline.rssAfterLoadMiB, " MiB"],
    ["  of which its own (anonymous, not mapped file pages)", embedded.anonAfterLoadMiB, baseline.anonAfterLoadMiB, " MiB"],
    ["start on an empty directory (stand-in only)", embedded.openEmptyMs, baseline.openEmptyMs, " ms"],
    ["restart: new process until the first query is answered", embedded.restartMs, undefined, " ms"],
    ["restart: the stand-in's own part (open, check, listen)", embedded.reopenMs, undefined, " ms"],
    ["range read after the restart (cold cache)", embedded.rangeReadAfterRestartMs, undefined, " ms"],
    ["server resident memory after restart + read", embedded.rssAfterRestartMiB, undefined, " MiB"],
    ["  of which its own (anonymous)", embedded.anonAfterRestartMiB, undefined, " MiB"],
  ];
  console.log(`bench:store — ${N.toLocaleString("en")} documents of ~300 bytes, index {ws: 1, at: 1}`);
  console.log("| measure | embedded | in-memory stand-in (baseline) | embedded / baseline |\n|---|---|---|---|");
  for (const [label, e, b, unit] of rows) console.log(`| ${label} | ${f(e, unit)} | ${f(b, unit)} | ${ratio(e, b)} |`);
  console.log(`\nembedded: counting from index keys took ${ratio(embedded.countFromIndexMs, embedded.countReadingDocsMs)} the time of reading the documents`);
}
