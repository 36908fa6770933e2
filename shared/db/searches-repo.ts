/**
 * Saved searches: a named query owned by a workspace. `revision` grows with every query change;
 * a backfill job works for one revision and stops when a newer one exists.
 */
import { randomBytes } from "node:crypto";
import type { Collection, Db } from "mongodb";

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
}

export function makeSearchesRepo(db: Db, now: () => Date = () => new Date()) {
  const col: Collection<SearchDoc> = db.collection<SearchDoc>("searches");
  return {
    col,
    async create(workspace: string, name: string, query: string): Promise<SearchDoc> {
      const t = now();
      const doc: SearchDoc = {
        _id: `s${randomBytes(8).toString("hex")}`,
        workspace, name, query, revision: 1, createdAt: t, updatedAt: t,
        backfill: { state: "pending", revision: 1, processed: 0, total: 0 },
      };
      await col.insertOne(doc);
      return doc;
    },
    get: (workspace: string, id: string) => col.findOne({ _id: id, workspace }),
    list: (workspace: string) => col.find({ workspace }).sort({ createdAt: 1 }).toArray(),
    /** Applies a change; a new query text bumps the revision and resets the backfill. */
    async update(workspace: string, id: string, change: { name?: string; query?: string }): Promise<SearchDoc | null> {
      const current = await col.findOne({ _id: id, workspace });
      if (!current) return null;
      const queryChanged = change.query !== undefined && change.query !== current.query;
      const revision = queryChanged ? current.revision + 1 : current.revision;
      const set: Partial<SearchDoc> = { updatedAt: now(), ...(change.name !== undefined ? { name: change.name } : {}) };
      if (queryChanged) Object.assign(set, { query: change.query, revision, backfill: { state: "pending", revision, processed: 0, total: 0 } });
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
