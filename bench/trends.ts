/**
 * `npm run bench:trends [-- --items 1000000 --runs 3 --seed 42 --json --data-dir DIR]`
 *
 * Measured, not asserted. Loads one year of generated tickets (5 channels, 3 teams,
 * 3 languages, 3 sentiment labels, 0-2 tags) as stored, enriched items marked `rollupDirty`, lets
 * the REAL rollup drain (workers/processors/update-rollups.ts) build the rollups, and reports:
 * - MongoDB round trips spent by the drain per 1,000 items (driver command monitoring; target <= 20);
 * - a year-by-day volume-and-FCR query per channel, tz UTC and Europe/Amsterdam, answered
 *   (a) from rollups with the API's own `answerTrend` and (b) with one aggregation over the raw
 *   items; both must give the same numbers; median times, ratio (target >= 100x) and documents
 *   read per query;
 * - a year-by-day resolution-time query per channel (a metric that reads day documents), read by
 *   day totals as the API does against every hourly slot (the baseline), same answer required;
 * - the same at a tenth of the items, to show that rollup documents read do not grow with items.
 * MongoDB is MONGO_URL when set, else the embedded stand-in (in this process, on a data directory
 * of its own, so with fsync as in `npm start`). Progress goes to
 * stderr; figures to stdout (a table, or one JSON object with --json).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { getHeapStatistics } from "node:v8";
import type { Job } from "bullmq";
import { MongoClient, type CommandStartedEvent, type CommandSucceededEvent, type Db } from "mongodb";
import { pino } from "pino";
import { answerTrend, trendQuerySchema, type TrendResponse } from "../api/routes/trends/trend-query";
import { configSchema } from "../shared/config";
import { connectMongo } from "../shared/db/client";
import { DATA_FILE } from "../shared/db/standin/engine";
import { collectionsOf, ensureIndexes } from "../shared/db/collections";
import { makeRollupsRepo, type RollupsRepo } from "../shared/db/rollups-repo";
import { ticketInputSchema } from "../shared/domain/models";
import type { Queues } from "../shared/queues/producers";
import type { WorkerDeps } from "../workers/deps";
import { makeUpdateRollups } from "../workers/processors/update-rollups";
import { BENCH_YEAR_START, benchTicket, creationTimes, rngOf } from "./support/trends-data";
import { compare, rawCounts, rawCountsByCursor, type Comparison } from "./support/trends-raw";

const { values } = parseArgs({
  options: {
    items: { type: "string", default: "1000000" },
    runs: { type: "string", default: "3" },
    seed: { type: "string", default: "42" },
    json: { type: "boolean", default: false },
    /** pipeline: $group with $dateToString timezone; cursor: $match on the server, group in JS */
    raw: { type: "string" },
    /**
     * Keep the embedded store's data in DIR (not removed at the end); a later run with the same
     * DIR, --items and --seed reuses what was loaded and drained and measures the queries only.
     */
    "data-dir": { type: "string" },
  },
});
const ITEMS = Number(values.items);
const RUNS = Math.max(1, Number(values.runs));
const SEED = Number(values.seed);
if (!Number.isInteger(ITEMS) || ITEMS < 10) throw new Error("--items must be an integer >= 10");
// The stand-in's $dateToString with an IANA timezone costs ~0.1 ms per date (see trends-raw.ts).
const RAW_MODE = values.raw ?? (process.env.MONGO_URL ? "pipeline" : "cursor");
if (RAW_MODE !== "pipeline" && RAW_MODE !== "cursor") throw new Error("--raw must be pipeline or cursor");

