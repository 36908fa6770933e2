/**
 * Starts the worker role over given stores: one BullMQ worker per queue, the saved-search
 * registry, the queue settings kept in Redis. `close()` stops taking jobs and finishes the ones in
 * hand; a job cut off by SIGKILL is picked up again by BullMQ's stalled-job check and, because
 * every processor converges, redone safely. Entry points: workers/main.ts and start.ts.
 */
import { hostname } from "node:os";
import { Worker, type Job, type Processor } from "bullmq";
import type { Logger } from "pino";
import type { Config } from "../shared/config";
import { collectionsOf } from "../shared/db/collections";
import { makeCorpusStatsRepo } from "../shared/db/corpus-stats-repo";
import { makeSearchesRepo, searchesChannel } from "../shared/db/searches-repo";
import type { Stores } from "../shared/infra/stores";
import { makeProducerConnection, makeWorkerConnection } from "../shared/queues/connection";
import { makeQueues, queueLayoutOf } from "../shared/queues/producers";
import type { WorkerDeps } from "./deps";
import { makeProcessors, type ProcessorSpec } from "./processors";
import { makeSearchRegistry } from "./search-registry";
import { withStallDeadline } from "./stall-deadline";

/** How many items a job carried or handled, for its log line (undefined when it has no items). */
export function itemsOfJob(job: Job, result: unknown): number | undefined {
  const ids = (job.data as { ids?: unknown } | undefined)?.ids;
  if (Array.isArray(ids)) return ids.length;
  const handled = (result as { items?: unknown } | undefined)?.items;
  return typeof handled === "number" ? handled : undefined;
}

/** The processor with one log line per finished job: queue, job id, items, milliseconds. */
function logged(spec: ProcessorSpec, log: Logger): Processor {
  return async (job, token) => {
    const started = performance.now();
    const result = await spec.processor(job, token);
    const ms = Math.round(performance.now() - started);
    log.info({ queue: spec.label, job: job.id, items: itemsOfJob(job, result), ms }, "job done");
    return result;
  };
}

export interface RunningWorkers {
  workers: Worker[];
  deps: WorkerDeps;
  close(): Promise<void>;
}

export async function startWorkers(config: Config, stores: Stores, log: Logger): Promise<RunningWorkers> {
  // The name BullMQ records on every job this process takes (and on its connections), and the
  // `worker` field of its log lines: who did what, when several processes share the queues.
  const name = config.WORKER_NAME ?? `${hostname()}-${process.pid}`;
  log = log.child({ worker: name });
  const producer = makeProducerConnection(stores.redisUrl);
  producer.on("error", (err) => log.warn({ err: err.message }, "redis (producer) connection error"));
  const queues = makeQueues(producer, queueLayoutOf(config, stores.redisUrl));
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
    // Serial queues: one job at a time across every worker process (see update-rollups.ts); each
    // partition's rollup queue is serial on its own, so partitions drain side by side.
    await Promise.all(specs.filter((s) => s.serial).map((s) => s.queue.setGlobalConcurrency(1)));
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
    const worker = new Worker(spec.queue.name, withStallDeadline(logged(spec, log), config.JOB_STALL_MS), {
      name,
      connection: makeWorkerConnection(stores.redisUrl),
      prefix: spec.queue.opts.prefix,
      concurrency: spec.serial ? 1 : Math.min(spec.concurrency ?? Infinity, config.WORKER_CONCURRENCY),
      lockDuration: config.WORKER_LOCK_MS,
      stalledInterval: config.WORKER_LOCK_MS,
    });
    worker.on("failed", (job, err) =>
      log.warn({ queue: spec.label, jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, "job failed"),
    );
    worker.on("error", (err) => log.error({ queue: spec.label, err: err.message }, "worker error"));
    return worker;
  });
  log.info({ queues: specs.map((s) => s.label), partitions: queues.partitions.length }, "workers started");
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
