/**
 * Prometheus metrics at `GET /metrics` (admin key as Bearer token, as Prometheus'
 * `authorization` scrape setting sends it). Request latency is measured in this process; the
 * pipeline gauges (queue depths, oldest pending item, rollup drain backlog, quarantined items) are
 * read from Redis and MongoDB at scrape time, so every API process reports the same shared state
 * and no worker needs a port of its own.
 */
import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Collections } from "../../shared/db/collections";
import { labelledQueues, type Queues } from "../../shared/queues/producers";
import type { EnqueueHealth } from "../../shared/queues/enqueue-health";

export interface MetricsPluginOptions {
  cols: Pick<Collections, "items">;
  queues: Queues;
  enqueueHealth: EnqueueHealth;
  now: () => Date;
}

/** Job states reported per queue. */
const JOB_STATES = ["waiting", "active", "delayed", "failed"] as const;

export default fp(
  async function metricsPlugin(app: FastifyInstance, opts: MetricsPluginOptions) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: "undercurrent_" });

    const latency = new Histogram({
      name: "undercurrent_http_request_duration_seconds",
      help: "HTTP request latency by route pattern, method and status code",
      labelNames: ["route", "method", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    app.addHook("onResponse", async (req, reply) => {
      // The route pattern (`/v1/searches/:id`), never the raw URL: ids would explode the label set.
      const route = req.routeOptions.url ?? "unmatched";
      latency.observe({ route, method: req.method, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });

    // Both queue gauges read the same job counts, once per scrape (reset by the route below).
    let scrape: Promise<{ label: string; counts: Record<string, number> | undefined }[]> | undefined;
    const queueCounts = () =>
      (scrape ??= Promise.all(
        labelledQueues(opts.queues).map(async ({ label, queue }) => ({
          label,
          // An unreachable queue must not take the other metrics down with it: it shows in queue_up.
          counts: await queue.getJobCounts(...JOB_STATES).catch(() => undefined),
        })),
      ));
    new Gauge({
      name: "undercurrent_queue_jobs",
      help: "BullMQ jobs per queue and state",
      labelNames: ["queue", "state"] as const,
      registers: [registry],
      async collect() {
        for (const { label, counts } of await queueCounts()) {
          if (counts) for (const state of JOB_STATES) this.set({ queue: label, state }, counts[state] ?? 0);
        }
      },
    });
    new Gauge({
      name: "undercurrent_queue_up",
      help: "1 when this process could read the queue's job counts (0: wrong Redis layout, or Redis down)",
      labelNames: ["queue"] as const,
      registers: [registry],
      async collect() {
        for (const { label, counts } of await queueCounts()) this.set({ queue: label }, counts ? 1 : 0);
      },
    });
    new Counter({
      name: "undercurrent_enqueue_failures_total",
      help: "enqueues of accepted items that failed in this process (the items stay pending until the sweeper re-enqueues them)",
      registers: [registry],
      collect() {
        // Counted by the ingest path; copied here at scrape time.
        this.reset();
        this.inc(opts.enqueueHealth.totals().failures);
      },
    });
    new Counter({
      name: "undercurrent_enqueue_failed_items_total",
      help: "accepted items whose enqueue failed in this process",
      registers: [registry],
      collect() {
        // Counted by the ingest path; copied here at scrape time.
        this.reset();
        this.inc(opts.enqueueHealth.totals().items);
      },
    });
    new Gauge({
      name: "undercurrent_enqueue_failing",
      help: "1 while the latest enqueue of this process failed (readiness fails meanwhile)",
      registers: [registry],
      collect() {
        this.set(opts.enqueueHealth.failing() ? 1 : 0);
      },
    });

    const items = opts.cols.items;
    new Gauge({
      name: "undercurrent_oldest_pending_item_age_seconds",
      help: "age of the oldest item accepted but not yet enriched (0 when none); grows when workers are down",
      registers: [registry],
      async collect() {
        const oldest = await items.find({ pending: true }, { projection: { pendingSince: 1 } }).sort({ pendingSince: 1 }).limit(1).next();
        const since = oldest?.pendingSince instanceof Date ? oldest.pendingSince.getTime() : null;
        this.set(since === null ? 0 : Math.max(0, (opts.now().getTime() - since) / 1000));
      },
    });
    new Gauge({
      name: "undercurrent_rollup_backlog_items",
      help: "enriched items whose changes are not yet in the rollups (the rollup drain's lag, in items)",
      registers: [registry],
      async collect() {
        this.set(await items.countDocuments({ rollupDirty: { $exists: true } }));
      },
    });
    new Gauge({
      name: "undercurrent_rollup_quarantined_items",
      help: "items the rollup drain could not count (listed with reasons by GET /v1/workspace)",
      registers: [registry],
      async collect() {
        this.set(await items.countDocuments({ rollupQuarantine: { $exists: true } }));
      },
    });

    app.get(
      "/metrics",
      {
        onRequest: app.requireScope("admin"),
        schema: { tags: ["health"], summary: "Prometheus metrics in text exposition format (admin key)" },
      },
      async (_req, reply) => {
        scrape = undefined;
        const body = await registry.metrics();
        return reply.type(registry.contentType).send(body);
      },
    );
  },
  { name: "metrics", dependencies: ["auth"] },
);