// A million items with their rollupApplied records outgrow Node's default heap when the stand-in
// holds them in this process: re-run with a larger heap (same arguments, same output).
const WANT_HEAP = Math.min(16 * 2 ** 30, Math.floor(totalmem() * 0.75));
if (!process.env.UC_TRENDS_BENCH_CHILD && getHeapStatistics().heap_size_limit < WANT_HEAP * 0.9 && !process.env.MONGO_URL) {
  const res = spawnSync(
    process.execPath,
    [...process.execArgv, `--max-old-space-size=${Math.floor(WANT_HEAP / 2 ** 20)}`, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: "inherit", env: { ...process.env, UC_TRENDS_BENCH_CHILD: "1" } },
  );
  process.exit(res.status ?? 1);
}

const WORKSPACE = "bench";
const TZS = ["UTC", "Europe/Amsterdam"] as const;
const INSERT_BATCH = 10_000;
const IGNORED_COMMANDS = new Set(["hello", "ping", "isMaster", "ismaster"]);

const progress = (msg: string) => process.stderr.write(`[bench:trends] ${msg}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

// Without MONGO_URL: the embedded store on a data directory of its own, so with fsync as in
// `npm start` (a temporary store skips it), removed at the end.
const keptDataDir = values["data-dir"] && !process.env.MONGO_URL ? resolve(values["data-dir"]) : undefined;
const benchDataDir = process.env.MONGO_URL ? undefined : (keptDataDir ?? mkdtempSync(join(tmpdir(), "uc-bench-trends-")));
process.once("exit", () => benchDataDir && !keptDataDir && rmSync(benchDataDir, { recursive: true, force: true }));
// A kept data directory that already holds a store: opening it is a restart of `npm start`'s store
// (the integrity check of the whole file included), so it is timed.
const keptFile = keptDataDir ? join(keptDataDir, DATA_FILE) : undefined;
const reopenedBytes = keptFile && existsSync(keptFile) ? statSync(keptFile).size : 0;
const openStarted = performance.now();
const mongo = await connectMongo({
  url: process.env.MONGO_URL,
  dataDir: benchDataDir,
  dbName: "bench_trends",
  onLog: (m) => progress(m),
  clientOptions: { monitorCommands: true },
});

const restart = reopenedBytes > 0 ? { seconds: round((performance.now() - openStarted) / 1000, 2), fileBytes: reopenedBytes } : undefined;
if (restart) progress(`reopened the store in ${restart.seconds} s (${(reopenedBytes / 2 ** 30).toFixed(2)} GiB data file, integrity check included)`);

/** Command monitoring: counts commands (not hello/ping) against one database while `on`. */
const monitor = {
  on: false,
  db: "",
  byName: new Map<string, number>(),
  /** total duration (ms) per command name */
  msByName: new Map<string, number>(),
  names: new Map<number, string>(),
  /** durations (ms) of the drain's `find` of dirty items, in order */
  dirtyFindMs: [] as number[],
  dirtyFindIds: new Set<number>(),
  start(db: string) {
    this.on = true;
    this.db = db;
    this.byName.clear();
    this.msByName.clear();
    this.names.clear();
    this.dirtyFindMs = [];
    this.dirtyFindIds.clear();
  },
  total() {
    return [...this.byName.values()].reduce((a, b) => a + b, 0);
  },
};
mongo.client.on("commandStarted", (e: CommandStartedEvent) => {
  if (!monitor.on || e.databaseName !== monitor.db || IGNORED_COMMANDS.has(e.commandName)) return;
  const name = e.commandName === "find" || e.commandName === "getMore" || e.commandName === "insert" || e.commandName === "update" || e.commandName === "delete"
    ? `${e.commandName} ${String(e.command[e.commandName === "getMore" ? "collection" : e.commandName])}`
    : e.commandName;
  monitor.byName.set(name, (monitor.byName.get(name) ?? 0) + 1);
  monitor.names.set(e.requestId, name);
  if (e.commandName === "find" && e.command.find === "items") monitor.dirtyFindIds.add(e.requestId);
});
// The queries go through a client of their own, without command monitoring, as the API's: a
// monitored client decodes every reply once more for its events, which the API never pays.
const queryClient = new MongoClient(mongo.standin?.uri ?? process.env.MONGO_URL!);
await queryClient.connect();
mongo.client.on("commandSucceeded", (e: CommandSucceededEvent) => {
  if (monitor.dirtyFindIds.delete(e.requestId)) monitor.dirtyFindMs.push(e.duration);
  const name = monitor.names.get(e.requestId);
  if (name !== undefined) {
    monitor.names.delete(e.requestId);
    monitor.msByName.set(name, (monitor.msByName.get(name) ?? 0) + e.duration);
  }
});

interface SizeResult {
  items: number;
  load: { seconds: number; itemsPerSec: number };
  drain: {
    seconds: number;
    itemsPerSec: number;
    roundTrips: number;
    roundTripsPer1000Items: number;
    byCommand: Record<string, number>;
    /** total time per command (ms): where the drain's time goes */
    msByCommand: Record<string, number>;
    /** duration of the drain's find of dirty items: first batch, last batch (ms) */
    dirtyFindMs: { first: number; last: number };
  };
  rollupDocs: number;
  queries: Record<
    string,
    {
      rollups: { medianMs: number; loadMedianMs: number; docsRead: number; docsReadVolume: number; docsReadFcr: number };
      raw: { medianMs: number; docsRead: number };
      ratio: number;
      check: "OK" | "MISMATCH";
      mismatches: string[];
      cellsCompared: number;
      totals: Comparison["totals"];
    }
  >;
  /** year-by-day resolution time per channel: read by day totals against every hour, per tz */
  timeMetric: Record<string, { byTotalsMs: number; everyHourMs: number; ratio: number; docsRead: number; same: boolean }>;
}

/** What loading and draining measured, kept beside the data with --data-dir. */
type LoadAndDrain = Pick<SizeResult, "load" | "drain" | "rollupDocs">;

async function runSize(n: number, dbName: string): Promise<SizeResult> {
  const db: Db = mongo.client.db(dbName);
  const meta = db.collection<LoadAndDrain & { _id: string; items: number; seed: number; at: Date }>("bench_meta");
  const kept = keptDataDir ? await meta.findOne({ _id: "run", items: n, seed: SEED }) : null;
  let loaded: LoadAndDrain;
  if (kept) {
    progress(`${n.toLocaleString("en")} items: reusing the data loaded and drained on ${kept.at.toISOString()} in ${keptDataDir} (load and drain figures are that run's)`);
    await ensureIndexes(db);
    loaded = { load: kept.load, drain: kept.drain, rollupDocs: kept.rollupDocs };
  } else {
    loaded = await loadAndDrain(n, db);
    if (keptDataDir) await meta.replaceOne({ _id: "run" }, { ...loaded, items: n, seed: SEED, at: new Date() }, { upsert: true });
  }
  const cols = collectionsOf(queryClient.db(dbName));
  return { items: n, ...loaded, queries: await measureQueries(cols), timeMetric: await measureTimeMetric(cols) };
}

