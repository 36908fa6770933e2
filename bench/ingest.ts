/**
 * `npm run bench:ingest [-- --duration 10 --connections 50 --json]`
 *
 * Requests/s and items/s of the real ingest path for single-item and 100-item requests, against a
 * baseline measured in the same run: a bare Fastify route that only parses the same JSON body.
 * Also reads Redis script executions (INFO commandstats) and counts MongoDB commands per 1,000
 * items. The API runs alone (no workers), so the figures are those of the ingest path itself.
 * The CPU each process spent per request (from /proc) says how many cores the API and the store
 * would need to reach the targets at all.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { Redis } from "ioredis";
import { processCpuMs } from "./support/process-cpu";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    json: { type: "boolean", default: false },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);

function ticket(): Record<string, unknown> {
  return {
    source: "zendesk",
    externalId: "[<id>]",
    channel: "email",
    subject: "Refund for order still missing",
    body: "Hello, I asked for a refund two weeks ago and I am still waiting. Order 12345. Can you help?",
    status: "open",
    priority: "normal",
    tags: ["billing", "refund"],
    team: "tier1",
    customer: { id: "c-1", segment: "enterprise", plan: "pro", region: "EU" },
    createdAt: "2026-03-02T10:00:00Z",
    agentReplies: 0,
    customerMessages: 1,
  };
}
// Every item of a batch needs its own id: autocannon replaces each [<id>] with the same value,
// so items of one request are told apart by a suffix.
const singleBody = JSON.stringify(ticket());
const batchBody = JSON.stringify({
  items: Array.from({ length: 100 }, (_, i) => ({ ...ticket(), externalId: `[<id>]-${i}` })),
});

async function startChild(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; info: Record<string, string> }> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { stdio: ["ignore", "pipe", "inherit"], env });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { child, info: JSON.parse(line) };
}

async function stopServer(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

interface Run {
  requestsPerSec: number;
  itemsPerSec: number;
  p99Ms: number;
  items: number;
  non2xx: number;
  /** CPU each process spent per accepted request, in microseconds (undefined without /proc). */
  cpuUsPerRequest: { api?: number; store?: number };
}

/** CPU used per request by the API process and the store process over one load run. */
function cpuPerRequest(before: (number | undefined)[], after: (number | undefined)[], requests: number): Run["cpuUsPerRequest"] {
  const per = (i: number) => (before[i] === undefined || after[i] === undefined || requests === 0 ? undefined : ((after[i]! - before[i]!) * 1000) / requests);
  return { api: per(0), store: per(1) };
}

async function load(url: string, body: string, itemsPerRequest: number, pids: (number | undefined)[], auth?: string): Promise<Run> {
  const cpuBefore = pids.map(processCpuMs);
  const result = await autocannon({
    url: `${url}/v1/tickets`,
    method: "POST",
    // Batches carry 100x the work per request: fewer connections keep the same items in flight
    // from piling up behind each other (latency, not throughput, is what that would change).
    connections: itemsPerRequest > 1 ? Math.max(2, Math.round(connections / 5)) : connections,
    timeout: 30,
    duration,
    idReplacement: true,
    headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
    body,
  });
  const ok = result["2xx"];
  const cpuAfter = pids.map(processCpuMs);
  return {
    cpuUsPerRequest: cpuPerRequest(cpuBefore, cpuAfter, ok),
    requestsPerSec: ok / duration,
    itemsPerSec: (ok * itemsPerRequest) / duration,
    p99Ms: result.latency.p99,
    items: ok * itemsPerRequest,
    non2xx: result.non2xx,
  };
}

async function scriptCalls(redis: Redis): Promise<number> {
  const info = await redis.info("commandstats");
  let calls = 0;
  for (const m of info.matchAll(/^cmdstat_(evalsha|eval|evalsha_ro|eval_ro|fcall|fcall_ro):calls=(\d+)/gm)) calls += Number(m[2]);
  return calls;
}

async function mongoCommands(url: string): Promise<number> {
  const body = (await (await fetch(`${url}/__bench/mongo-commands`)).json()) as { mongoCommands: number };
  return body.mongoCommands;
}

// Warm-up runs are short and discarded: JIT and connection set-up are not what we measure.
// Without MONGO_URL the stand-in runs in its own process, as a MongoDB server would.
const standin = process.env.MONGO_URL ? null : await startChild("bench/support/standin-process.ts", [], process.env);
const serverEnv = { ...process.env, ...(standin ? { MONGO_URL: standin.info.uri } : {}) };
const startServer = (mode: "bare" | "app") => startChild("bench/support/ingest-server.ts", [mode], serverEnv);

const bare = await startServer("bare");
await autocannon({ url: `${bare.info.url}/v1/tickets`, method: "POST", duration: 2, connections, body: singleBody, headers: { "content-type": "application/json" } });
const bareSingle = await load(bare.info.url!, singleBody, 1, [bare.child.pid]);
const bareBatch = await load(bare.info.url!, batchBody, 100, [bare.child.pid]);
await stopServer(bare.child);

