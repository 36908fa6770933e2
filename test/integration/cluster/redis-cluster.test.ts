/**
 * The API and the workers on a real 3-primary Redis Cluster (started here from `redis-server`
 * binaries on free ports) with 4 partitions: items of many workspaces are ingested through the
 * API, enriched and drained by workers taking every partition, and every workspace's rollups equal
 * a full recomputation. The partitions' queues live on different primaries, saved-search
 * announcements (pub/sub) reach a cluster subscriber, and a misconfigured process (a plain client
 * on one node, no hash tags) fails /readyz and shows its failed enqueues in /metrics instead of
 * answering 202 in silence.
 */
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../../api/app";
import { searchesChannel } from "../../../shared/db/searches-repo";
import { makeWorkerConnection, redisTargetOf, waitForReady } from "../../../shared/queues/connection";
import { makeQueues } from "../../../shared/queues/producers";
import { partitionOf } from "../../../shared/queues/partitions";
import { makeApiKeysRepo } from "../../../shared/db/api-keys-repo";
import { startWorkers, type RunningWorkers } from "../../../workers/start-workers";
import { makeTestApi, type TestApi } from "../../support/api";
import { startRedisCluster, type TestRedisCluster } from "../../support/redis-cluster";
import { randomId } from "../../support/stores";
import { recomputedRollups, storedRollups } from "../../support/trends-helpers";

const PARTITIONS = 4;
let cluster: TestRedisCluster;
let t: TestApi;
let workers: RunningWorkers;

beforeAll(async () => {
  cluster = await startRedisCluster(3);
  t = await makeTestApi({ REDIS_CLUSTER_NODES: cluster.nodes, PARTITIONS: String(PARTITIONS), SWEEP_INTERVAL_MS: "1000" });
  const stores = { mongo: t.mongo, redisUrl: redisTargetOf(t.config)!, close: async () => {} };
  workers = await startWorkers(t.config, stores, pino({ level: "silent" }));
}, 60_000);
afterAll(async () => {
  await workers?.close();
  await t?.close();
  await cluster?.stop();
});