async function loadAndDrain(n: number, db: Db): Promise<LoadAndDrain> {
  const dbName = db.databaseName;
  await db.dropDatabase();
  await ensureIndexes(db);
  const cols = collectionsOf(db);

  // 1. Generate and insert.
  progress(`${n.toLocaleString("en")} items: generating and inserting into ${dbName}`);
  const rnd = rngOf(SEED);
  const created = creationTimes(n, BENCH_YEAR_START, rnd);
  const t0 = performance.now();
  let lastLog = t0;
  for (let i = 0; i < n; i += INSERT_BATCH) {
    const docs = [];
    for (let j = i; j < Math.min(n, i + INSERT_BATCH); j++) docs.push(benchTicket(WORKSPACE, j, created[j]!, rnd));
    if (i === 0) checkValid(docs.slice(0, 1_000));
    await cols.items.insertMany(docs as never[], { ordered: false });
    const now = performance.now();
    if (now - lastLog > 5_000) {
      lastLog = now;
      progress(`  inserted ${(i + docs.length).toLocaleString("en")} (${Math.round((i + docs.length) / ((now - t0) / 1000)).toLocaleString("en")} items/s)`);
    }
  }
  const loadSec = (performance.now() - t0) / 1000;
  progress(`  inserted ${n.toLocaleString("en")} in ${round(loadSec)} s`);

  // 2. The real rollup drain, with its round trips counted.
  const config = configSchema.parse({ NODE_ENV: "test", LOG_LEVEL: "silent", MONGO_URL: process.env.MONGO_URL, MONGO_DB: dbName });
  const deps: WorkerDeps = {
    config,
    db,
    cols,
    // The drain never enqueues or announces anything.
    queues: {} as Queues,
    publisher: { publish: async () => 0 },
    log: pino({ level: "silent" }),
    now: () => new Date(),
  };
  const drain = makeUpdateRollups(deps);
  const d0 = performance.now();
  let dLog = d0;
  const job = {
    id: "bench",
    data: { reason: "bench" },
    attemptsMade: 0,
    log: async () => 0,
    updateProgress: async (done: number) => {
      const now = performance.now();
      if (now - dLog > 5_000) {
        dLog = now;
        const f = monitor.dirtyFindMs;
        progress(`  drained ${done.toLocaleString("en")} (${Math.round(done / ((now - d0) / 1000)).toLocaleString("en")} items/s; find of dirty items ${Math.round(f[f.length - 1] ?? 0)} ms)`);
      }
    },
  } as unknown as Job;
  progress(`  draining rollups (batches of 1,000)`);
  monitor.start(dbName);
  const { items: drained } = await drain(job);
  monitor.on = false;
  const drainSec = (performance.now() - d0) / 1000;
  if (drained !== n) throw new Error(`drain handled ${drained} items, expected ${n}`);
  const roundTrips = monitor.total();
  // The collection's count from metadata: countDocuments aggregates over every document, which
  // the embedded store answers by decoding each one (about a minute at 1M items, long enough for
  // the driver's monitor to time out while the store's thread is busy).
  const rollupDocs = await cols.rollups.estimatedDocumentCount();
  progress(`  drained ${n.toLocaleString("en")} in ${round(drainSec)} s, ${roundTrips} round trips, ${rollupDocs.toLocaleString("en")} rollup documents`);
  const f = monitor.dirtyFindMs;
  return {
    load: { seconds: round(loadSec), itemsPerSec: Math.round(n / loadSec) },
    drain: {
      seconds: round(drainSec),
      itemsPerSec: Math.round(n / drainSec),
      roundTrips,
      roundTripsPer1000Items: round(roundTrips / (n / 1000), 2),
      byCommand: Object.fromEntries(monitor.byName),
      msByCommand: Object.fromEntries([...monitor.msByName].map(([k, v]) => [k, Math.round(v)])),
      dirtyFindMs: { first: round(f[0] ?? 0), last: round(f[f.length - 2] ?? f[f.length - 1] ?? 0) },
    },
    rollupDocs,
  };
}