const app = await startServer("app");
const redis = new Redis(app.info.redisUrl!);
await autocannon({ url: `${app.info.url}/v1/tickets`, method: "POST", duration: 2, connections, idReplacement: true, body: singleBody, headers: { "content-type": "application/json", authorization: `Bearer ${app.info.key}` } });
const mongoBefore = await mongoCommands(app.info.url!);
const scriptsBefore = await scriptCalls(redis);
const appPids = [app.child.pid, standin?.child.pid];
const appSingle = await load(app.info.url!, singleBody, 1, appPids, app.info.key);
const appBatch = await load(app.info.url!, batchBody, 100, appPids, app.info.key);
const scriptsAfter = await scriptCalls(redis);
const mongoAfter = await mongoCommands(app.info.url!);
redis.disconnect();
await stopServer(app.child);
if (standin) await stopServer(standin.child);

const items = appSingle.items + appBatch.items;
const totalCpu = (c: Run["cpuUsPerRequest"]) => (c.api === undefined || c.store === undefined ? undefined : c.api + c.store);
const coresAt = (requestsPerSec: number, cpuUsPerRequest?: number) => (cpuUsPerRequest === undefined ? undefined : (requestsPerSec * cpuUsPerRequest) / 1e6);
const perItem = (perRequest: number | undefined, itemsPerRequest: number) => (perRequest === undefined ? undefined : perRequest / itemsPerRequest);
const figures = {
  durationSec: duration,
  mongo: standin ? `${process.env.BENCH_STANDIN_ENTRY ?? "embedded stand-in (LMDB, fsync)"} (separate process)` : "MONGO_URL",
  connections,
  baseline: { singleRequestsPerSec: bareSingle.requestsPerSec, batchRequestsPerSec: bareBatch.requestsPerSec, singleP99Ms: bareSingle.p99Ms },
  single: appSingle,
  batch100: appBatch,
  singleVsBaselineRequests: appSingle.requestsPerSec / bareSingle.requestsPerSec,
  batchVsSingleItems: appBatch.itemsPerSec / appSingle.itemsPerSec,
  redisScriptsPerItem: (scriptsAfter - scriptsBefore) / items,
  mongoRoundTripsPer1000Items: ((mongoAfter - mongoBefore) / items) * 1000,
  // The cores the API and the store together would need to run at each target, at the CPU per
  // request measured here (the machine has `cores`; the load generator and Redis need some too).
  coresForTargets: {
    cores: availableParallelism(),
    single: coresAt(0.6 * bareSingle.requestsPerSec, totalCpu(appSingle.cpuUsPerRequest)),
    batch100: coresAt((12 * appSingle.itemsPerSec) / 100, totalCpu(appBatch.cpuUsPerRequest)),
  },
  targets: { singleVsBaselineRequests: ">= 0.60", batchVsSingleItems: ">= 12", redisScriptsPerItem: "<= 0.1", mongoRoundTripsPer1000Items: "<= 20" },
};

if (values.json) {
  console.log(JSON.stringify(figures));
} else {
  const f = (n: number, d = 1) => n.toFixed(d);
  console.log(`ingest benchmark: ${duration}s per run, ${connections} connections, same machine, one run; MongoDB: ${figures.mongo}`);
  console.log(`  baseline (bare Fastify JSON parse): ${f(bareSingle.requestsPerSec)} req/s single, p99 ${bareSingle.p99Ms} ms`);
  console.log(`  single-item ingest: ${f(appSingle.requestsPerSec)} req/s, p99 ${appSingle.p99Ms} ms, non-2xx ${appSingle.non2xx}`);
  console.log(`  100-item ingest:    ${f(appBatch.requestsPerSec)} req/s = ${f(appBatch.itemsPerSec)} items/s, p99 ${appBatch.p99Ms} ms, non-2xx ${appBatch.non2xx}`);
  console.log(`  single vs baseline requests/s: ${f(figures.singleVsBaselineRequests, 2)}x (target >= 0.60)`);
  console.log(`  batch vs single items/s:       ${f(figures.batchVsSingleItems, 1)}x (target >= 12)`);
  console.log(`  Redis scripts per item:        ${f(figures.redisScriptsPerItem, 3)} (target <= 0.1)`);
  console.log(`  MongoDB round trips / 1k items: ${f(figures.mongoRoundTripsPer1000Items, 1)} (target <= 20)`);
  const us = (n?: number) => (n === undefined ? "n/a" : `${f(n, 0)} us`);
  console.log(`  CPU per request (user + system, all threads of each process):`);
  console.log(`    bare route:          ${us(bareSingle.cpuUsPerRequest.api)}`);
  console.log(`    single-item ingest:  API ${us(appSingle.cpuUsPerRequest.api)}, store ${us(appSingle.cpuUsPerRequest.store)}`);
  console.log(`    100-item ingest:     API ${us(perItem(appBatch.cpuUsPerRequest.api, 100))}, store ${us(perItem(appBatch.cpuUsPerRequest.store, 100))} per item`);
  const cores = (n?: number) => (n === undefined ? "n/a" : f(n, 1));
  console.log(`  cores the API and the store would need at the targets, at this CPU per request (this machine has ${figures.coresForTargets.cores}):`);
  console.log(`    single-item at 0.6x the baseline: ${cores(figures.coresForTargets.single)}; 100-item batches at 12x single items/s: ${cores(figures.coresForTargets.batch100)}`);
}
