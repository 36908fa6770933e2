/**
 * The saved searches of each workspace, indexed in a percolator for matching new items in the
 * enrichment pass. Loaded per workspace on first use; changes are announced over Redis pub/sub
 * (the API publishes on create/edit/delete) and applied incrementally — no rebuild. A periodic
 * resync catches announcements lost while the subscriber was disconnected.
 */
import type { RedisClient } from "../shared/queues/connection";
import type { Logger } from "pino";
import type { SearchDoc, SearchesRepo } from "../shared/db/searches-repo";
import { normalizeQueryWord } from "../shared/domain/nlp";
import { makePercolator, parseQuery, type MatchableItem, type Percolator, type QueryNode } from "../shared/domain/query";
import type { CorpusStatsRepo } from "../shared/db/corpus-stats-repo";
import type { SearchMatcher } from "./search-matcher";

export const RESYNC_INTERVAL_MS = 60_000;
/** Languages whose stems of a search's words are looked up in the corpus to choose its anchor. */
const ANCHOR_LANGUAGES = ["en", "nl", "de", "fr", "es", "pt", "it"];

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
  /** document frequencies of the searches' stems, so each search is indexed under its rarest word */
  df: Map<string, number>;
  docCount: number;
}

/** The words of a query (the terms its anchor can be chosen from). */
function wordsOf(node: QueryNode, out: string[] = []): string[] {
  switch (node.type) {
    case "word":
      out.push(node.word);
      break;
    case "phrase":
      out.push(...node.words);
      break;
    case "near":
      wordsOf(node.left, out);
      wordsOf(node.right, out);
      break;
    case "and":
    case "or":
      for (const c of node.children) wordsOf(c, out);
      break;
    default:
      break;
  }
  return out;
}

export function makeSearchRegistry(deps: {
  searches: SearchesRepo;
  log: Logger;
  subscriber?: RedisClient;
  channel?: string;
  /** when given, anchors use the workspace's real document frequencies instead of a guess */
  corpus?: CorpusStatsRepo;
}): SearchRegistry {
  const loaded = new Map<string, Promise<WorkspaceIndex>>();

  /** Loads the document frequencies of the searches' stems not known yet. */
  async function learnFrequencies(workspace: string, index: WorkspaceIndex, docs: SearchDoc[]): Promise<void> {
    if (!deps.corpus) return;
    const stems = new Set<string>();
    for (const d of docs) {
      let ast: QueryNode;
      try {
        ast = parseQuery(d.query);
      } catch {
        continue;
      }
      for (const w of wordsOf(ast)) {
        for (const lang of ANCHOR_LANGUAGES) {
          const stem = normalizeQueryWord(w, lang);
          if (stem && !index.df.has(stem)) stems.add(stem);
        }
      }
    }
    if (stems.size === 0) return;
    const stats = await deps.corpus.load(workspace, stems);
    index.docCount = stats.docCount;
    for (const stem of stems) index.df.set(stem, stats.df(stem));
  }

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
      p = deps.searches.list(workspace).then(async (docs) => {
        const index = { revisions: new Map(), df: new Map(), docCount: 0 } as Omit<WorkspaceIndex, "percolator"> as WorkspaceIndex;
        // Share of documents holding a stem; an unseen stem counts as rare (one in docCount + 1).
        const termFrequency = (stem: string) => ((index.df.get(stem) ?? 0) + 1) / (index.docCount + 1);
        index.percolator = makePercolator(normalizeQueryWord, deps.corpus ? { termFrequency } : {});
        await learnFrequencies(workspace, index, docs);
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
    if (doc) {
      await learnFrequencies(workspace, index, [doc]);
      put(index, doc);
    } else drop(index, id);
  }

  async function resync(): Promise<void> {
    for (const [workspace, p] of loaded) {
      const index = await p;
      const docs = await deps.searches.list(workspace);
      const current = new Set(docs.map((d) => d._id));
      const changed = docs.filter((d) => index.revisions.get(d._id) !== d.revision);
      await learnFrequencies(workspace, index, changed);
      for (const d of changed) put(index, d);
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
    async matchIds(workspace: string, item: MatchableItem): Promise<string[]> {
      const index = await indexOf(workspace);
      return index.percolator.size === 0 ? [] : index.percolator.match(item).sort();
    },
    refresh,
    resync,
    async close() {
      clearInterval(timer);
      deps.subscriber?.disconnect();
    },
  };
}