/** 3. Year-by-day volume and FCR per channel: rollups (answerTrend) vs raw aggregation. */
async function measureQueries(cols: ReturnType<typeof collectionsOf>): Promise<SizeResult["queries"]> {
  const queries: SizeResult["queries"] = {};
  for (const tz of TZS) {
    const from = localMidnight(BENCH_YEAR_START, tz);
    const to = localMidnight(Date.UTC(2026, 0, 1), tz);
    const q = trendQuerySchema.parse({ from: from.toISOString(), to: to.toISOString(), interval: "day", tz, groupBy: "channel" });
    const loaded: number[] = [];
    let loadMs = 0;
    const loadRuns: number[] = [];
    const base = makeRollupsRepo(cols);
    const repo: RollupsRepo = {
      ...base,
      async loadSeries(...args) {
        const t = performance.now();
        const docs = await base.loadSeries(...args);
        loadMs += performance.now() - t;
        // the documents the database sent: month documents come as they are, one per document
        loaded.push(docs.length);
        return docs;
      },
    };
    const rollupMs: number[] = [];
    const rawMs: number[] = [];
    let vol: TrendResponse | undefined;
    let fcr: TrendResponse | undefined;
    let raw: Awaited<ReturnType<typeof rawCounts>> | undefined;
    for (let r = 0; r < RUNS; r++) {
      loaded.length = 0;
      loadMs = 0;
      const a = performance.now();
      vol = await answerTrend(repo, WORKSPACE, "all", "volume", q, new Date());
      fcr = await answerTrend(repo, WORKSPACE, "all", "fcr", q, new Date());
      rollupMs.push(performance.now() - a);
      loadRuns.push(loadMs);
      const b = performance.now();
      raw = await (RAW_MODE === "pipeline" ? rawCounts : rawCountsByCursor)(cols.items, WORKSPACE, from, to, tz);
      rawMs.push(performance.now() - b);
      progress(`  ${tz} run ${r + 1}/${RUNS}: rollups ${Math.round(rollupMs[r]!)} ms, raw ${Math.round(rawMs[r]!)} ms`);
    }
    const cmp = compare(vol!, fcr!, raw!, tz);
    const rollupMedian = median(rollupMs);
    const rawMedian = median(rawMs);
    queries[tz] = {
      rollups: { medianMs: round(rollupMedian), loadMedianMs: round(median(loadRuns)), docsRead: loaded[0]! + loaded[1]!, docsReadVolume: loaded[0]!, docsReadFcr: loaded[1]! },
      raw: { medianMs: round(rawMedian), docsRead: raw!.matched },
      ratio: round(rawMedian / rollupMedian),
      check: cmp.ok ? "OK" : "MISMATCH",
      mismatches: cmp.mismatches,
      cellsCompared: cmp.cells,
      totals: cmp.totals,
    };
  }
  return queries;
}

