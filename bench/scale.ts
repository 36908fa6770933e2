/**
 * `npm run bench:scale [-- --items 4000 --workers 1,2,4 --partitions 4 --json]`
 *
 * The scaled-out shape on this machine: a 3-primary Redis Cluster (redis-server binaries on free
 * ports), the embedded MongoDB stand-in as its own process, 2 API processes and 1, 2 and 4 worker
 * processes (`PARTITIONS` partitions). For each worker count, on a fresh database and queue prefix,
 * the same stream of tickets (8 workspaces, 10% sent twice) is posted through both APIs in turn;
 * a last run with 2 workers SIGKILLs one of them half way. Reported per run: items/s from
 * the first post until every item is enriched and drained, the ratio to 1 worker (measured in the
 * same run), where the workers' time went (sum of job milliseconds per queue, from their one log
 * line per job), the most rollup drains of different partitions seen running at once, and whether
 * every workspace's rollups equal a full recomputation from the stored items.
 * On 2 cores the speed-up is bounded by the cores, not by the design: read the ratios with that.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { isDeepStrictEqual, parseArgs } from "node:util";
import { connectMongo } from "../shared/db/client";
import { collectionsOf } from "../shared/db/collections";
import { makeApiKeysRepo } from "../shared/db/api-keys-repo";
import { freePort } from "../shared/infra/free-port";
import { startRedisCluster } from "../test/support/redis-cluster";
import { recomputedRollups, storedRollups } from "../test/support/trends-helpers";

const { values } = parseArgs({
  options: {
    items: { type: "string", default: "4000" },
    workers: { type: "string", default: "1,2,4" },
    partitions: { type: "string", default: "4" },
    json: { type: "boolean", default: false },
  },
});
const ITEMS = Number(values.items);
const WORKER_COUNTS = values.workers.split(",").map(Number);
const PARTITIONS = Number(values.partitions);
const WORKSPACES = Array.from({ length: 8 }, (_, i) => `bench-${i}`);
const BATCH = 100;
const progress = (msg: string) => process.stderr.write(`[bench:scale] ${msg}\n`);

interface Proc {
  child: ChildProcess;
  lines: string[];
}
const procs = new Set<Proc>();

function start(entry: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const p: Proc = { child, lines: [] };
  let buf = "";
  const onData = (b: Buffer) => {
    buf += b.toString();
    const parts = buf.split("\n");
    buf = parts.pop()!;
    p.lines.push(...parts);
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  procs.add(p);
  child.once("exit", () => procs.delete(p));
  return p;
}

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function ticket(i: number) {
  const created = Date.parse("2026-03-02T00:00:00Z") + (i % 72) * 3_600_000;
  return {
    source: "api", externalId: `T-${i}`, channel: ["email", "chat", "phone"][i % 3], status: i % 4 ? "solved" : "open",
    subject: `Order ${i}`, body: `My refund for order ${i} has not arrived and the app crashes at login`,
    tags: [`tag-${i % 5}`], createdAt: new Date(created).toISOString(), updatedAt: new Date(created + 3_600_000).toISOString(),
    ...(i % 4 ? { resolvedAt: new Date(created + 3_600_000).toISOString() } : {}),
  };
}

interface JobLine {
  queue: string;
  ms: number;
  time: number;
}
function jobLines(p: Proc): JobLine[] {
  const out: JobLine[] = [];
  for (const l of p.lines) {
    if (!l.includes('"job done"')) continue;
    try {
      const j = JSON.parse(l);
      out.push({ queue: j.queue, ms: j.ms, time: j.time });
    } catch {
      /* not a log line */
    }
  }
  return out;
}

/** Most drains of different partitions whose [start, end] intervals overlap at one instant. */
function maxConcurrentDrains(lines: JobLine[]): number {
  const events = lines
    .filter((l) => l.queue.startsWith("update-rollups"))
    .flatMap((l) => [
      { at: l.time - l.ms, d: 1 },
      { at: l.time, d: -1 },
    ])
    .sort((a, b) => a.at - b.at || a.d - b.d);
  let cur = 0;
  let max = 0;
  for (const e of events) max = Math.max(max, (cur += e.d));
  return max;
}

const cluster = await startRedisCluster(3);
const standin = start("bench/support/standin-process.ts", {});
await until(() => standin.lines.some((l) => l.includes('"uri"')), "the MongoDB stand-in");
const mongoUrl = JSON.parse(standin.lines.find((l) => l.includes('"uri"'))!).uri as string;
progress(`Redis Cluster ${cluster.nodes}, MongoDB ${mongoUrl}, ${PARTITIONS} partitions, ${ITEMS} items`);