const H = 3_600_000;
const T0 = Date.parse("2026-03-02T08:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();
function ticket(i: number) {
  const created = T0 + (i % 40) * H;
  return {
    source: "api", externalId: `T-${i}`, channel: i % 2 ? "email" : "chat", status: "solved",
    subject: "Refund", body: `Still waiting for my refund ${i}`, tags: [`tag-${i % 3}`],
    createdAt: iso(created), updatedAt: iso(created + H), resolvedAt: iso(created + H),
  };
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("on a 3-primary Redis Cluster with 4 partitions", () => {
  it("spreads the partitions' queues over the primaries", async () => {
    const owners = await Promise.all(t.queues.partitions.map((p) => cluster.ownerOf(`${p.enrichItems.opts.prefix}:enrich-items:wait`)));
    expect(new Set(owners).size).toBeGreaterThan(1);
    const ready = await t.app.inject({ method: "GET", url: "/readyz" });
    expect(ready.json()).toMatchObject({ ready: true, queues: { ok: true } });
  });

  it("ingests, enriches and drains every partition; rollups equal a full recomputation", async () => {
    // Enough workspaces that every partition gets some.
    const workspaces = Array.from({ length: 12 }, () => randomId("ws"));
    expect(new Set(workspaces.map((w) => partitionOf(w, PARTITIONS))).size).toBeGreaterThan(2);
    for (const ws of workspaces) {
      const auth = await t.bearer(ws, ["ingest"]);
      const items = Array.from({ length: 60 }, (_, i) => ticket(i));
      const res = await t.app.inject({ method: "POST", url: "/v1/tickets", headers: { authorization: auth }, payload: { items } });
      expect(res.statusCode, res.body).toBe(202);
      // A redelivered request changes nothing.
      await t.app.inject({ method: "POST", url: "/v1/tickets", headers: { authorization: auth }, payload: { items } });
    }
    const unsettled = () =>
      t.mongo.cols.items.countDocuments({ workspace: { $in: workspaces }, $or: [{ pending: true }, { rollupDirty: { $exists: true } }] });
    await eventually(async () => (await unsettled()) === 0, "every item enriched and drained");
    for (const ws of workspaces) {
      const stored = await storedRollups(t.mongo, ws);
      expect(Object.keys(stored).length, ws).toBeGreaterThan(0);
      expect(stored, ws).toEqual(await recomputedRollups(t.mongo, ws));
    }
    // Every partition's rollup queue did work, and none of them ran more than one drain at a time.
    for (const p of t.queues.partitions) {
      if (!workspaces.some((w) => partitionOf(w, PARTITIONS) === p.partition)) continue;
      expect(await p.updateRollups.getGlobalConcurrency(), `partition ${p.partition}`).toBe(1);
      expect((await p.updateRollups.getJobCounts("completed")).completed, `partition ${p.partition}`).toBeGreaterThan(0);
    }
  });

  it("delivers saved-search announcements over cluster pub/sub", async () => {
    const subscriber = makeWorkerConnection(redisTargetOf(t.config)!);
    try {
      const heard: string[] = [];
      subscriber.on("message", (_ch: string, msg: string) => heard.push(msg));
      await subscriber.subscribe(searchesChannel(t.config.QUEUE_PREFIX));
      const ws = randomId("ws");
      const auth = await t.bearer(ws, ["read", "searches"]);
      const res = await t.app.inject({ method: "POST", url: "/v1/searches", headers: { authorization: auth }, payload: { name: "r", query: "refund" } });
      expect(res.statusCode, res.body).toBe(201);
      await eventually(async () => heard.some((m) => JSON.parse(m).id === res.json().id), "the announcement", 10_000);
    } finally {
      subscriber.disconnect();
    }
  });

  it("fails readiness and counts failed enqueues when the queues cannot be reached as configured", async () => {
    // The mistake the cluster settings prevent: a plain client on one node, keys without hash tags.
    const plain = new Redis(`redis://127.0.0.1:${cluster.ports[0]}`, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    await waitForReady(plain as never);
    const queues = makeQueues(plain, { prefix: randomId("q"), partitions: PARTITIONS, cluster: false });
    const app = await buildApp({ config: t.config, db: t.mongo.db, cols: t.mongo.cols, redis: plain, queues });
    try {
      const ready = await app.inject({ method: "GET", url: "/readyz" });
      expect(ready.statusCode).toBe(503);
      // Which refusal comes depends on the node that owns the probed key: a redirect (MOVED), keys of
      // several slots (CROSSSLOT), or a script reaching a key of another node.
      expect(ready.json().queues).toMatchObject({ ok: false, error: expect.stringMatching(/MOVED|CROSSSLOT|non local key/) });

      // Ingest still stores durably (the sweeper re-enqueues), but the failure is visible.
      const workspacesOffNode = [] as string[];
      for (let i = 0; workspacesOffNode.length < 1; i++) {
        const ws = randomId("ws");
        const prefix = queues.of(ws).enrichItems.opts.prefix!;
        if ((await cluster.ownerOf(`${prefix}:enrich-items:wait`)) !== cluster.ports[0]) workspacesOffNode.push(ws);
      }
      const ws = workspacesOffNode[0]!;
      const { key } = await makeApiKeysRepo(t.mongo.cols).create(ws, ["ingest"]);
      const res = await app.inject({ method: "POST", url: "/v1/tickets", headers: { authorization: `Bearer ${key}` }, payload: { items: [ticket(1)] } });
      expect(res.statusCode, res.body).toBe(202);
      expect(await t.mongo.cols.items.countDocuments({ workspace: ws, pending: true })).toBe(1);
      const after = await app.inject({ method: "GET", url: "/readyz" });
      expect(after.statusCode).toBe(503);
      const { key: admin } = await makeApiKeysRepo(t.mongo.cols).create(ws, ["admin"]);
      const metrics = (await app.inject({ method: "GET", url: "/metrics", headers: { authorization: `Bearer ${admin}` } })).body;
      expect(metrics).toMatch(/^undercurrent_enqueue_failures_total 1$/m);
      expect(metrics).toMatch(/^undercurrent_enqueue_failing 1$/m);
      expect(metrics).toMatch(/^undercurrent_queue_up\{queue="enrich-items:\d"\} 0$/m);
    } finally {
      await app.close();
      await queues.close();
      plain.disconnect();
    }
  });
});