/**
 * 4. Year-by-day resolution time per channel, a metric that reads day documents (its sketch bins
 * have no month copy): as the API reads them (each day's total and the hours a local midnight
 * splits off; shared/domain/metrics/day-totals.ts) against every hourly slot, the baseline. Both
 * answers must be equal.
 */
async function measureTimeMetric(cols: ReturnType<typeof collectionsOf>): Promise<SizeResult["timeMetric"]> {
  const out: SizeResult["timeMetric"] = {};
  const base = makeRollupsRepo(cols);
  let docsRead = 0;
  const counting = (everyHour: boolean): RollupsRepo => ({
    ...base,
    async loadSeries(workspace, scope, sel, measures) {
      const docs = await base.loadSeries(workspace, scope, everyHour ? { ...sel, dayPlan: null } : sel, measures);
      docsRead = docs.length;
      return docs;
    },
  });
  for (const tz of TZS) {
    const from = localMidnight(BENCH_YEAR_START, tz);
    const to = localMidnight(Date.UTC(2026, 0, 1), tz);
    const q = trendQuerySchema.parse({ from: from.toISOString(), to: to.toISOString(), interval: "day", tz, groupBy: "channel" });
    const times = { totals: [] as number[], hours: [] as number[] };
    const answers: Record<"totals" | "hours", TrendResponse | undefined> = { totals: undefined, hours: undefined };
    for (let r = 0; r < RUNS; r++) {
      // alternating, so that neither path always runs on a warmer cache
      for (const path of r % 2 === 0 ? (["hours", "totals"] as const) : (["totals", "hours"] as const)) {
        const t = performance.now();
        answers[path] = await answerTrend(counting(path === "hours"), WORKSPACE, "all", "resolution-time", q, new Date());
        times[path].push(performance.now() - t);
      }
    }
    const byTotalsMs = median(times.totals);
    const everyHourMs = median(times.hours);
    progress(`  resolution time ${tz}: by day totals ${Math.round(byTotalsMs)} ms, every hour ${Math.round(everyHourMs)} ms`);
    out[tz] = {
      byTotalsMs: round(byTotalsMs),
      everyHourMs: round(everyHourMs),
      ratio: round(everyHourMs / byTotalsMs),
      docsRead,
      same: JSON.stringify(answers.totals) === JSON.stringify(answers.hours),
    };
  }
  return out;
}

