/**
 * Saved searches: a named query owned by a workspace. `revision` grows with every query change;
 * a backfill job works for one revision and stops when a newer one exists.
 */
import { randomBytes } from "node:crypto";
import type { Collection, Db } from "mongodb";
import { isDuplicateKeyError } from "../errors";

export type BackfillState = "pending" | "running" | "done" | "failed";

export interface SearchDoc {
  _id: string;
  workspace: string;
  name: string;
  query: string;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
  backfill: { state: BackfillState; revision: number; processed: number; total: number; error?: string };
  /**
   * Outbox: the revision whose announcement (to the workers' registries, plus its backfill job)
   * is not confirmed yet. Cleared once Redis took it; the sweeper announces what stays.
   */
  announce?: { revision: number; since: Date };
  /** the client's Idempotency-Key of the request that created it */
  idempotencyKey?: string;
}

export function makeSearchesRepo(db: Db, now: () => Date = () => new Date()) {
  const col: Collection<SearchDoc> = db.collection<SearchDoc>("searches");
  return {
    col,
    /**
     * Creates a search with its announcement pending. With an idempotency key, a retry of the same
     * request returns the search the first one created (`created: false`) instead of a duplicate.
     */
    async create(workspace: string, name: string, query: string, idempotencyKey?: string): Promise<{ doc: SearchDoc; created: boolean }> {
      if (idempotencyKey) {
        const earlier = await col.findOne({ workspace, idempotencyKey });
        if (earlier) return { doc: earlier, created: false };
      }
      const t = now();
      const doc: SearchDoc = {
        _id: `s${randomBytes(8).toString("hex")}`,
        workspace, name, query, revision: 1, createdAt: t, updatedAt: t,
        backfill: { state: "pending", revision: 1, processed: 0, total: 0 },
        announce: { revision: 1, since: t },
        ...(idempotencyKey ? { idempotencyKey } : {}),
      };
      try {
        await col.insertOne(doc);
      } catch (err) {
        // The same key raced us (unique index): the other request's search is the answer.
        const earlier = idempotencyKey && isDuplicateKeyError(err) ? await col.findOne({ workspace, idempotencyKey }) : null;
        if (!earlier) throw err;
        return { doc: earlier, created: false };
      }
      return { doc, created: true };
    },
    count: (workspace: string) => col.countDocuments({ workspace }),
    /** The announcement of `revision` reached Redis. */
    async announced(id: string, revision: number): Promise<void> {
      await col.updateOne({ _id: id, "announce.revision": revision }, { $unset: { announce: "" } });
    },
    /** Searches whose announcement has waited since before `cutoff` (for the sweeper). */
    unannounced: (cutoff: Date, limit: number) =>
      col.find({ "announce.since": { $lt: cutoff } }, { projection: { _id: 1, workspace: 1, announce: 1 } }).limit(limit).toArray(),
    get: (workspace: string, id: string) => col.findOne({ _id: id, workspace }),
    list: (workspace: string) => col.find({ workspace }).sort({ createdAt: 1 }).toArray(),
    /** Applies a change; a new query text bumps the revision and resets the backfill. */
    async update(workspace: string, id: string, change: { name?: string; query?: string }): Promise<SearchDoc | null> {
      const current = await col.findOne({ _id: id, workspace });
      if (!current) return null;
      const queryChanged = change.query !== undefined && change.query !== current.query;
      const revision = queryChanged ? current.revision + 1 : current.revision;
      const set: Partial<SearchDoc> = { updatedAt: now(), ...(change.name !== undefined ? { name: change.name } : {}) };
      if (queryChanged) {
        Object.assign(set, {
          query: change.query, revision,
          backfill: { state: "pending", revision, processed: 0, total: 0 },
          announce: { revision, since: now() },
        });
      }
      // Conditional on the revision read: two concurrent edits cannot both claim the same revision.
      const res = await col.findOneAndUpdate({ _id: id, workspace, revision: current.revision }, { $set: set }, { returnDocument: "after" });
      return res;
    },
    async remove(workspace: string, id: string): Promise<boolean> {
      return (await col.deleteOne({ _id: id, workspace })).deletedCount === 1;
    },
    async setBackfill(id: string, revision: number, progress: Partial<SearchDoc["backfill"]>): Promise<void> {
      const set = Object.fromEntries(Object.entries(progress).map(([k, v]) => [`backfill.${k}`, v]));
      await col.updateOne({ _id: id, revision }, { $set: set });
    },
  };
}
export type SearchesRepo = ReturnType<typeof makeSearchesRepo>;

/** Redis channel on which changes to saved searches are announced to every worker process. */
export function searchesChannel(queuePrefix: string): string {
  return `${queuePrefix}:searches-changed`;
}
export interface SearchChange {
  workspace: string;
  id: string;
}