const results: Record<string, unknown>[] = [];
try {
  // Throughput rows without a kill (so they compare), then one row with a worker SIGKILLed half way.
  const runs = [...WORKER_COUNTS.map((n) => ({ workerCount: n, kill: false })), { workerCount: Math.max(2, WORKER_COUNTS[1] ?? 2), kill: true }];
  for (const { workerCount, kill } of runs) {
    const env = {
      MONGO_URL: mongoUrl,
      MONGO_DB: `scale_${workerCount}_${Date.now()}`,
      REDIS_CLUSTER_NODES: cluster.nodes,
      QUEUE_PREFIX: `s${workerCount}x${Date.now() % 100_000}`,
      PARTITIONS: String(PARTITIONS),
      LOG_LEVEL: "info",
      WORKER_LOCK_MS: "5000",
      SWEEP_INTERVAL_MS: "2000",
      SECRET_KEY: Buffer.alloc(32, 7).toString("base64"),
    };
    const mongo = await connectMongo({ url: mongoUrl, dbName: env.MONGO_DB, onLog: () => {} });
    const ports = [await freePort(), await freePort()];
    const apis = ports.map((port) => start("api/server.ts", { ...env, PORT: String(port), HOST: "127.0.0.1" }));
    for (const port of ports) {
      await until(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200, `API on ${port}`, 60_000);
    }
    const cols = collectionsOf(mongo.db);
    const keys = Object.fromEntries(
      await Promise.all(WORKSPACES.map(async (ws) => [ws, (await makeApiKeysRepo(cols).create(ws, ["ingest"])).key] as const)),
    );
    const workers = Array.from({ length: workerCount }, (_, i) => start("workers/main.ts", { ...env, WORKER_NAME: `w${i}` }));
    await until(() => workers.every((w) => w.lines.some((l) => l.includes("workers started"))), "the workers", 60_000);

    // The stream: each workspace gets ITEMS / 8 tickets; every tenth batch is sent again.
    const perWs = Math.floor(ITEMS / WORKSPACES.length);
    const batches: { ws: string; items: unknown[] }[] = [];
    for (let i = 0; i < perWs; i += BATCH) {
      for (const ws of WORKSPACES) batches.push({ ws, items: Array.from({ length: Math.min(BATCH, perWs - i) }, (_, k) => ticket(i + k)) });
    }
    const stream = batches.flatMap((b, i) => (i % 10 === 3 ? [b, b] : [b]));
    let killed = false;
    const t0 = performance.now();
    for (let i = 0; i < stream.length; i++) {
      const { ws, items } = stream[i]!;
      const port = ports[i % 2]!;
      const res = await fetch(`http://127.0.0.1:${port}/v1/tickets`, {
        method: "POST",
        headers: { authorization: `Bearer ${keys[ws]}`, "content-type": "application/json" },
        body: JSON.stringify({ items }),
      });
      if (res.status !== 202) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
      if (kill && !killed && i >= stream.length / 2) {
        workers[0]!.child.kill("SIGKILL");
        killed = true;
      }
    }
    const ingestS = (performance.now() - t0) / 1000;
    const unsettled = () => cols.items.countDocuments({ $or: [{ pending: true }, { rollupDirty: { $exists: true } }] });
    await until(async () => (await unsettled()) === 0, "every item enriched and drained");
    const totalS = (performance.now() - t0) / 1000;

    const itemCount = await cols.items.countDocuments({});
    let exact = true;
    const handle = { ...mongo, cols };
    for (const ws of WORKSPACES) {
      const stored = await storedRollups(handle, ws);
      const recomputed = await recomputedRollups(handle, ws);
      if (Object.keys(stored).length === 0 || !isDeepStrictEqual(stored, recomputed)) exact = false;
    }
    const lines = workers.flatMap(jobLines);
    const msByQueue: Record<string, number> = {};
    for (const l of lines) {
      const q = l.queue.replace(/:\d+$/, "");
      msByQueue[q] = (msByQueue[q] ?? 0) + l.ms;
    }
    const drainPartitions = new Set(lines.filter((l) => l.queue.startsWith("update-rollups")).map((l) => l.queue)).size;
    const row = {
      workers: workerCount,
      killed: killed ? 1 : 0,
      items: itemCount,
      expected: perWs * WORKSPACES.length,
      ingestSeconds: Math.round(ingestS * 10) / 10,
      totalSeconds: Math.round(totalS * 10) / 10,
      itemsPerSecond: Math.round(itemCount / totalS),
      exact,
      jobMs: msByQueue,
      drainPartitions,
      maxConcurrentDrains: maxConcurrentDrains(lines),
    };
    results.push(row);
    progress(JSON.stringify(row));
    for (const p of [...workers, ...apis]) p.child.kill("SIGTERM");
    await until(() => [...workers, ...apis].every((p) => p.child.exitCode !== null || p.child.signalCode !== null), "the processes to stop", 60_000);
    await mongo.close();
  }
} finally {
  for (const p of procs) if (p !== standin) p.child.kill("SIGKILL");
  standin.child.kill("SIGTERM");
  await cluster.stop();
}

const base = results[0]!.itemsPerSecond as number; // the first worker count, no kill
if (values.json) {
  console.log(JSON.stringify({ partitions: PARTITIONS, results: results.map((r) => ({ ...r, ratioToFirst: (r.itemsPerSecond as number) / base })) }));
} else {
  console.log(`partitions ${PARTITIONS}, 2 API processes, a 3-primary Redis Cluster, the stand-in as its own process`);
  console.log("workers | killed | items (expected) | ingest s | total s | items/s | ratio to first | exact | drains at once | job ms by queue");
  for (const r of results) {
    console.log(
      `${r.workers} | ${r.killed} | ${r.items} (${r.expected}) | ${r.ingestSeconds} | ${r.totalSeconds} | ${r.itemsPerSecond} | ` +
        `${((r.itemsPerSecond as number) / base).toFixed(2)} | ${r.exact} | ${r.maxConcurrentDrains} | ${JSON.stringify(r.jobMs)}`,
    );
  }
}
process.exit(results.every((r) => r.exact && r.items === r.expected) ? 0 : 1);
