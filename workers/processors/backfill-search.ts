/**
 * backfill-search: brings a saved search's matches over stored history up to date after it was
 * created or its query changed, reporting progress on the search. New items are matched live by
 * the enrichment pass meanwhile, so a backfill never holds them up.
 *
 * 1. candidates from the compiled MongoDB filter (a superset for phrases/NEAR), each confirmed by
 *    the in-memory matcher: matches gain the search id;
 * 2. items that carry the id but no longer match (an edited query) lose it;
 * 3. catch-up: items enriched since the backfill began by a worker that had not yet heard of the
 *    search are checked once more.
 * Every changed item is marked rollup-dirty so the search's rollups follow. A job for an old
 * revision stops as soon as it sees a newer one. Running it twice converges ($addToSet/$pull).
 *
 * Fair to live work: after each batch the backfill pauses as long as the batch took (a 50% duty
 * cycle), so enrichment of new items, the rollup drain and the API share the process with it
 * however large the history is (an exclusion-only query such as `NOT x` matches every item).
 */
import { randomUUID } from "node:crypto";
import { UnrecoverableError, type Job } from "bullmq";
import type { AnyBulkWriteOperation } from "mongodb";
import type { Enriched, ItemDoc } from "../../shared/db/collections";
import type { SearchesRepo } from "../../shared/db/searches-repo";
import { normalizeQueryWord } from "../../shared/domain/nlp";
import { compileMatcher, compileMongoFilter, parseQuery } from "../../shared/domain/query";
import { requestRollupDrain } from "../../shared/queues/requests";
import { backfillSearchPayload } from "../../shared/queues/payloads";
import type { WorkerDeps } from "../deps";

export const BACKFILL_BATCH = 1_000;
/** How far back the catch-up pass looks before the backfill's start (announcement lag). */
export const CATCH_UP_MARGIN_MS = 60_000;

const PROJECTION = { _id: 1, kind: 1, enrichment: 1, facets: 1, score: 1, searchIds: 1 } as const;
/**
 * An item as the sweeps read it (PROJECTION). Both sweeps see only enriched items: candidates are
 * filtered on `enrichment`, and only enrichment and this backfill write `searchIds`.
 */
type SweptItem = Pick<ItemDoc, "_id" | "kind" | "searchIds"> & Enriched & { score?: number };

/** Pause after each batch, as a fraction of the time the batch took. */
export const BACKFILL_PAUSE_RATIO = 1;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function makeBackfillSearch(
  deps: WorkerDeps & { searches: SearchesRepo },
  pause: (ms: number) => Promise<void> = sleep,
) {
  return async function backfillSearch(job: Job): Promise<{ processed: number; added: number; removed: number; stale?: true }> {
    const parsed = backfillSearchPayload.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid backfill-search payload: ${parsed.error.message}`);
    const { workspace, searchId, revision } = parsed.data;
    const stillCurrent = async () => (await deps.searches.get(workspace, searchId))?.revision === revision;
    const search = await deps.searches.get(workspace, searchId);
    if (!search || search.revision !== revision) return { processed: 0, added: 0, removed: 0, stale: true };

    let ast;
    try {
      ast = parseQuery(search.query);
    } catch (err) {
      await deps.searches.setBackfill(searchId, revision, { state: "failed", error: (err as Error).message });
      throw new UnrecoverableError(`saved search ${searchId} does not parse: ${(err as Error).message}`);
    }
    const matches = compileMatcher(ast, normalizeQueryWord);
    const startedAt = deps.now();
    const languages = (await deps.cols.items.distinct("enrichment.language", { workspace })) as string[];
    const candidates = { $and: [{ workspace, enrichment: { $exists: true } }, compileMongoFilter(ast, normalizeQueryWord, languages)] };
    const holders = { workspace, searchIds: searchId };
    const total = (await deps.cols.items.countDocuments(candidates)) + (await deps.cols.items.countDocuments(holders));
    await deps.searches.setBackfill(searchId, revision, { state: "running", processed: 0, total });

    let processed = 0;
    let added = 0;
    let removed = 0;
    async function sweep(filter: object): Promise<boolean> {
      const cursor = deps.cols.items.find<SweptItem>(filter, { projection: PROJECTION }).sort({ _id: 1 }).batchSize(BACKFILL_BATCH);
      let batch: SweptItem[] = [];
      let batchStarted = performance.now();
      const flush = async () => {
        const writes: AnyBulkWriteOperation<ItemDoc>[] = [];
        for (const doc of batch) {
          const has = (doc.searchIds ?? []).includes(searchId);
          const matched = matches(doc).matched;
          if (matched && !has) {
            added++;
            writes.push({ updateOne: { filter: { _id: doc._id }, update: { $addToSet: { searchIds: searchId }, $set: { rollupDirty: randomUUID() } } } });
          } else if (!matched && has) {
            removed++;
            writes.push({ updateOne: { filter: { _id: doc._id }, update: { $pull: { searchIds: searchId }, $set: { rollupDirty: randomUUID() } } } });
          }
        }
        if (writes.length) await deps.cols.items.bulkWrite(writes, { ordered: false });
        processed += batch.length;
        batch = [];
        await deps.searches.setBackfill(searchId, revision, { processed });
        await job.updateProgress({ processed, total });
        await pause((performance.now() - batchStarted) * BACKFILL_PAUSE_RATIO);
        batchStarted = performance.now();
      };
      for await (const doc of cursor) {
        batch.push(doc);
        if (batch.length >= BACKFILL_BATCH) {
          await flush();
          if (!(await stillCurrent())) {
            await cursor.close();
            return false;
          }
        }
      }
      if (batch.length) await flush();
      return true;
    }

    const finished =
      (await sweep(candidates)) &&
      (await sweep(holders)) &&
      (await sweep({ workspace, enrichedAt: { $gte: new Date(startedAt.getTime() - CATCH_UP_MARGIN_MS) } }));
    if (!finished) return { processed, added, removed, stale: true };
    await deps.searches.setBackfill(searchId, revision, { state: "done", processed, total: Math.max(total, processed) });
    if (added || removed) {
      await requestRollupDrain(deps.queues.of(workspace), deps.now(), "backfill");
    }
    return { processed, added, removed };
  };
}
