import type { Processor } from "bullmq";
import { makeCorpusStatsRepo } from "../../shared/db/corpus-stats-repo";
import { makeTextAnalyzer } from "../../shared/domain/nlp";
import { QUEUES } from "../../shared/queues/names";
import type { WorkerDeps } from "../deps";
import type { SearchMatcher } from "../search-matcher";
import { makeSearchesRepo } from "../../shared/db/searches-repo";
import { makeBackfillSearch } from "./backfill-search";
import { makeEnrichItems } from "./enrich-items";
import { makeSweepPending } from "./sweep-pending";
import { makeUpdateRollups } from "./update-rollups";

export interface ProcessorSpec {
  queue: string;
  processor: Processor;
  /** jobs of this queue run one at a time across all processes */
  serial?: boolean;
  /** jobs at a time in one process, when fewer than WORKER_CONCURRENCY */
  concurrency?: number;
}

/** Every queue this process consumes, with its processor. Analyzers are built once, here. */
export function makeProcessors(deps: WorkerDeps, searches: SearchMatcher): ProcessorSpec[] {
  const analyzer = makeTextAnalyzer();
  return [
    { queue: QUEUES.enrichItems, processor: makeEnrichItems({ ...deps, analyzer, corpus: makeCorpusStatsRepo(deps.db), searches }) },
    { queue: QUEUES.updateRollups, processor: makeUpdateRollups(deps), serial: true },
    { queue: QUEUES.sweepPending, processor: makeSweepPending(deps), serial: true },
    // One backfill at a time per process, and each yields as much time as it works (see the
    // processor): history may be slow to catch up, live items and the API never wait on it.
    { queue: QUEUES.backfillSearch, processor: makeBackfillSearch({ ...deps, searches: makeSearchesRepo(deps.db, deps.now) }), concurrency: 1 },
  ];
}