/** UTC instant of local midnight, in `tz`, of the UTC calendar day of `utcMidnight`. */
function localMidnight(utcMidnight: number, tz: string): Date {
  // Offset of tz at that instant (whole-hour zones are enough here): local = utc + offset.
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" })
    .formatToParts(new Date(utcMidnight))
    .reduce<Record<string, string>>((o, p) => ((o[p.type] = p.value), o), {});
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  return new Date(utcMidnight - (asUtc - utcMidnight));
}

/** The generated documents must be what ingestion would accept: parse a sample with the real schema. */
function checkValid(docs: Record<string, unknown>[]): void {
  for (const d of docs) {
    const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
    const input = {
      source: d.source, externalId: d.externalId, channel: d.channel, subject: d.subject, body: d.body, status: d.status,
      priority: d.priority, tags: d.tags, team: d.team, customer: d.customer, createdAt: iso(d.createdAt),
      firstResponseAt: iso(d.firstResponseAt), resolvedAt: iso(d.resolvedAt), updatedAt: iso(d.updatedAt),
      agentReplies: d.agentReplies, customerMessages: d.customerMessages, reopens: d.reopens, handleTimeSec: d.handleTimeSec,
    };
    for (const k of Object.keys(input) as (keyof typeof input)[]) if (input[k] === undefined) delete input[k];
    const r = ticketInputSchema.safeParse(input);
    if (!r.success) throw new Error(`generated ticket ${String(d._id)} is not a valid ticket: ${r.error.message}`);
  }
}

const started = Date.now();
const small = Math.max(10, Math.round(ITEMS / 10));
const results: SizeResult[] = [];
try {
  results.push(await runSize(small, "bench_trends_small"));
  // Free the small data set before the big one, unless it is kept for the next run.
  if (!keptDataDir) await mongo.client.db("bench_trends_small").dropDatabase();
  results.push(await runSize(ITEMS, "bench_trends"));
  if (process.env.MONGO_URL) await mongo.client.db("bench_trends").dropDatabase();
} finally {
  await queryClient.close();
  await mongo.close();
}
const big = results[1]!;
const summary = {
  bench: "trends",
  mongo: process.env.MONGO_URL ? "MONGO_URL" : "embedded stand-in (LMDB, fsync; shared/db/standin)",
  items: ITEMS,
  seed: SEED,
  runs: RUNS,
  rawMode: RAW_MODE,
  rollupRoundTripsPer1000Items: big.drain.roundTripsPer1000Items,
  roundTripTarget: 20,
  query: Object.fromEntries(
    TZS.map((tz) => {
      const q = big.queries[tz]!;
      return [tz, { rollupsMs: q.rollups.medianMs, rawMs: q.raw.medianMs, ratio: q.ratio, check: q.check, rollupDocsRead: q.rollups.docsRead, rawDocsRead: q.raw.docsRead }];
    }),
  ),
  ratioTarget: 100,
  docsReadBySize: results.map((r) => ({
    items: r.items,
    rollupDocsRead: Object.fromEntries(TZS.map((tz) => [tz, r.queries[tz]!.rollups.docsRead])),
    rawDocsRead: Object.fromEntries(TZS.map((tz) => [tz, r.queries[tz]!.raw.docsRead])),
  })),
  sizes: results,
  restart,
  totalSeconds: round((Date.now() - started) / 1000),
};

