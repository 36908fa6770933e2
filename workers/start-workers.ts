/**
 * Starts the worker role over given stores: one BullMQ worker per queue, the saved-search
 * registry, the queue settings kept in Redis. `close()` stops taking jobs and finishes the ones in
 * hand; a job cut off by SIGKILL is picked up again by BullMQ's stalled-job check and, because
 * every processor converges, redone safely. Entry points: workers/main.ts and start.ts.
 */
import { Worker, type Queue } from "bullmq";
import type { Logger } from "pino";
import type { Config } from "../shared/config";
import { collectionsOf } from "../shared/db/collections";
import { makeCorpusStatsRepo } from "../shared/db/corpus-stats-repo";
import { makeSearchesRepo, searchesChannel } from "../shared/db/searches-repo";
import type { Stores } from "../shared/infra/stores";
import { makeProducerConnection, makeWorkerConnection } from "../shared/queues/connection";
import { allQueues, makeQueues, type Queues } from "../shared/queues/producers";
import type { WorkerDeps } from "./deps";
import { makeProcessors } from "./processors";
import { makeSearchRegistry } from "./search-registry";

function queueOf(queues: Queues, name: string): Queue {
  const q = allQueues(queues).find((x) => x.name === name);
  if (!q) throw new Error(`no producer for queue ${name}`);
  return q;
}

export interface RunningWorkers {
  workers: Worker[];
  deps: WorkerDeps;
  close(): Promise<void>;
}

export async function startWorkers(config: Config, stores: Stores, log: Logger): Promise<RunningWorkers> {
  const producer = makeProducerConnection(stores.redisUrl);
  producer.on("error", (err) => log.warn({ err: err.message }, "redis (producer) connection error"));
  const queues = makeQueues(producer, config.QUEUE_PREFIX);
  const deps: WorkerDeps = {
    config,
    db: stores.mongo.db,
    cols: collectionsOf(stores.mongo.db),
    queues,
    publisher: producer,
    log,
    now: () => new Date(),
  };
  const searches = makeSearchRegistry({
    searches: makeSearchesRepo(deps.db, deps.now),
    log,
    subscriber: makeWorkerConnection(stores.redisUrl),
    channel: searchesChannel(config.QUEUE_PREFIX),
    corpus: makeCorpusStatsRepo(deps.db),
  });
  const specs = makeProcessors(deps, searches);
  // Queue settings live in Redis: re-applied on a timer so that a Redis that lost its data (no
  // persistence, failover to an empty replica) gets its sweep schedule and serial limits back.
  const ensureQueueSetup = async () => {
    // Serial queues: one job at a time across every worker process (see update-rollups.ts).
    await Promise.all(specs.filter((s) => s.serial).map((s) => queueOf(queues, s.queue).setGlobalConcurrency(1)));
    await queues.sweepPending.upsertJobScheduler("sweep", { every: config.SWEEP_INTERVAL_MS }, { name: "sweep" });
    await queues.evaluateAlerts.upsertJobScheduler("evaluate", { every: config.ALERT_TICK_MS }, { name: "evaluate" });
  };
  await ensureQueueSetup();
  const setupTimer = setInterval(
    () => void ensureQueueSetup().catch((err: Error) => log.warn({ err: err.message }, "queue setup failed")),
    config.SWEEP_INTERVAL_MS,
  );
  setupTimer.unref();
  const workers = specs.map((spec) => {
    const worker = new Worker(spec.queue, spec.processor, {
      connection: makeWorkerConnection(stores.redisUrl),
      prefix: config.QUEUE_PREFIX,
      concurrency: spec.serial ? 1 : Math.min(spec.concurrency ?? Infinity, config.WORKER_CONCURRENCY),
      lockDuration: config.WORKER_LOCK_MS,
      stalledInterval: config.WORKER_LOCK_MS,
    });
    worker.on("failed", (job, err) =>
      log.warn({ queue: spec.queue, jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, "job failed"),
    );
    worker.on("error", (err) => log.error({ queue: spec.queue, err: err.message }, "worker error"));
    return worker;
  });
  log.info({ queues: workers.map((w) => w.name) }, "workers started");
  return {
    workers,
    deps,
    async close() {
      clearInterval(setupTimer);
      await Promise.all(workers.map((w) => w.close()));
      await searches.close();
      await queues.close();
      producer.disconnect();
    },
  };
}
