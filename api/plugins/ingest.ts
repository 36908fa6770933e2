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
import type { Redis } from "ioredis";
import { storedItemOf, type CanonicalItem } from "../../shared/domain/ingest/stored-item";
import { writeItems, type WriteOutcome, type WriteStatus } from "../../shared/db/items-repo";
import { UnavailableError } from "../../shared/errors";
import { makeGroupCommit } from "../../shared/infra/group-commit";
import { enrichJobId } from "../../shared/queues/job-ids";
import type { Queues } from "../../shared/queues/producers";
import type { FollowUpsRepo } from "../../shared/db/follow-ups-repo";
import { makeFollowUpIngest } from "./ingest-follow-ups";

/** Stored with its status, or refused by the database for itself alone (the others stand). */
export type IngestResult = { id: string; status: WriteStatus } | { id: string; error: string };

declare module "fastify" {
  interface FastifyInstance {
    ingest(workspace: string, items: CanonicalItem[]): Promise<IngestResult[]>;
  }
}

export interface IngestPluginOptions {
  items: Collection<ItemDoc>;
  redis: Redis;
  queues: Queues;
  flushMs: number;
  now: () => Date;
  followUps: FollowUpsRepo;
}

type Entry = { workspace: string; doc: ReturnType<typeof storedItemOf> };

export default fp(
  async function ingestPlugin(app: FastifyInstance, opts: IngestPluginOptions) {
    const followUps = makeFollowUpIngest(opts.followUps, app.log);
    const writer = makeGroupCommit<Entry, WriteOutcome>(
      async (entries) => {
        const previousTickets = await followUps.prepare(entries);
        const outcomes = await writeItems(opts.items, entries.map((e) => e.doc));
        await followUps.settle(entries, outcomes, previousTickets);
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
      try {
        await opts.queues.enrichItems.addBulk(
          [...byWorkspace].map(([workspace, items]) => ({
            name: "enrich",
            data: { workspace, ids: items.map((it) => it.id) },
            opts: { jobId: enrichJobId(workspace, items) },
          })),
        );
      } catch (err) {
        // Items are durable and still pending: the sweeper will announce them again.
        app.log.warn({ err: (err as Error).message, items: entries.length }, "enqueue after write failed");
      }
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
