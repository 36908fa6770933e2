/**
 * Per-workspace document frequencies for keyword scoring (TF-IDF), kept incrementally by the
 * enrichment worker: one `$in` read and one bulk write per batch.
 */
import type { AnyBulkWriteOperation, Db } from "mongodb";
import type { CorpusStats } from "../domain/nlp";

interface TermStatDoc {
  _id: string; // `${workspace}|${term}`
  df: number;
}
interface CorpusDoc {
  _id: string; // workspace
  docs: number;
}

export function makeCorpusStatsRepo(db: Db) {
  const terms = db.collection<TermStatDoc>("term_stats");
  const corpus = db.collection<CorpusDoc>("corpus_stats");
  const idOf = (workspace: string, term: string) => `${workspace}|${term}`;
  return {
    /** A read-only view of the workspace's counts for the given terms. */
    async load(workspace: string, wanted: Iterable<string>): Promise<CorpusStats> {
      const ids = [...new Set(wanted)].map((t) => idOf(workspace, t));
      const [found, doc] = await Promise.all([
        ids.length ? terms.find({ _id: { $in: ids } }).toArray() : Promise.resolve([]),
        corpus.findOne({ _id: workspace }),
      ]);
      const df = new Map(found.map((d) => [d._id, d.df]));
      return { docCount: doc?.docs ?? 0, df: (term) => df.get(idOf(workspace, term)) ?? 0 };
    },
    /** Counts each document once: `docs` is the distinct terms of each newly seen document. */
    async count(workspace: string, docs: Iterable<string>[]): Promise<void> {
      const inc = new Map<string, number>();
      let n = 0;
      for (const termsOfDoc of docs) {
        n++;
        for (const t of new Set(termsOfDoc)) inc.set(t, (inc.get(t) ?? 0) + 1);
      }
      if (n === 0) return;
      const ops: AnyBulkWriteOperation<TermStatDoc>[] = [...inc].map(([t, k]) => ({
        updateOne: { filter: { _id: idOf(workspace, t) }, update: { $inc: { df: k } }, upsert: true },
      }));
      if (ops.length) await terms.bulkWrite(ops, { ordered: false });
      await corpus.updateOne({ _id: workspace }, { $inc: { docs: n } }, { upsert: true });
    },
  };
}
export type CorpusStatsRepo = ReturnType<typeof makeCorpusStatsRepo>;
