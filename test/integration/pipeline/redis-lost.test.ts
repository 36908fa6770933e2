/**
 * Redis is transport, MongoDB the record: items acknowledged with 202 whose jobs were lost with
 * Redis (FLUSHALL on a private redis-server, so other test files are untouched) are found by the
 * sweeper and enriched and counted exactly once by a worker process.
 */
import { pino } from "pino";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMongoStandin, type MongoStandin } from "../../../shared/db/standin";
import { startEmbeddedRedis, type EmbeddedRedis } from "../../../shared/infra/redis-server";
import { makeSweepPending, SWEEP_GRACE_MS } from "../../../workers/processors/sweep-pending";
import type { WorkerDeps } from "../../../workers/deps";
import { makeQueues } from "../../../shared/queues/producers";
import { makeTestApi, type TestApi } from "../../support/api";
import { killAllChildren, spawnWorker, waitFor, waitForOutput } from "../../support/procs-children";
import { corpusDocs, expectConsistent, ingestInBatches, makeTickets, pipelineState } from "../../support/procs-pipeline";
import { randomId } from "../../support/stores";
import { fakeJob, testPublisher } from "../../support/workers";

const TICKETS = 600;

let standin: MongoStandin;
let redisServer: EmbeddedRedis;
let t: TestApi;

beforeAll(async () => {
  standin = await startMongoStandin({ onLog: () => {} });
  redisServer = await startEmbeddedRedis();
  t = await makeTestApi({ MONGO_URL: standin.uri, REDIS_URL: redisServer.url });
});
afterAll(async () => {
  await killAllChildren();
  await t?.close();
  await redisServer?.stop();
  await standin?.close();
});

describe("Redis lost while items wait for enrichment", () => {
  it("the sweeper recovers every item from MongoDB; each is enriched and counted once", { timeout: 150_000 }, async () => {
    const ws = randomId("ws");
    const auth = await t.bearer(ws, ["ingest", "read"]);
    const tickets = makeTickets(TICKETS, randomId("tk"));
    await ingestInBatches(t.app, auth, tickets, 200);
    expect(await t.queues.partitions[0]!.enrichItems.getJobCounts("waiting")).toEqual({ waiting: TICKETS / 200 });

    // Redis loses everything (a restart without persistence, a failover to an empty replica).
    const admin = new Redis(redisServer.url);
    try {
      await admin.flushall();
    } finally {
      admin.disconnect();
    }
    expect(await t.queues.partitions[0]!.enrichItems.getJobCounts("waiting", "active", "delayed")).toEqual({ waiting: 0, active: 0, delayed: 0 });
    expect(await pipelineState(t.mongo.cols, ws)).toMatchObject({ items: TICKETS, pending: TICKETS, enriched: 0 });

    // The sweeper, run as its scheduler would once the items are older than the grace period.
    const later = new Date(Date.now() + SWEEP_GRACE_MS + 1_000);
    const deps: WorkerDeps = {
      config: t.config, db: t.mongo.db, cols: t.mongo.cols, queues: t.queues, publisher: testPublisher(t.config.REDIS_URL!),
      log: pino({ level: "silent" }), now: () => later,
    };
    const sweep = makeSweepPending(deps);
    expect(await sweep(fakeJob({}))).toEqual({ reannounced: TICKETS, dirty: false, searches: 0 });
    // Sweeping again before the work is done announces the same jobs: BullMQ keeps one of each.
    await sweep(fakeJob({}));
    const announced = await t.queues.partitions[0]!.enrichItems.getJobCounts("waiting");
    expect(announced.waiting).toBeGreaterThan(0);
    expect(announced.waiting).toBeLessThanOrEqual(Math.ceil(TICKETS / 1_000));

    const worker = spawnWorker({
      MONGO_URL: standin.uri,
      MONGO_DB: t.config.MONGO_DB,
      REDIS_URL: redisServer.url,
      QUEUE_PREFIX: t.config.QUEUE_PREFIX,
      SWEEP_INTERVAL_MS: "2000",
    });
    await waitForOutput(worker, /workers started/, 30_000);
    await waitFor(
      "pipeline settled",
      async () => {
        const s = await pipelineState(t.mongo.cols, ws);
        return s.pending === 0 && s.dirty === 0 ? s : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250, child: worker, describe: async () => JSON.stringify(await pipelineState(t.mongo.cols, ws)) },
    );

    const resolved = tickets.filter((x) => x.status === "solved").length;
    await expectConsistent(t.mongo, ws, { items: TICKETS, resolved });
    expect(await corpusDocs(t.mongo.db, ws)).toBe(TICKETS);

    worker.kill("SIGTERM");
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });
});

describe("Redis lost while a worker keeps running", () => {
  // The sweeper's schedule and the serial limit of the rollup queue live in Redis. A running
  // worker must put them back, or nothing would ever re-announce the lost items (and two
  // processes could drain rollups at once) until some worker process happened to restart.
  it("the running worker re-creates the sweep schedule and the serial rollup limit", { timeout: 90_000 }, async () => {
    const prefix = randomId("q");
    const worker = spawnWorker({
      MONGO_URL: standin.uri,
      MONGO_DB: t.config.MONGO_DB,
      REDIS_URL: redisServer.url,
      QUEUE_PREFIX: prefix,
      SWEEP_INTERVAL_MS: "1000",
    });
    await waitForOutput(worker, /workers started/, 30_000);
    const admin = new Redis(redisServer.url);
    const queues = makeQueues(admin, prefix);
    try {
      expect(await queues.sweepPending.getJobSchedulersCount()).toBe(1);
      expect(await queues.partitions[0]!.updateRollups.getGlobalConcurrency()).toBe(1);

      await admin.flushall();
      expect(await queues.sweepPending.getJobSchedulersCount()).toBe(0);

      await waitFor(
        "the sweep schedule and the rollup queue's global concurrency to be restored",
        async () =>
          (await queues.sweepPending.getJobSchedulersCount()) === 1 && (await queues.partitions[0]!.updateRollups.getGlobalConcurrency()) === 1,
        {
          timeoutMs: 30_000,
          intervalMs: 250,
          child: worker,
          describe: async () =>
            `schedulers=${await queues.sweepPending.getJobSchedulersCount()} ` +
            `rollupsGlobalConcurrency=${await queues.partitions[0]!.updateRollups.getGlobalConcurrency()}`,
        },
      );
    } finally {
      await queues.close();
      admin.disconnect();
      worker.kill("SIGTERM");
      await worker.exited;
    }
  });
});
