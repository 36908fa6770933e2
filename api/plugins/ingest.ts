/**
 * The ingestion path shared by the item routes and the webhooks: refuse fast when the queue is
 * down, write items durably through a group commit, then announce them to the enrichment workers.
 * An item written but not announced (Redis lost in between) stays `pending` and is re-announced
 * by the sweeper, so a 202 is never lost.
 */
import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";
import type { Collection } from "mongodb";
import type { ItemDoc } from "../../shared/db/collections";
import { storedItemOf, type CanonicalItem } from "../../shared/domain/ingest/stored-item";
import { writeItems, type WriteOutcome, type WriteStatus } from "../../shared/db/items-repo";
import { UnavailableError } from "../../shared/errors";
import { makeGroupCommit } from "../../shared/infra/group-commit";
import { withDeadline } from "../../shared/infra/deadline";
import { enrichJobId } from "../../shared/queues/job-ids";
import type { RedisClient } from "../../shared/queues/connection";
import type { EnqueueHealth } from "../../shared/queues/enqueue-health";
import type { PartitionQueues, Queues } from "../../shared/queues/producers";
import type { FollowUpsRepo } from "../../shared/db/follow-ups-repo";
import { makeFollowUpIngest } from "./ingest-follow-ups";

/**
 * Items per enrichment job: a large batch or import becomes several jobs, so several workers (and
 * several job slots of one worker) share it.
 */
export const ENRICH_JOB_ITEMS = 250;

/** Stored with its status, or refused by the database for itself alone (the others stand). */
export type IngestResult = { id: string; status: WriteStatus } | { id: string; error: string };

declare module "fastify" {
  interface FastifyInstance {
    ingest(workspace: string, items: CanonicalItem[]): Promise<IngestResult[]>;
  }
}

export interface IngestPluginOptions {
  items: Collection<ItemDoc>;
  redis: RedisClient;
  queues: Queues;
  enqueueHealth: EnqueueHealth;
  flushMs: number;
  /** answer 503 when MongoDB has not confirmed a write by then (see shared/infra/deadline.ts) */
  writeTimeoutMs: number;
  now: () => Date;
  followUps: FollowUpsRepo;
}

type Entry = { workspace: string; doc: ReturnType<typeof storedItemOf> };

export default fp(
  async function ingestPlugin(app: FastifyInstance, opts: IngestPluginOptions) {
    const followUps = makeFollowUpIngest(opts.followUps, app.log);
    async function store(entries: Entry[]): Promise<WriteOutcome[]> {
      const previousTickets = await followUps.prepare(entries);
      const outcomes = await writeItems(opts.items, entries.map((e) => e.doc));
      await followUps.settle(entries, outcomes, previousTickets);
      return outcomes;
    }
    const writer = makeGroupCommit<Entry, WriteOutcome>(
      async (entries) => {
        const outcomes = await withDeadline(store(entries), opts.writeTimeoutMs, () => new UnavailableError(
          `the database did not confirm the write within ${opts.writeTimeoutMs} ms; retry later`,
        ));
        await announce(entries, outcomes);
        return outcomes;
      },
      { windowMs: opts.flushMs, maxEntries: 2_000 },
    );

    async function announce(entries: Entry[], outcomes: WriteOutcome[]): Promise<void> {
      const byWorkspace = new Map<string, { id: string; v: number }[]>();
      entries.forEach((e, i) => {
        const outcome = outcomes[i]!;
        if (!("status" in outcome) || outcome.status === "unchanged") return;
        const items = byWorkspace.get(e.workspace) ?? [];
        items.push({ id: e.doc._id, v: e.doc.v });
        byWorkspace.set(e.workspace, items);
      });
      // Each workspace's jobs go to the queue of its partition.
      const jobsByPartition = new Map<PartitionQueues, { name: string; data: { workspace: string; ids: string[] }; opts: { jobId: string } }[]>();
      for (const [workspace, items] of byWorkspace) {
        const partition = opts.queues.of(workspace);
        const jobs = jobsByPartition.get(partition) ?? [];
        for (let i = 0; i < items.length; i += ENRICH_JOB_ITEMS) {
          const part = items.slice(i, i + ENRICH_JOB_ITEMS);
          jobs.push({ name: "enrich", data: { workspace, ids: part.map((it) => it.id) }, opts: { jobId: enrichJobId(workspace, part) } });
        }
        jobsByPartition.set(partition, jobs);
      }
      if (jobsByPartition.size === 0) return;
      const results = await Promise.allSettled([...jobsByPartition].map(([partition, jobs]) => partition.enrichItems.addBulk(jobs)));
      const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failures.length === 0) {
        opts.enqueueHealth.succeeded();
        return;
      }
      // Items are durable and still pending: the sweeper will announce them again. The failure
      // shows in /readyz and /metrics meanwhile.
      const err = failures[0]!.reason instanceof Error ? failures[0]!.reason : new Error(String(failures[0]!.reason));
      opts.enqueueHealth.failed(err, entries.length);
      app.log.warn({ err: err.message, items: entries.length }, "enqueue after write failed");
    }

    app.decorate("ingest", async (workspace: string, items: CanonicalItem[]) => {
      if (opts.redis.status !== "ready") throw new UnavailableError("the job queue (Redis) is unavailable; retry later");
      const receivedAt = opts.now();
      const entries = items.map((c) => ({ workspace, doc: storedItemOf(workspace, c, receivedAt) }));
      const outcomes = await writer.submit(entries);
      return entries.map((e, i) => ({ id: e.doc._id, ...outcomes[i]! }));
    });

    app.addHook("onClose", async () => writer.drain());
  },
  { name: "ingest" },
);
