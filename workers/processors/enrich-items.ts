/**
 * enrich-items: parse -> load -> compute (pure NLP) -> save -> enqueue the rollup drain.
 * Reads the items' current stored state (the job carries ids only), so a retried or duplicated
 * job converges: an item already enriched at its current version is skipped, and the write is
 * conditional on the version it read.
 */
import { randomUUID } from "node:crypto";
import { UnrecoverableError, type Job } from "bullmq";
import type { AnyBulkWriteOperation } from "mongodb";
import type { ItemDoc } from "../../shared/db/collections";
import type { CorpusStatsRepo } from "../../shared/db/corpus-stats-repo";
import { textOf } from "../../shared/domain/items/text-of";
import type { Enrichment } from "../../shared/domain/models";
import { enrichmentOf, type TextAnalyzer } from "../../shared/domain/nlp";
import { facetsOf, type Facets } from "../../shared/domain/query/facets";
import { requestRollupDrain } from "../../shared/queues/requests";
import { enrichItemsPayload } from "../../shared/queues/payloads";
import type { WorkerDeps } from "../deps";
import type { SearchMatcher } from "../search-matcher";

export interface EnrichDeps extends WorkerDeps {
  analyzer: TextAnalyzer;
  corpus: CorpusStatsRepo;
  searches: SearchMatcher;
}

export function makeEnrichItems(deps: EnrichDeps) {
  return async function enrichItems(job: Job): Promise<{ enriched: number; skipped: number }> {
    const parsed = enrichItemsPayload.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid enrich-items payload: ${parsed.error.message}`);
    const { workspace, ids } = parsed.data;

    const docs = await deps.cols.items.find({ _id: { $in: ids }, workspace, pending: true }).toArray();
    if (docs.length === 0) return { enriched: 0, skipped: ids.length };

    const analyses = docs.map((d) => deps.analyzer.analyze(textOf(d), { language: d.language }));
    const corpus = await deps.corpus.load(workspace, analyses.flatMap((a) => a.tokens));
    const writes: AnyBulkWriteOperation<ItemDoc>[] = [];
    const firstSeen = new Map<string, string[]>(); // item id -> terms, for items never counted in df
    const runId = randomUUID();
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i]!;
      const enrichment = enrichmentOf(analyses[i]!, corpus);
      const facets = facetsOfDoc(doc, enrichment);
      const enriched = { ...doc, enrichment, facets };
      const searchIds = await deps.searches.matchIds(workspace, enriched);
      if (!doc.dfCounted) firstSeen.set(doc._id, enrichment.terms);
      writes.push({
        updateOne: {
          // Only the version that was read: a newer version stays pending for its own job.
          filter: { _id: doc._id, v: doc.v, pending: true },
          update: {
            $set: {
              enrichment, facets, searchIds, rollupDirty: randomUUID(), enrichedAt: deps.now(),
              ...(doc.dfCounted ? {} : { dfCounted: true, dfRun: runId }),
            },
            $unset: { pending: "", pendingSince: "" },
          },
        },
      });
    }
    await deps.cols.items.bulkWrite(writes, { ordered: false });
    // Count document frequencies only for the items this run wrote (a concurrent duplicate of
    // this job finds them no longer pending). A crash before the count undercounts by one batch,
    // never double counts: keyword scores tolerate that.
    if (firstSeen.size) {
      const mine = await deps.cols.items
        .find({ _id: { $in: [...firstSeen.keys()] }, dfRun: runId }, { projection: { _id: 1 } })
        .toArray();
      await deps.corpus.count(workspace, mine.map((d) => firstSeen.get(d._id)!));
    }
    await requestRollupDrain(deps.queues.of(workspace), deps.now(), "enriched");
    job.log(`enriched ${docs.length} of ${ids.length} items`);
    return { enriched: docs.length, skipped: ids.length - docs.length };
  };
}

function facetsOfDoc(doc: ItemDoc, enrichment: Enrichment): Facets {
  switch (doc.kind) {
    case "ticket":
      return facetsOf("ticket", doc, enrichment);
    case "mention":
      return facetsOf("mention", doc, enrichment);
    case "survey":
      return facetsOf("survey", doc, enrichment);
  }
}