if (values.json) {
  console.log(JSON.stringify(summary, null, 2));
} else {
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const lines: string[] = [];
  lines.push(`bench:trends — ${summary.mongo}, seed ${SEED}, median of ${RUNS} runs`);
  lines.push("");
  lines.push("load and rollup drain");
  lines.push(`${"items".padEnd(12)}${pad("insert/s", 10)}${pad("drain s", 10)}${pad("drain/s", 10)}${pad("round trips", 13)}${pad("per 1k", 8)}${pad("rollup docs", 13)}  find dirty ms first→last`);
  for (const r of results) {
    lines.push(
      `${r.items.toLocaleString("en").padEnd(12)}${pad(r.load.itemsPerSec, 10)}${pad(r.drain.seconds, 10)}${pad(r.drain.itemsPerSec, 10)}${pad(r.drain.roundTrips, 13)}${pad(r.drain.roundTripsPer1000Items, 8)}${pad(r.rollupDocs, 13)}  ${r.drain.dirtyFindMs.first}→${r.drain.dirtyFindMs.last}`,
    );
  }
  lines.push(`drain commands (${big.items.toLocaleString("en")} items): ${Object.entries(big.drain.byCommand).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  lines.push(`drain time per command (ms): ${Object.entries(big.drain.msByCommand).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  lines.push(`round trips per 1,000 items: ${big.drain.roundTripsPer1000Items} (target <= 20) ${big.drain.roundTripsPer1000Items <= 20 ? "MET" : "NOT MET"}`);
  lines.push("");
  lines.push(`year-by-day volume + FCR per channel (2 answerTrend calls vs raw: ${RAW_MODE === "pipeline" ? "1 aggregation, $group by $dateToString day in tz and channel" : "cursor over the $match, grouped in JS (stand-in: see --raw)"})`);
  lines.push(`${"items".padEnd(12)}${"tz".padEnd(18)}${pad("rollups ms", 12)}${pad("(load)", 9)}${pad("raw ms", 10)}${pad("ratio", 9)}${pad("docs read rollups", 19)}${pad("docs read raw", 15)}  check`);
  for (const r of results) {
    for (const tz of TZS) {
      const q = r.queries[tz]!;
      lines.push(
        `${r.items.toLocaleString("en").padEnd(12)}${tz.padEnd(18)}${pad(q.rollups.medianMs, 12)}${pad(q.rollups.loadMedianMs, 9)}${pad(q.raw.medianMs, 10)}${pad(q.ratio + "x", 9)}${pad(q.rollups.docsRead, 19)}${pad(q.raw.docsRead, 15)}  ${q.check}${q.check === "OK" ? "" : ": " + q.mismatches.join("; ")}`,
      );
    }
  }
  const minRatio = Math.min(...TZS.map((tz) => big.queries[tz]!.ratio));
  lines.push(`ratio at ${big.items.toLocaleString("en")} items: ${minRatio}x (target >= 100x) ${minRatio >= 100 ? "MET" : "NOT MET"}`);
  lines.push("");
  lines.push("year-by-day resolution time per channel (reads day documents): each day's total and the hours local midnights split off, vs every hour (the baseline)");
  lines.push(`${"items".padEnd(12)}${"tz".padEnd(18)}${pad("totals ms", 11)}${pad("hours ms", 10)}${pad("ratio", 8)}${pad("docs read", 11)}  same answer`);
  for (const r of results) {
    for (const tz of TZS) {
      const m = r.timeMetric[tz]!;
      lines.push(`${r.items.toLocaleString("en").padEnd(12)}${tz.padEnd(18)}${pad(m.byTotalsMs, 11)}${pad(m.everyHourMs, 10)}${pad(m.ratio + "x", 8)}${pad(m.docsRead, 11)}  ${m.same ? "yes" : "NO"}`);
    }
  }
  if (restart) lines.push(`restart: the kept store (${(restart.fileBytes / 2 ** 30).toFixed(2)} GiB) opened in ${restart.seconds} s, integrity check included (target <= 10 s at 1M items)`);
  lines.push(`total ${summary.totalSeconds} s`);
  console.log(lines.join("\n"));
}
