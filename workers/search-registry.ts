/**
 * The saved searches of each workspace, indexed in a percolator for matching new items in the
 * enrichment pass. Loaded per workspace on first use; changes are announced over Redis pub/sub
 * (the API publishes on create/edit/delete) and applied incrementally — no rebuild. A periodic
 * resync catches announcements lost while the subscriber was disconnected.
 */
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { ItemDoc } from "../shared/db/collections";
import type { SearchDoc, SearchesRepo } from "../shared/db/searches-repo";
import { normalizeQueryWord } from "../shared/domain/nlp";
import { makePercolator, parseQuery, type MatchableItem, type Percolator } from "../shared/domain/query";
import type { SearchMatcher } from "./search-matcher";

export const RESYNC_INTERVAL_MS = 60_000;

export interface SearchRegistry extends SearchMatcher {
  /** re-reads one search (after an announcement) */
  refresh(workspace: string, id: string): Promise<void>;
  /** re-reads every loaded workspace's searches */
  resync(): Promise<void>;
  close(): Promise<void>;
}

/** One workspace's index and the revision of each search in it. */
interface WorkspaceIndex {
  percolator: Percolator;
  revisions: Map<string, number>;
}

export function makeSearchRegistry(deps: {
  searches: SearchesRepo;
  log: Logger;
  subscriber?: Redis;
  channel?: string;
}): SearchRegistry {
  const loaded = new Map<string, Promise<WorkspaceIndex>>();

  function put(index: WorkspaceIndex, s: SearchDoc): void {
    try {
      index.percolator.add(s._id, parseQuery(s.query));
      index.revisions.set(s._id, s.revision);
    } catch (err) {
      // The API validates queries; a stored one that no longer parses must not stop enrichment.
      deps.log.warn({ search: s._id, err: (err as Error).message }, "saved search skipped");
      drop(index, s._id);
    }
  }
  function drop(index: WorkspaceIndex, id: string): void {
    index.percolator.remove(id);
    index.revisions.delete(id);
  }

  function indexOf(workspace: string): Promise<WorkspaceIndex> {
    let p = loaded.get(workspace);
    if (!p) {
      p = deps.searches.list(workspace).then((docs) => {
        const index: WorkspaceIndex = { percolator: makePercolator(normalizeQueryWord), revisions: new Map() };
        for (const s of docs) put(index, s);
        return index;
      });
      p.catch(() => loaded.delete(workspace));
      loaded.set(workspace, p);
    }
    return p;
  }

  async function refresh(workspace: string, id: string): Promise<void> {
    const p = loaded.get(workspace);
    if (!p) return; // not loaded in this process yet: its first use reads it fresh
    const index = await p;
    const doc = await deps.searches.get(workspace, id);
    if (doc) put(index, doc);
    else drop(index, id);
  }

  async function resync(): Promise<void> {
    for (const [workspace, p] of loaded) {
      const index = await p;
      const docs = await deps.searches.list(workspace);
      const current = new Set(docs.map((d) => d._id));
      for (const d of docs) if (index.revisions.get(d._id) !== d.revision) put(index, d);
      for (const id of [...index.revisions.keys()]) if (!current.has(id)) drop(index, id);
    }
  }

  const timer = setInterval(
    () => void resync().catch((err: Error) => deps.log.warn({ err: err.message }, "saved-search resync failed")),
    RESYNC_INTERVAL_MS,
  );
  timer.unref();

  if (deps.subscriber && deps.channel) {
    const channel = deps.channel;
    void deps.subscriber.subscribe(channel);
    deps.subscriber.on("message", (ch: string, message: string) => {
      if (ch !== channel) return;
      let change: { workspace?: unknown; id?: unknown };
      try {
        change = JSON.parse(message);
      } catch {
        return deps.log.warn("malformed saved-search announcement ignored");
      }
      if (typeof change.workspace !== "string" || typeof change.id !== "string") return;
      void refresh(change.workspace, change.id).catch((err: Error) =>
        deps.log.warn({ err: err.message }, "saved-search refresh failed"),
      );
    });
  }

  return {
    async matchIds(workspace: string, item: ItemDoc): Promise<string[]> {
      const index = await indexOf(workspace);
      return index.percolator.size === 0 ? [] : index.percolator.match(item as unknown as MatchableItem).sort();
    },
    refresh,
    resync,
    async close() {
      clearInterval(timer);
      deps.subscriber?.disconnect();
    },
  };
}
